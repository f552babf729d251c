import { createHash } from 'node:crypto'
import { problem } from '../problem.ts'
import type { OperationHandler, Peers } from '../types.ts'
import {
  offerRequestStatus,
  type DiiaDocumentType,
  type DiiaState,
  type HashedFile,
  type Offer,
  type OfferRequest,
  type Signature,
} from './state.ts'

/** ЄДДР's service, which Diia reads citizens' documents from. */
export const EDDR_SERVICE = 'SEVDEIR-TEST/GOV/37508470/EDDR/DemographicRegister_v1'

/**
 * Diia's declared purpose for reading ЄДДР (`Uxp-Purpose-Ids`): Trembita's security server asks for
 * one on every operation that returns personal data.
 */
export const DIIA_SHARING_PURPOSE = 'diia-document-sharing'

/**
 * The header carrying the request id of a delivery. The acquirer SDK reads `headers.requestId`;
 * the exact wire name is not published (assumed).
 */
const REQUEST_ID_HEADER = 'requestId'

type Citizen = { unzr?: string; rnokpp?: string; documentTypes?: DiiaDocumentType[] }

/** What Diia reads from ЄДДР's `Person`; checked at runtime since it arrives over the wire. */
type EddrPerson = {
  unzr: string
  rnokpp: string
  lastName: string
  firstName: string
  lastNameLatin: string
  firstNameLatin: string
  birthDate: string
  sex: 'M' | 'F'
  status: string
  documents: Array<{
    type: string
    number: string
    issueDate: string
    expirationDate: string
    valid: boolean
  }>
}

/** One document in the body Diia delivers (specs/ua/diia.yaml `DocumentDelivery`). */
export type DeliveredDocument = {
  type: DiiaDocumentType
  data: {
    lastNameUA: string
    firstNameUA: string
    lastNameEN: string
    firstNameEN: string
    birthday: string
    sex: 'M' | 'F'
    docNumber: string
    issueDate?: string
    expirationDate?: string
    unzr: string
    rnokpp: string
  }
}

type Outcome<T> = { ok: true; value: T } | { ok: false; reason: string }

// Requests whose approval is still talking to ЄДДР or the receiver: a second approval arriving
// meanwhile must not deliver the documents twice.
const answering = new WeakSet<OfferRequest>()

/**
 * The citizen approves a request in the app (sandbox only). Diia identifies them in ЄДДР through
 * the security servers, then delivers the shared documents to the offer's target, or signs the
 * file hashes; the request ends `delivered`, `signed` or `failed`.
 */
export const consentToOfferRequest: OperationHandler<DiiaState> = async (
  { pathParams, body },
  { state, peers },
) => {
  const request = state.offerRequests.find((r) => r.requestId === pathParams.requestId)
  if (!request) return problem('notFound', `Diia has no request ${pathParams.requestId}`)
  if (request.status !== 'created' || answering.has(request)) {
    const answer = answering.has(request) ? 'being answered' : `already answered: ${request.status}`
    return problem('conflict', `request ${request.requestId} is ${answer}`)
  }
  const offer = state.offers.find((o) => o._id === request.offerId)
  const citizen = body as Citizen
  const offered = offer?.scopes.sharing ?? []
  if (request.kind === 'sharing') {
    const chosen = citizen.documentTypes ?? offered
    const extra = chosen.filter((t) => !offered.includes(t))
    if (extra.length > 0) {
      return problem('validationFailed', `the offer does not ask for ${extra.join(', ')}`, [
        { name: 'documentTypes', reason: `not in the offer: ${extra.join(', ')}` },
      ])
    }
    request.documentTypes = chosen
  }

  answering.add(request)
  try {
    Object.assign(request, await answer(peers, request, offer, citizen))
  } finally {
    answering.delete(request)
  }
  return offerRequestStatus(request)
}

const answer = async (
  peers: Peers,
  request: OfferRequest,
  offer: Offer | undefined,
  citizen: Citizen,
): Promise<Partial<OfferRequest>> => {
  const person = await lookUpPerson(peers, citizen)
  if (!person.ok) return { status: 'failed', reason: person.reason }
  if (request.kind === 'signing') {
    return { status: 'signed', signatures: sign(person.value, request.hashedFiles) }
  }
  const delivered = await deliver(peers, request, offer, person.value)
  return delivered.ok ? { status: 'delivered' } : { status: 'failed', reason: delivered.reason }
}

const lookUpPerson = async (peers: Peers, citizen: Citizen): Promise<Outcome<EddrPerson>> => {
  const path = citizen.unzr
    ? `/persons/${encodeURIComponent(citizen.unzr)}`
    : `/persons?rnokpp=${encodeURIComponent(citizen.rnokpp ?? '')}`
  const who = citizen.unzr ? `UNZR ${citizen.unzr}` : `RNOKPP ${citizen.rnokpp}`
  let response
  try {
    response = await peers.call({
      service: EDDR_SERVICE,
      method: 'GET',
      path,
      headers: { 'uxp-purpose-ids': DIIA_SHARING_PURPOSE },
    })
  } catch (error) {
    return { ok: false, reason: `ЄДДР could not be reached: ${(error as Error).message}` }
  }
  if (response.status === 404) return { ok: false, reason: `ЄДДР has no person with ${who}` }
  if (response.status !== 200) {
    return { ok: false, reason: `ЄДДР answered ${response.status} for ${who}` }
  }
  const found = citizen.unzr
    ? response.body
    : (response.body as { persons?: unknown[] })?.persons?.[0]
  if (found === undefined) return { ok: false, reason: `ЄДДР has no person with ${who}` }
  if (!isEddrPerson(found))
    return { ok: false, reason: `ЄДДР answered an unreadable record for ${who}` }
  if (found.status === 'deceased')
    return { ok: false, reason: 'ЄДДР records the person as deceased' }
  return { ok: true, value: found }
}

const isEddrPerson = (value: unknown): value is EddrPerson => {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  const strings = [
    'unzr',
    'rnokpp',
    'lastName',
    'firstName',
    'lastNameLatin',
    'firstNameLatin',
    'birthDate',
    'status',
  ]
  return (
    strings.every((k) => typeof v[k] === 'string') &&
    (v.sex === 'M' || v.sex === 'F') &&
    Array.isArray(v.documents)
  )
}

const deliver = async (
  peers: Peers,
  request: OfferRequest,
  offer: Offer | undefined,
  person: EddrPerson,
): Promise<Outcome<void>> => {
  const documentTypes = request.documentTypes ?? []
  const documents: DeliveredDocument[] = []
  for (const type of documentTypes) {
    const document = documentFor(person, type)
    if (!document) return { ok: false, reason: `ЄДДР records no ${type} for this person` }
    documents.push(document)
  }
  const target = offer?.deliveryTarget
  if (!target) return { ok: false, reason: `offer ${request.offerId} names no delivery target` }
  try {
    // Diia calls the acquirer's own endpoint over HTTPS, not through Trembita, with the request
    // id also in a header, as the acquirer SDK reads it (DocumentService.processDocumentPackage).
    const response = await peers.call({
      service: target.service,
      method: 'POST',
      path: target.path,
      headers: { 'content-type': 'application/json', [REQUEST_ID_HEADER]: request.requestId },
      body: { requestId: request.requestId, documentTypes, documents },
      via: 'direct',
    })
    return response.status >= 200 && response.status < 300
      ? { ok: true, value: undefined }
      : { ok: false, reason: `delivery to ${target.service} answered ${response.status}` }
  } catch (error) {
    return {
      ok: false,
      reason: `delivery to ${target.service} failed: ${(error as Error).message}`,
    }
  }
}

/**
 * The document as Diia shows it. Of several documents of a type, a valid one, else the newest:
 * Diia passes on what the register holds and leaves judging an expired passport to the receiver,
 * who can ask ЄДДР itself.
 */
const documentFor = (person: EddrPerson, type: DiiaDocumentType): DeliveredDocument | undefined => {
  const holder = {
    lastNameUA: person.lastName,
    firstNameUA: person.firstName,
    lastNameEN: person.lastNameLatin,
    firstNameEN: person.firstNameLatin,
    birthday: person.birthDate,
    sex: person.sex,
  }
  const ids = { unzr: person.unzr, rnokpp: person.rnokpp }
  if (type === 'taxpayer-card')
    return { type, data: { ...holder, docNumber: person.rnokpp, ...ids } }
  const candidates = person.documents
    .filter((d) => d.type === type)
    .sort((a, b) => Number(b.valid) - Number(a.valid) || b.issueDate.localeCompare(a.issueDate))
  const document = candidates[0]
  if (!document) return undefined
  const { number: docNumber, issueDate, expirationDate } = document
  return { type, data: { ...holder, docNumber, issueDate, expirationDate, ...ids } }
}

/** A deterministic stand-in for Diia.Signature: the same signer and hash always sign alike. */
const sign = (person: EddrPerson, files: HashedFile[] = []): Signature[] =>
  files.map(({ fileName, fileHash }) => ({
    fileName,
    fileHash,
    signature: createHash('sha256')
      .update(`sild-sandbox-diia-signature:${person.rnokpp}:${fileHash}`)
      .digest('base64'),
  }))
