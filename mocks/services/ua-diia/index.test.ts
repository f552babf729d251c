import { readFileSync } from 'node:fs'
import { expect, test } from 'vitest'
import { parse } from 'yaml'
import type { MockRequest, MockResponse, PeerCall, PeerResponse, Peers } from '../types.ts'
import { loadFederation } from '../../../specs/federation/index.ts'
import { uaDemographicRegister } from '../ua-demographic-register/index.ts'
import { DIIA_SHARING_PURPOSE, EDDR_SERVICE, uaDiia, type DiiaState } from './index.ts'

const E_RESIDENCY = 'ee-test/GOV/70008747/e-residency/e-residency'
const OLENA_UNZR = '19900314-00234'

type FakePeers = Peers & { calls: PeerCall[] }

/**
 * ЄДДР answers from its own mock on a fresh seed, as it would behind the security servers; the
 * e-Residency service answers `delivery` (202 unless a test says otherwise).
 */
const fakePeers = (
  delivery: (call: PeerCall) => PeerResponse | Promise<PeerResponse> = accepted,
): FakePeers => {
  const calls: PeerCall[] = []
  const eddr = uaDemographicRegister.seed()
  return {
    calls,
    call: async (peerCall) => {
      calls.push(peerCall)
      if (peerCall.service === EDDR_SERVICE) {
        const url = new URL(peerCall.path, 'http://eddr.invalid')
        const [, , unzr] = url.pathname.split('/')
        const operationId = unzr ? 'getPersonByUnzr' : 'searchPersonsByRnokpp'
        const response = await uaDemographicRegister.handlers[operationId]!(
          { ...request(operationId), pathParams: unzr ? { unzr } : {}, query: url.searchParams },
          { state: eddr, peers: { call: () => Promise.reject(new Error('unexpected')) } },
        )
        return { status: response.status, headers: new Headers(), body: response.body }
      }
      return delivery(peerCall)
    },
  }
}

const accepted = (): PeerResponse => ({
  status: 202,
  headers: new Headers(),
  body: { accepted: true },
})

const request = (operationId: string, init: Partial<MockRequest> = {}): MockRequest => ({
  operationId,
  method: 'GET',
  path: '/',
  pathParams: {},
  query: new URLSearchParams(),
  headers: new Headers(),
  body: undefined,
  ...init,
})

type World = { state: DiiaState; peers: FakePeers; token: string }

const world = async (peers: FakePeers = fakePeers()): Promise<World> => {
  const state = uaDiia.seed()
  const response = await call({ state, peers, token: '' }, 'getSessionToken', {
    pathParams: { acquirerToken: 'sandbox-acquirer-e-residency' },
    auth: false,
  })
  return { state, peers, token: (response.body as { token: string }).token }
}

const call = async (
  { state, peers, token }: World,
  operationId: string,
  { auth = true, ...init }: Partial<MockRequest> & { auth?: boolean } = {},
): Promise<MockResponse> => {
  const handler = uaDiia.handlers[operationId]
  if (!handler) throw new Error(`no handler for ${operationId}`)
  const headers = new Headers(auth ? { authorization: `Bearer ${token}` } : {})
  return handler(request(operationId, { headers, ...init }), { state, peers })
}

const openRequest = (
  w: World,
  requestId = 'REQ-0001',
  offerId = 'offer-0001',
  branchId = 'branch-0001',
) =>
  call(w, 'createOfferRequest', {
    method: 'POST',
    pathParams: { branchId },
    body: { offerId, requestId },
  })

const consent = (w: World, body: unknown, requestId = 'REQ-0001') =>
  call(w, 'consentToOfferRequest', { method: 'POST', pathParams: { requestId }, body, auth: false })

const status = async (w: World, requestId = 'REQ-0001') =>
  (await call(w, 'getOfferRequestStatus', { query: new URLSearchParams({ requestId }) })).body

test('issues numbered session tokens for a known acquirer token (diia-acquirer-api)', async () => {
  const w = await world()
  const again = await call(w, 'getSessionToken', {
    pathParams: { acquirerToken: 'sandbox-acquirer-e-residency' },
    auth: false,
  })
  expect(w.token).toBe('sandbox-session-0001')
  expect(again.body).toEqual({ token: 'sandbox-session-0002' })
})

test('answers 404 for an acquirer token Diia never issued', async () => {
  const w = await world()
  const response = await call(w, 'getSessionToken', { pathParams: { acquirerToken: 'guess' } })
  expect(response.status).toBe(404)
})

test('rejects acquirer calls without a bearer session token', async () => {
  const w = await world()
  const response = await call(w, 'listBranches', { auth: false })
  expect(response.status).toBe(401)
  expect(response.headers?.['www-authenticate']).toBe('Bearer realm="diia"')
  expect(response.body).toMatchObject({ type: 'urn:sild:problem:unauthorized', status: 401 })
})

test('rejects acquirer calls with a session token Diia never issued (diia-unauthorized)', async () => {
  const w = await world()
  const response = await call({ ...w, token: 'sandbox-session-9999' }, 'createOfferRequest', {
    method: 'POST',
    pathParams: { branchId: 'branch-0001' },
    body: { offerId: 'offer-0001', requestId: 'REQ-0001' },
  })
  expect(response.status).toBe(401)
  expect(response.headers?.['www-authenticate']).toContain('error="invalid_token"')
  expect(w.state.offerRequests).toEqual([])
})

test('reads the citizen from ЄДДР through Trembita and delivers the passport to the acquirer directly (diia-document-delivery)', async () => {
  const w = await world()
  expect(await openRequest(w)).toEqual({
    status: 200,
    body: { deeplink: 'https://diia.app/acquirers/offer-request/dynamic/1' },
  })
  expect(await status(w)).toMatchObject({ status: 'created', kind: 'sharing' })

  const answered = await consent(w, { unzr: OLENA_UNZR })

  expect(w.peers.calls).toEqual([
    {
      service: 'SEVDEIR-TEST/GOV/37508470/EDDR/DemographicRegister_v1',
      method: 'GET',
      path: `/persons/${OLENA_UNZR}`,
      headers: { 'uxp-purpose-ids': DIIA_SHARING_PURPOSE },
    },
    {
      service: E_RESIDENCY,
      method: 'POST',
      path: '/diia/documents',
      headers: { 'content-type': 'application/json', requestId: 'REQ-0001' },
      via: 'direct',
      body: {
        requestId: 'REQ-0001',
        documentTypes: ['foreign-passport'],
        documents: [
          {
            type: 'foreign-passport',
            data: {
              lastNameUA: 'Коваленко',
              firstNameUA: 'Олена',
              lastNameEN: 'Kovalenko',
              firstNameEN: 'Olena',
              birthday: '1990-03-14',
              sex: 'F',
              docNumber: 'FA100234',
              issueDate: '2021-06-15',
              expirationDate: '2031-06-15',
              unzr: OLENA_UNZR,
              rnokpp: '3294510725',
            },
          },
        ],
      },
    },
  ])
  const delivered = {
    requestId: 'REQ-0001',
    branchId: 'branch-0001',
    offerId: 'offer-0001',
    kind: 'sharing',
    status: 'delivered',
    deeplink: 'https://diia.app/acquirers/offer-request/dynamic/1',
    documentTypes: ['foreign-passport'],
  }
  expect(answered).toEqual({ status: 200, body: delivered })
  expect(await status(w)).toEqual(delivered)
})

test('identifies the citizen in ЄДДР by RNOKPP when given one', async () => {
  const w = await world()
  await openRequest(w)
  await consent(w, { rnokpp: '3294510725' })
  expect(w.peers.calls[0]).toMatchObject({ method: 'GET', path: '/persons?rnokpp=3294510725' })
  expect(w.peers.calls[1]?.body).toMatchObject({ documents: [{ data: { unzr: OLENA_UNZR } }] })
  expect(await status(w)).toMatchObject({ status: 'delivered' })
})

test('marks the request failed when the receiving service refuses the delivery', async () => {
  const w = await world(fakePeers(() => ({ status: 500, headers: new Headers(), body: {} })))
  await openRequest(w)
  const answered = await consent(w, { unzr: OLENA_UNZR })
  expect(answered.body).toMatchObject({
    status: 'failed',
    reason: `delivery to ${E_RESIDENCY} answered 500`,
  })
  expect(await status(w)).toMatchObject({ status: 'failed' })
})

test('marks the request failed when the delivery cannot reach the receiver', async () => {
  const w = await world(fakePeers(() => Promise.reject(new Error('timeout after 10000 ms'))))
  await openRequest(w)
  const answered = await consent(w, { unzr: OLENA_UNZR })
  expect(answered.body).toMatchObject({
    status: 'failed',
    reason: expect.stringContaining('timeout'),
  })
})

test('fails without delivering when ЄДДР does not know the citizen', async () => {
  const w = await world()
  await openRequest(w)
  const answered = await consent(w, { unzr: '19900101-00018' })
  expect(answered.body).toMatchObject({
    status: 'failed',
    reason: 'ЄДДР has no person with UNZR 19900101-00018',
  })
  expect(w.peers.calls.map((c) => c.service)).toEqual([EDDR_SERVICE])
})

test('fails without delivering when ЄДДР records the citizen as deceased', async () => {
  const w = await world()
  await openRequest(w)
  const answered = await consent(w, { unzr: '19591029-01531' })
  expect(answered.body).toMatchObject({
    status: 'failed',
    reason: 'ЄДДР records the person as deceased',
  })
  expect(w.peers.calls).toHaveLength(1)
})

test('fails without delivering when the citizen has no foreign passport', async () => {
  const w = await world()
  await openRequest(w)
  const answered = await consent(w, { unzr: '19680225-01015' })
  expect(answered.body).toMatchObject({
    status: 'failed',
    reason: 'ЄДДР records no foreign-passport for this person',
  })
  expect(w.peers.calls).toHaveLength(1)
})

test("passes Mykola Tkachenko's expired passport on for the receiver to judge", async () => {
  const w = await world()
  await openRequest(w)
  await consent(w, { unzr: '19880509-00756' })
  expect(w.peers.calls[1]?.body).toMatchObject({
    documents: [{ data: { docNumber: 'FA100756', expirationDate: '2023-04-15' } }],
  })
})

test('shares the valid passport rather than the one reported lost', async () => {
  const w = await world()
  await openRequest(w)
  await consent(w, { unzr: '19790130-00626' })
  expect(w.peers.calls[1]?.body).toMatchObject({ documents: [{ data: { docNumber: 'FA100626' } }] })
})

test('rejects documents the offer does not ask for and keeps the request open', async () => {
  const w = await world()
  await openRequest(w)
  const response = await consent(w, { unzr: OLENA_UNZR, documentTypes: ['internal-passport'] })
  expect(response.status).toBe(400)
  expect(w.peers.calls).toEqual([])
  expect(await status(w)).toMatchObject({ status: 'created' })
})

test('answers 409 to a second approval of the same request', async () => {
  const w = await world()
  await openRequest(w)
  await consent(w, { unzr: OLENA_UNZR })
  const again = await consent(w, { unzr: OLENA_UNZR })
  expect(again.status).toBe(409)
  expect(w.peers.calls).toHaveLength(2)
})

test('answers 404 to an approval of an unknown request', async () => {
  const w = await world()
  expect((await consent(w, { unzr: OLENA_UNZR }, 'REQ-4040')).status).toBe(404)
})

test('answers 409 to a request id used before and numbers deep links in order', async () => {
  const w = await world()
  await openRequest(w)
  const duplicate = await openRequest(w)
  const second = await openRequest(w, 'REQ-0002')
  expect(duplicate.status).toBe(409)
  expect(second.body).toEqual({ deeplink: 'https://diia.app/acquirers/offer-request/dynamic/2' })
})

test('answers 404 for an offer of another branch and for an unknown request status', async () => {
  const w = await world()
  expect((await openRequest(w, 'REQ-0001', 'offer-0002')).status).toBe(404)
  expect(
    (
      await call(w, 'getOfferRequestStatus', {
        query: new URLSearchParams({ requestId: 'REQ-0001' }),
      })
    ).status,
  ).toBe(404)
})

test('signs file hashes with Diia.Signature when the citizen approves a signing request', async () => {
  const w = await world()
  const fileHash = 'n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg='
  const hashedFiles = [{ fileName: 'e-residency-application.pdf', fileHash }]
  const opened = await call(w, 'createOfferRequest', {
    method: 'POST',
    pathParams: { branchId: 'branch-0002' },
    body: {
      offerId: 'offer-0002',
      requestId: 'REQ-0002',
      data: { hashedFilesSigning: { hashedFiles } },
    },
  })
  expect(opened.status).toBe(200)
  const answered = await consent(w, { unzr: OLENA_UNZR }, 'REQ-0002')
  expect(answered.body).toEqual({
    requestId: 'REQ-0002',
    branchId: 'branch-0002',
    offerId: 'offer-0002',
    kind: 'signing',
    status: 'signed',
    deeplink: 'https://diia.app/acquirers/offer-request/dynamic/1',
    signatures: [{ ...hashedFiles[0], signature: 'kHpmm/kYL8HHVVzywPFSYRZsFi87JDOr227gyshPQXM=' }],
  })
  expect(w.peers.calls.map((c) => c.service)).toEqual([EDDR_SERVICE])
})

test('rejects a signing offer without file hashes and a sharing offer with them', async () => {
  const w = await world()
  const unsigned = await openRequest(w, 'REQ-0002', 'offer-0002', 'branch-0002')
  const hashed = await call(w, 'createOfferRequest', {
    method: 'POST',
    pathParams: { branchId: 'branch-0001' },
    body: {
      offerId: 'offer-0001',
      requestId: 'REQ-0003',
      data: { hashedFilesSigning: { hashedFiles: [{ fileName: 'a.pdf', fileHash: 'AAAA' }] } },
    },
  })
  expect([unsigned.status, hashed.status]).toEqual([400, 400])
  expect(w.state.offerRequests).toEqual([])
})

test('creates branches and offers with counter ids, within the branch scopes', async () => {
  const w = await world()
  const branch = await call(w, 'createBranch', {
    method: 'POST',
    body: {
      name: 'e-Residency pickup point Kyiv',
      email: 'kyiv@sandbox.sild.test',
      region: 'м. Київ',
      district: 'Печерський',
      location: 'м. Київ',
      street: 'вул. Лютеранська',
      house: '6',
      deliveryTypes: ['api'],
      offerRequestType: 'dynamic',
      scopes: { sharing: ['foreign-passport'] },
    },
  })
  expect(branch.body).toEqual({ _id: 'branch-0003' })
  const listed = await call(w, 'listBranches', { query: new URLSearchParams({ skip: '2' }) })
  expect(listed.body).toMatchObject({ total: 3, branches: [{ _id: 'branch-0003' }] })
  expect(listed.body).not.toHaveProperty('branches.0.acquirerId')

  const offer = (scopes: unknown) =>
    call(w, 'createOffer', {
      method: 'POST',
      pathParams: { branchId: 'branch-0003' },
      body: { name: 'Share your passport', scopes },
    })
  expect((await offer({ sharing: ['foreign-passport'] })).body).toEqual({ _id: 'offer-0003' })
  const outside = await offer({ sharing: ['internal-passport'] })
  expect(outside.status).toBe(400)
  const offers = await call(w, 'listOffers', { pathParams: { branchId: 'branch-0003' } })
  expect(offers.body).toMatchObject({ total: 1, offers: [{ _id: 'offer-0003' }] })
})

test("hides another acquirer's branches", async () => {
  const w = await world()
  w.state.acquirers.push({ id: 'other', name: 'Other', acquirerToken: 'other-token', client: 'x' })
  w.state.sessions['other-session'] = 'other'
  const other = { ...w, token: 'other-session' }
  expect((await call(other, 'getBranch', { pathParams: { branchId: 'branch-0001' } })).status).toBe(
    404,
  )
  expect((await call(other, 'listBranches')).body).toEqual({ total: 0, branches: [] })
})

test('validates documents by barcode', async () => {
  const w = await world()
  const identify = async (barcode: string) =>
    call(w, 'identifyDocument', { method: 'POST', body: { branchId: 'branch-0001', barcode } })
  expect((await identify('3002340000001')).body).toEqual({ success: true })
  expect((await identify('2015310000001')).body).toEqual({ success: false })
  expect((await identify('9999999999999')).status).toBe(404)
})

test('delivers to an operation the target service declares, which no Trembita right opens to Diia', () => {
  const federation = loadFederation()
  const { deliveryTarget } = uaDiia.seed().offers.find((o) => o._id === 'offer-0001')!
  const target = federation.service(deliveryTarget?.service ?? '')
  const spec = parse(readFileSync(target?.specFile ?? '', 'utf8')) as {
    paths: Record<string, { post?: { operationId: string } }>
  }
  expect(spec.paths[deliveryTarget?.path ?? '']?.post?.operationId).toBe('receiveDiiaDocuments')
  // Diia calls the acquirer back over HTTPS, outside the federation.
  expect(federation.rightsOf('SEVDEIR-TEST/GOV/43220851/DIIA', target?.key ?? '')).toEqual([])
  expect(federation.serviceById('ua-diia')?.direct).toBe(true)
})

test('two seeds are independent of each other', async () => {
  const w = await world()
  await openRequest(w)
  const fresh = uaDiia.seed()
  expect(w.state.offerRequests).toHaveLength(1)
  expect(fresh.offerRequests).toEqual([])
  expect(fresh.sessions).toEqual({})
  expect(fresh.counters).toEqual({ session: 0, branch: 2, offer: 2, deeplink: 0 })
})

test('delivers only once when the citizen approves twice at the same moment', async () => {
  const w = await world()
  await openRequest(w)
  const [first, second] = await Promise.all([
    consent(w, { unzr: OLENA_UNZR }),
    consent(w, { unzr: OLENA_UNZR }),
  ])
  expect([first.status, second.status]).toEqual([200, 409])
  expect(w.peers.calls.filter((c) => c.method === 'POST')).toHaveLength(1)
})

/** The acquirer SDK's calls (diiaintegration/ua-acquirers-sdk-js src/diia-client-sdk/remote/*). */
const SDK_CALLS = [
  ['GET', '/api/v1/auth/acquirer/{acquirerToken}'],
  ['GET', '/api/v2/acquirers/branches'],
  ['POST', '/api/v2/acquirers/branch'],
  ['GET', '/api/v2/acquirers/branch/{branchId}'],
  ['GET', '/api/v1/acquirers/branch/{branchId}/offers'],
  ['POST', '/api/v1/acquirers/branch/{branchId}/offer'],
  ['POST', '/api/v2/acquirers/branch/{branchId}/offer-request/dynamic'],
  ['POST', '/api/v1/acquirers/document-identification'],
] as const

test.each(SDK_CALLS)(
  'declares the acquirer SDK call %s %s (diia-acquirer-endpoints)',
  (method, path) => {
    const spec = parse(
      readFileSync(new URL('../../../specs/ua/diia.yaml', import.meta.url), 'utf8'),
    ) as { paths: Record<string, Record<string, unknown>> }
    expect(spec.paths[path]?.[method.toLowerCase()]).toBeDefined()
  },
)
