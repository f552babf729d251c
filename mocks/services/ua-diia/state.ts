import type { MockResponse } from '../types.ts'

export type DiiaDocumentType = 'internal-passport' | 'foreign-passport' | 'taxpayer-card'
export type DiiaIdScope = 'auth' | 'hashedFilesSigning'

export type Acquirer = {
  id: string
  name: string
  acquirerToken: string
  /** The partner's subsystem in the federation. */
  client: string
}

export type BranchScopes = {
  sharing?: DiiaDocumentType[]
  identification?: string[]
  documentIdentification?: DiiaDocumentType[]
  diiaId?: DiiaIdScope[]
}

export type Branch = {
  _id: string
  acquirerId: string
  name: string
  email: string
  region: string
  district: string
  location: string
  street: string
  house: string
  customFullName?: string
  customFullAddress?: string
  deliveryTypes: string[]
  offerRequestType: 'dynamic' | 'static'
  scopes: BranchScopes
}

/** Where shared documents go: a federation service id and a path on it. */
export type DeliveryTarget = { service: string; path: string }

export type Offer = {
  _id: string
  branchId: string
  name: string
  returnLink?: string
  scopes: { sharing?: DiiaDocumentType[]; diiaId?: DiiaIdScope[] }
  deliveryTarget?: DeliveryTarget
}

export type HashedFile = { fileName: string; fileHash: string }
export type Signature = HashedFile & { signature: string }

export type OfferRequestState = 'created' | 'delivered' | 'signed' | 'failed'

export type OfferRequest = {
  requestId: string
  acquirerId: string
  branchId: string
  offerId: string
  kind: 'sharing' | 'signing'
  status: OfferRequestState
  deeplink: string
  returnLink?: string
  hashedFiles?: HashedFile[]
  documentTypes?: DiiaDocumentType[]
  reason?: string
  signatures?: Signature[]
}

export type Barcode = {
  barcode: string
  unzr: string
  documentType: DiiaDocumentType
  valid: boolean
}

export type DiiaState = {
  acquirers: Acquirer[]
  /** Session token → acquirer id. */
  sessions: Record<string, string>
  branches: Branch[]
  offers: Offer[]
  offerRequests: OfferRequest[]
  barcodes: Barcode[]
  /** The last number used for each kind of id. */
  counters: { session: number; branch: number; offer: number; deeplink: number }
}

/** The next number of a counter, as `prefix-0001`. */
export const nextId = (state: DiiaState, counter: keyof DiiaState['counters'], prefix: string) =>
  `${prefix}-${String(++state.counters[counter]).padStart(4, '0')}`

/** A request's status as `getOfferRequestStatus` answers it: without Diia's private fields. */
export const offerRequestStatus = ({
  acquirerId: _acquirerId,
  returnLink: _returnLink,
  hashedFiles: _hashedFiles,
  ...status
}: OfferRequest): MockResponse => ({ status: 200, body: status })
