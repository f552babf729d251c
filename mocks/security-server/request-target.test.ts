import { afterAll, beforeAll, expect, test } from 'vitest'
import type { Sandbox } from '../sandbox/index.ts'
import { faultCodeIn } from '../../specs/protocol/index.ts'
import {
  bundledSandbox,
  EE,
  EESTI_EE,
  sequentialUuid,
  startLoopbackWorld,
  UA,
  UA_KYC,
  type LoopbackWorld,
} from './fixtures/index.ts'
import { unsafeServicePathReason, withoutMethodOverride } from './request-target.ts'

let sb: Sandbox
let loopback: LoopbackWorld
beforeAll(async () => {
  ;[sb, loopback] = await Promise.all([
    bundledSandbox(),
    startLoopbackWorld({ uuid: sequentialUuid() }),
  ])
})
afterAll(async () => {
  await Promise.all([sb.close(), loopback.close()])
})

const BUSINESS = 'ee-test/GOV/70000310/arireg/business-register'
/** Holds GET /companies/** on the business register, and nothing on founding applications. */
const KYC = 'ee-test/COM/14001233/kyc'

// The direct entry takes the raw request target, as the HTTP server hands it over; a WHATWG
// Request would already have resolved the dot-segments.
const call = async (
  sandbox: Sandbox,
  instance: string,
  target: string,
  headers: Record<string, string>,
) => {
  const q = target.indexOf('?')
  const reply = await sandbox.securityServers.get(instance)!.call({
    method: 'GET',
    pathname: q < 0 ? target : target.slice(0, q),
    search: q < 0 ? '' : target.slice(q),
    headers: Object.entries(headers),
  })
  const header = (name: string) => reply.headers.find(([n]) => n.toLowerCase() === name)?.[1]
  return {
    status: reply.status,
    error: header('x-road-error') ?? null,
    text: new TextDecoder().decode(reply.body),
  }
}

const TRAVERSALS = [
  '/companies/../founding-applications/1',
  '/companies/%2e%2e/founding-applications/1',
  '/companies/%2E%2E/founding-applications/1',
  '/companies/.%2e/founding-applications/1',
  '/companies/%2e./founding-applications/1',
  '/companies/%252e%252e/founding-applications/1',
  '/companies/..;/founding-applications/1',
  '/companies/..%3b/founding-applications/1',
  '/companies/..%2ffounding-applications/1',
  '/companies/..%2Ffounding-applications/1',
  '/companies/..%5cfounding-applications/1',
  '/companies/..\\founding-applications/1',
  '/companies/%2e%2e%2ffounding-applications/1',
  '/companies/./../founding-applications/1',
  '/companies/1/../../founding-applications/1',
  '/companies/x%00/../founding-applications/1',
]

test.each(TRAVERSALS)(
  'refuses the X-Road path %s on a /companies/** right with Client.BadRequest',
  async (path) => {
    const result = await call(sb, EE, `/r1/${BUSINESS}${path}`, { 'X-Road-Client': KYC })
    expect(result.status).toBe(400)
    // ee-test answers in X-Road 7.8's style.
    expect(result.error).toBe(faultCodeIn('Client.BadRequest', '7.8'))
    expect(result.text).toMatch(/service path contains/)
  },
)

test.each(TRAVERSALS)(
  'refuses the path %s before it reaches a provider, over UXP too',
  async (path) => {
    const before = loopback.echoed.length
    const result = await call(loopback.sandbox, UA, `/restapi${path}`, {
      'Uxp-Client': UA_KYC,
      'Uxp-Service': 'SEVDEIR-TEST/GOV/37508470/EDDR/Echo_v1',
    })
    expect(result.status).toBe(400)
    expect(loopback.echoed.length).toBe(before)
  },
)

test('passes a resolved path with dots inside names to the provider unchanged', async () => {
  const result = await call(
    loopback.sandbox,
    EE,
    '/r1/ee-test/GOV/70008440/rr/echo/files/a..b/.well.known/x%20y?q=../x',
    { 'X-Road-Client': EESTI_EE },
  )
  expect(result.status).toBe(200)
  expect(JSON.parse(result.text).url).toBe('/files/a..b/.well.known/x%20y?q=../x')
})

test.each([
  'X-HTTP-Method-Override',
  'X-HTTP-Method',
  'X-Method-Override',
  'x-http-method-override',
])('drops the method override header %s before the provider', async (header) => {
  const result = await call(loopback.sandbox, EE, '/r1/ee-test/GOV/70008440/rr/echo/persons/1', {
    'X-Road-Client': EESTI_EE,
    [header]: 'DELETE',
  })
  expect(result.status).toBe(200)
  const seen = JSON.parse(result.text) as { method: string; headers: Array<[string, string]> }
  expect(seen.method).toBe('GET')
  expect(seen.headers.map(([name]) => name.toLowerCase())).not.toContain(header.toLowerCase())
})

test('keeps ordinary dotted names and refuses only whole dot-segments', () => {
  expect(unsafeServicePathReason('/a/..b/c.')).toBeUndefined()
  expect(unsafeServicePathReason('/a/%2e%2e')).toMatch(/dot-segment/)
  expect(unsafeServicePathReason('/a/%zz/b')).toBeUndefined()
  expect(unsafeServicePathReason('/persons/a%2Fb%20c')).toBeUndefined()
  expect(unsafeServicePathReason('/persons/a%2F..%2Fb')).toMatch(/dot-segment/)
  expect(
    withoutMethodOverride([
      ['X-Method-Override', 'PUT'],
      ['Accept', '*/*'],
    ]),
  ).toEqual([['Accept', '*/*']])
})
