import { afterAll, beforeAll, expect, test } from 'vitest'
import { startSandboxServers, type SandboxServers } from '../../cli/sandbox-servers.ts'
import { rawRequest } from './raw-http.ts'
import { faultCodeIn } from '../../specs/protocol/index.ts'

// Access rights over real sockets: a right on /companies/** must not reach founding applications
// through dot-segments in any spelling, in X-Road and in Trembita/UXP. The request target is sent
// byte for byte, as a hostile client would.

let servers: SandboxServers
beforeAll(async () => {
  servers = await startSandboxServers({ log: null })
})
afterAll(() => servers?.close())

const BUSINESS = 'ee-test/GOV/70000310/arireg/business-register'
/** Both hold GET /companies/** on the business register and nothing on founding applications. */
const EE_KYC = 'ee-test/COM/14001233/kyc'
const UA_KYC = 'SEVDEIR-TEST/GOV/44312340/KYC'

const TRAVERSALS = [
  '/companies/../founding-applications/1',
  '/companies/%2e%2e/founding-applications/1',
  '/companies/%2E%2E/founding-applications/1',
  '/companies/.%2E/founding-applications/1',
  '/companies/%2e%2e%2ffounding-applications/1',
  '/companies/..%2Ffounding-applications/1',
  '/companies/..%5cfounding-applications/1',
  '/companies/..;/founding-applications/1',
  '/companies/%252e%252e/founding-applications/1',
  '/companies/12345678/../../founding-applications/1',
]

const xroad = (path: string) => {
  const url = servers.ready.securityServers['ee-test'] as string
  return rawRequest(url, `/r1/${BUSINESS}${path}`, {
    headers: { host: new URL(url).host, 'x-road-client': EE_KYC, accept: 'application/json' },
  })
}
const uxp = (path: string) => {
  const url = servers.ready.securityServers['SEVDEIR-TEST'] as string
  return rawRequest(url, `/restapi${path}`, {
    headers: {
      host: new URL(url).host,
      'uxp-client': UA_KYC,
      'uxp-service': BUSINESS,
      accept: 'application/json',
    },
  })
}

test.each(TRAVERSALS)('X-Road over HTTP refuses %s with Client.BadRequest', async (path) => {
  const answer = await xroad(path)
  expect(answer.status).toBe(400)
  // ee-test answers in X-Road 7.8's style.
  expect(answer.headers['x-road-error']).toBe(faultCodeIn('Client.BadRequest', '7.8'))
})

test.each(TRAVERSALS)('Trembita/UXP over HTTP refuses %s before the provider', async (path) => {
  const answer = await uxp(path)
  expect(answer.status).toBe(400)
  expect(answer.text).toMatch(/service path contains/)
})

test('the same right still reads a company, and is still denied founding applications', async () => {
  expect((await xroad('/companies/12345678')).status).not.toBe(400)
  const denied = await xroad('/founding-applications/1')
  expect(denied.headers['x-road-error']).toBe(
    faultCodeIn('Server.ServerProxy.AccessDenied', '7.8'),
  )
})
