// A spec team mocks its own spec: `provider: mock` in partner.yaml serves GovStack Consent (a real
// public spec whose every path ends in a slash) through Prism, behind the team's security server.
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { createSandbox, type Sandbox } from '../mocks/sandbox/index.ts'
import { askPrism, createPrismClient } from '../mocks/service-host/prism.ts'
import { loadSpec } from '../specs/openapi/index.ts'
import { loadPartnerFederation } from '../specs/partner/index.ts'
import { callAs } from './helpers/sandbox.ts'

const PARTNER = fileURLToPath(new URL('./fixtures/govstack/partner.yaml', import.meta.url))
const SPEC = fileURLToPath(new URL('./fixtures/govstack/consent-openapi.yaml', import.meta.url))
const PORTAL = 'gs-test/GOV/70000001/portal'
const CONSENT = 'gs-test/GOV/70000001/consent/consent'

let sandbox: Sandbox
beforeAll(async () => {
  sandbox = await createSandbox({ federation: loadPartnerFederation(PARTNER).federation })
})
afterAll(() => sandbox.close())

const get = (path: string) => callAs(sandbox, { client: PORTAL, service: CONSENT, path })

/** What `prism mock` alone answers for the same request, examples first. */
const prismAlone = async (path: string, method = 'GET', body?: unknown) => {
  const client = await createPrismClient((await loadSpec(SPEC)).document)
  const { answer } = await askPrism(
    client,
    {},
    {
      url: path,
      method,
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      body,
    },
  )
  return answer
}

test('accepts provider: mock for a service with its own spec in a partner file', () => {
  const { federation } = loadPartnerFederation(PARTNER)
  expect(federation.serviceById('gs-consent')).toMatchObject({ provider: 'mock', key: CONSENT })
})

test("answers a trailing-slash path of the partner's own spec through its security server as Prism alone does", async () => {
  const through = await get('/config/policies/')
  const alone = await prismAlone('/config/policies/')
  expect(alone.status).toBe(200)
  expect(through.status).toBe(200)
  expect(through.body).toEqual(alone.body)
  expect(through.body).toHaveProperty('policies')
})

test('routes a trailing-slash path with a path parameter to its operation', async () => {
  const through = await get('/config/policy/p-1/')
  expect(through.status).toBe(200)
  expect(through.body).toEqual((await prismAlone('/config/policy/p-1/')).body)
  expect(through.body).toHaveProperty('policy')
})

test('passes a request body to a trailing-slash POST and answers from the spec', async () => {
  const body = {
    policy: { id: 'p-1', name: 'Research', version: '1.0.0', url: 'https://example.org/p-1' },
  }
  const through = await callAs(sandbox, {
    client: PORTAL,
    service: CONSENT,
    path: '/config/policy/',
    method: 'POST',
    body,
  })
  expect(through.status).toBe(200)
  expect(through.body).toEqual((await prismAlone('/config/policy/', 'POST', body)).body)
})

test('validates the request body against the spec before Prism answers', async () => {
  const invalid = await callAs(sandbox, {
    client: PORTAL,
    service: CONSENT,
    path: '/config/policy/',
    method: 'POST',
    body: { policy: { name: 'Research' } },
  })
  expect(invalid.status).toBe(400)
  expect(JSON.stringify(invalid.body)).toMatch(/required/)
})

test('grants an access right whose endpoint keeps the trailing slash, as X-Road writes it from the spec', async () => {
  expect((await get('/config/policy/p-1/')).status).toBe(200)
  // X-Road's PathGlob is literal: the same path without its slash is not the granted endpoint.
  const refused = await get('/config/policy/p-1')
  expect(refused.status).toBe(500)
  expect(refused.headers.get('x-road-error')).toBe('Server.ServerProxy.AccessDenied')
})

test('refuses a trailing-slash endpoint the access right does not name', async () => {
  const refused = await get('/config/webhooks/')
  expect(refused.headers.get('x-road-error')).toBe('Server.ServerProxy.AccessDenied')
})
