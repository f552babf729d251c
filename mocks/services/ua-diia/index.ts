import { problem } from '../problem.ts'
import { worldSeed } from '../world-seed.ts'
import type {
  MockContext,
  MockRequest,
  MockResponse,
  OperationHandler,
  ServiceMock,
} from '../types.ts'
import { consentToOfferRequest } from './consent.ts'
import {
  nextId,
  offerRequestStatus,
  type Acquirer,
  type Branch,
  type DiiaState,
  type HashedFile,
  type Offer,
} from './state.ts'

export type * from './state.ts'
export { DIIA_SHARING_PURPOSE, EDDR_SERVICE, type DeliveredDocument } from './consent.ts'

const SEED = worldSeed<DiiaState>(new URL('../../world/ua-diia.yaml', import.meta.url))

const DEEPLINK_BASE = 'https://diia.app/acquirers/offer-request/dynamic'

type AcquirerHandler = (
  request: MockRequest,
  context: MockContext<DiiaState>,
  acquirer: Acquirer,
) => MockResponse | Promise<MockResponse>

/** Admits only callers with a session token Diia issued, and tells the handler whose it is. */
const withSession = (handler: AcquirerHandler): OperationHandler<DiiaState> =>
  function withSession(request, context) {
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '')
    if (!match) return unauthorized('send the session token as "Authorization: Bearer <token>"')
    const acquirerId = context.state.sessions[match[1] ?? '']
    const acquirer = context.state.acquirers.find((a) => a.id === acquirerId)
    if (!acquirer) return unauthorized('Diia issued no such session token', 'invalid_token')
    return handler(request, context, acquirer)
  }

const unauthorized = (detail: string, error?: string): MockResponse => ({
  status: 401,
  headers: {
    'content-type': 'application/problem+json',
    'www-authenticate': `Bearer realm="diia"${error ? `, error="${error}"` : ''}`,
  },
  body: { type: 'urn:sild:problem:unauthorized', title: 'Unauthorized', status: 401, detail },
})

const branchOf = (state: DiiaState, acquirer: Acquirer, branchId: string | undefined) =>
  state.branches.find((b) => b._id === branchId && b.acquirerId === acquirer.id)

const noBranch = (branchId: string | undefined) => problem('notFound', `no branch ${branchId}`)

const page = <T>(items: T[], query: URLSearchParams): T[] => {
  const skip = Number(query.get('skip') ?? 0)
  return items.slice(skip, skip + Number(query.get('limit') ?? 100))
}

const publicBranch = ({ acquirerId: _acquirerId, ...branch }: Branch) => branch
const publicOffer = ({ branchId: _branchId, ...offer }: Offer) => offer

const outsideScopes = (offer: Offer['scopes'], branch: Branch['scopes']) => [
  ...(offer.sharing ?? []).filter((t) => !branch.sharing?.includes(t)).map((t) => `sharing ${t}`),
  ...(offer.diiaId ?? []).filter((s) => !branch.diiaId?.includes(s)).map((s) => `diiaId ${s}`),
]

type OfferRequestInput = {
  offerId: string
  requestId: string
  returnLink?: string
  data?: { hashedFilesSigning?: { hashedFiles: HashedFile[] } }
}

/** Diia's partner ("acquirer") API: sessions, branches, offers, deep links, barcode validation. */
export const uaDiia: ServiceMock<DiiaState> = {
  id: 'ua-diia',
  seed: SEED,
  handlers: {
    getSessionToken: ({ pathParams }, { state }) => {
      const acquirer = state.acquirers.find((a) => a.acquirerToken === pathParams.acquirerToken)
      if (!acquirer) return problem('notFound', 'Diia has no acquirer with this token')
      const token = nextId(state, 'session', 'sandbox-session')
      state.sessions[token] = acquirer.id
      return { status: 200, body: { token } }
    },
    listBranches: withSession(({ query }, { state }, acquirer) => {
      const branches = state.branches.filter((b) => b.acquirerId === acquirer.id)
      return {
        status: 200,
        body: { total: branches.length, branches: page(branches, query).map(publicBranch) },
      }
    }),
    createBranch: withSession(({ body }, { state }, acquirer) => {
      const branch = {
        ...(body as Omit<Branch, '_id' | 'acquirerId'>),
        _id: nextId(state, 'branch', 'branch'),
        acquirerId: acquirer.id,
      }
      state.branches.push(branch)
      return { status: 200, body: { _id: branch._id } }
    }),
    getBranch: withSession(({ pathParams }, { state }, acquirer) => {
      const branch = branchOf(state, acquirer, pathParams.branchId)
      return branch ? { status: 200, body: publicBranch(branch) } : noBranch(pathParams.branchId)
    }),
    listOffers: withSession(({ pathParams, query }, { state }, acquirer) => {
      const branch = branchOf(state, acquirer, pathParams.branchId)
      if (!branch) return noBranch(pathParams.branchId)
      const offers = state.offers.filter((o) => o.branchId === branch._id)
      return {
        status: 200,
        body: { total: offers.length, offers: page(offers, query).map(publicOffer) },
      }
    }),
    createOffer: withSession(({ pathParams, body }, { state }, acquirer) => {
      const branch = branchOf(state, acquirer, pathParams.branchId)
      if (!branch) return noBranch(pathParams.branchId)
      const input = body as Omit<Offer, '_id' | 'branchId'>
      const outside = outsideScopes(input.scopes, branch.scopes)
      if (outside.length > 0) {
        return problem(
          'validationFailed',
          `the branch's scopes do not allow ${outside.join(', ')}`,
          [{ name: 'scopes', reason: `outside the branch's scopes: ${outside.join(', ')}` }],
        )
      }
      const offer = { ...input, _id: nextId(state, 'offer', 'offer'), branchId: branch._id }
      state.offers.push(offer)
      return { status: 200, body: { _id: offer._id } }
    }),
    createOfferRequest: withSession(({ pathParams, body }, { state }, acquirer) => {
      const branch = branchOf(state, acquirer, pathParams.branchId)
      if (!branch) return noBranch(pathParams.branchId)
      const input = body as OfferRequestInput
      const offer = state.offers.find((o) => o._id === input.offerId && o.branchId === branch._id)
      if (!offer) return problem('notFound', `branch ${branch._id} has no offer ${input.offerId}`)
      if (state.offerRequests.some((r) => r.requestId === input.requestId)) {
        return problem('conflict', `request ${input.requestId} already exists`)
      }
      const hashedFiles = input.data?.hashedFilesSigning?.hashedFiles
      const signs = offer.scopes.diiaId?.includes('hashedFilesSigning') ?? false
      const shares = (offer.scopes.sharing?.length ?? 0) > 0
      if (hashedFiles ? !signs : !shares) {
        const reason = hashedFiles
          ? 'the offer does not ask for a signature'
          : 'the offer asks for a signature: send data.hashedFilesSigning.hashedFiles'
        return problem('validationFailed', reason, [{ name: 'data.hashedFilesSigning', reason }])
      }
      const deeplink = `${DEEPLINK_BASE}/${++state.counters.deeplink}`
      state.offerRequests.push({
        requestId: input.requestId,
        acquirerId: acquirer.id,
        branchId: branch._id,
        offerId: offer._id,
        kind: hashedFiles ? 'signing' : 'sharing',
        status: 'created',
        deeplink,
        ...(input.returnLink ? { returnLink: input.returnLink } : {}),
        ...(hashedFiles ? { hashedFiles } : {}),
      })
      return { status: 200, body: { deeplink } }
    }),
    getOfferRequestStatus: withSession(({ query }, { state }, acquirer) => {
      const requestId = query.get('requestId')
      const request = state.offerRequests.find(
        (r) => r.requestId === requestId && r.acquirerId === acquirer.id,
      )
      return request ? offerRequestStatus(request) : problem('notFound', `no request ${requestId}`)
    }),
    identifyDocument: withSession(({ body }, { state }, acquirer) => {
      const { branchId, barcode } = body as { branchId: string; barcode: string }
      if (!branchOf(state, acquirer, branchId)) return noBranch(branchId)
      const found = state.barcodes.find((b) => b.barcode === barcode)
      if (!found) return problem('notFound', `Diia issued no barcode ${barcode}`)
      return { status: 200, body: { success: found.valid } }
    }),
    consentToOfferRequest,
  },
}
