import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { parse } from 'yaml'
import { createSandbox, type Sandbox } from '../../mocks/sandbox/index.ts'
import { loadFederation } from '../../specs/federation/index.ts'
import { serviceForm, tryOperation, TryInputError, worldSamples, type TryContext } from './index.ts'

const E_RESIDENCY = 'ee-test/GOV/70008747/e-residency'
const PORTAL = 'ee-test/GOV/70006317/eesti-ee'
const SERVED = { 'ee-test': 'http://127.0.0.1:4401', 'SEVDEIR-TEST': 'http://127.0.0.1:4402' }

let sandbox: Sandbox
let ctx: TryContext

beforeAll(async () => {
  sandbox = await createSandbox({ federation: loadFederation() })
  ctx = {
    federation: sandbox.federation,
    specs: sandbox.specs,
    log: sandbox.log,
    fetch: (url, init) => sandbox.dispatcher.fetch(url, init),
    inprocUrls: sandbox.urls.securityServers,
    servedUrls: SERVED,
  }
})

afterAll(() => sandbox?.close())

const form = (id: string) => {
  const service = sandbox.federation.serviceById(id)
  const spec = sandbox.specs.get(id)
  if (!service || !spec) throw new Error(`no ${id}`)
  return serviceForm(sandbox.federation, service, spec)
}

test('prefills a parameter from the example in the spec', () => {
  const getPerson = form('ua-demographic-register').operations.find(
    (o) => o.operationId === 'getPersonByUnzr',
  )
  expect(getPerson?.fields.find((f) => f.name === 'unzr')).toMatchObject({
    in: 'path',
    required: true,
    example: '19900314-00234',
  })
})

test('asks for a purpose on Trembita personal data, and a token where the spec wants one', () => {
  const getPerson = form('ua-demographic-register').operations.find((o) => o.personalData)
  expect(getPerson?.fields).toContainEqual(
    expect.objectContaining({ name: 'Uxp-Purpose-Ids', in: 'header', required: true }),
  )
  const listBranches = form('ua-diia').operations.find((o) => o.operationId === 'listBranches')
  expect(listBranches?.fields).toContainEqual(
    expect.objectContaining({ name: 'Authorization', secret: true }),
  )
})

test('fills a request body from its example', () => {
  const submit = form('ee-e-residency').operations.find((o) => o.method === 'POST' && o.body)
  expect(JSON.parse(submit?.body?.example ?? 'null')).toEqual(expect.any(Object))
})

test('offers first a caller that holds an access right', () => {
  const demographic = form('ua-demographic-register')
  const chosen = demographic.clients.find((c) => c.key === demographic.defaultClient)
  expect(chosen?.allowed.length).toBeGreaterThan(0)
  expect(demographic.clients.find((c) => c.key === PORTAL)?.allowed).toEqual([])
})

test('turns the cast into samples keyed like the parameters they fill', () => {
  const cast = parse(readFileSync(new URL('../../mocks/world/cast.yaml', import.meta.url), 'utf8'))
  const samples = worldSamples(cast)
  expect(samples.find((s) => s.id === 'olena-kovalenko')).toMatchObject({
    kind: 'person',
    label: 'Olena Kovalenko',
    values: { rnokpp: '3294510725', unzr: '19900314-00234', birthDate: '1990-03-14' },
  })
  expect(samples.find((s) => s.kind === 'company')?.values).toEqual(
    expect.objectContaining({ registryCode: expect.any(String) }),
  )
})

test('sends a cross-border call and credits each security server with what it added', async () => {
  const result = await tryOperation(ctx, {
    serviceId: 'ua-demographic-register',
    operationId: 'getPersonByUnzr',
    client: E_RESIDENCY,
    values: { 'path:unzr': '19900314-00234', 'header:Uxp-Purpose-Ids': 'test-purpose' },
  })
  expect(result.response?.status).toBe(200)
  expect(result.securityServers.map((s) => [s.instance, s.roles])).toEqual([
    ['ee-test', ['consumer']],
    ['SEVDEIR-TEST', ['provider']],
  ])
  expect(Object.keys(result.securityServers[0]?.added ?? {})).toEqual(
    expect.arrayContaining(['x-road-id', 'x-road-request-id']),
  )
  expect(result.securityServers[1]?.added).toEqual({})
  expect(Object.keys(result.responseAdded)).toContain('x-road-request-hash')
  expect(result.curl).toContain("'http://127.0.0.1:4401/r1/SEVDEIR-TEST/GOV/37508470/EDDR/")
})

test('shows the provider security server refusing a caller without an access right', async () => {
  const result = await tryOperation(ctx, {
    serviceId: 'ua-demographic-register',
    operationId: 'getPersonByUnzr',
    client: PORTAL,
    values: { 'path:unzr': '19900314-00234', 'header:Uxp-Purpose-Ids': 'test-purpose' },
  })
  const provider = result.securityServers.find((s) => s.roles.includes('provider'))
  // Logged by the Trembita side as X-Road 7.6 writes it, answered by ee-test's 7.8 server.
  expect(provider?.refused?.error).toBe('Server.ServerProxy.AccessDenied')
  expect(provider?.refused?.reason).toBe('accessDenied')
  expect(result.response?.headers['x-road-error']).toBe('server.serverproxy.access_denied')
  // The caller's own security server only passed the refusal back: it refused nothing.
  const consumer = result.securityServers.find((s) => !s.roles.includes('provider'))
  expect(consumer?.refused).toBeUndefined()
  expect(consumer?.relayed).toEqual({
    error: 'server.serverproxy.access_denied',
    from: 'SEVDEIR-TEST',
  })
})

test("attributes a Finnish call to Ukraine to Ukraine's security server, which does not accept FI-TEST", async () => {
  const result = await tryOperation(ctx, {
    serviceId: 'ua-demographic-register',
    operationId: 'getPersonByUnzr',
    client: 'FI-TEST/GOV/1234567-1/client',
    values: { 'path:unzr': '19900314-00234', 'header:Uxp-Purpose-Ids': 'test-purpose' },
  })
  const steps = result.securityServers.map((s) => ({
    instance: s.instance,
    refused: s.refused?.reason,
    relayed: s.relayed?.from,
  }))
  expect(steps).toEqual([
    { instance: 'FI-TEST', refused: undefined, relayed: 'SEVDEIR-TEST' },
    { instance: 'SEVDEIR-TEST', refused: 'federation', relayed: undefined },
  ])
  expect(result.clientInstance).toBe('FI-TEST')
})

test('rejects a call to an operation the service does not have', async () => {
  await expect(
    tryOperation(ctx, { serviceId: 'ua-diia', operationId: 'nothing', client: PORTAL }),
  ).rejects.toBeInstanceOf(TryInputError)
})

test('rejects a body that is not JSON for a JSON operation', async () => {
  const submit = form('ee-e-residency').operations.find((o) => o.method === 'POST' && o.body)
  await expect(
    tryOperation(ctx, {
      serviceId: 'ee-e-residency',
      operationId: submit?.operationId ?? '',
      client: PORTAL,
      body: '{not json',
    }),
  ).rejects.toThrow(/the body is not JSON/)
})
