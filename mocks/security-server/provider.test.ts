import { afterAll, beforeAll, expect, test } from 'vitest'
import type { Sandbox } from '../sandbox/index.ts'
import {
  bundledSandbox,
  ECHO_STATUS_HEADER,
  EE,
  EESTI_EE,
  FI_CLIENT,
  fromSnakeCase,
  MARI,
  POPULATION,
  sequentialUuid,
  startLoopbackWorld,
  UA_KYC,
  UUID,
  type LoopbackWorld,
} from './fixtures/index.ts'

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
const COMPANY = '12345678'

const call = async (
  client: string | undefined,
  path: string,
  init: RequestInit & { headers?: Record<string, string> } = {},
  sandbox = sb,
) => {
  const response = await sandbox.dispatcher.fetch(`${sandbox.urls.securityServers[EE]}${path}`, {
    ...init,
    headers: { ...(client ? { 'X-Road-Client': client } : {}), ...init.headers },
  })
  const text = await response.text()
  const body = /json/.test(response.headers.get('content-type') ?? '') ? JSON.parse(text) : text
  // The bundled ee-test runs X-Road 7.8; the loopback world's instance declares no version (7.6).
  const spelled = <T extends string | null>(code: T): T =>
    sandbox === sb ? fromSnakeCase(code) : code
  if (body && typeof body === 'object' && 'type' in body) body.type = spelled(body.type)
  return { status: response.status, error: spelled(response.headers.get('x-road-error')), body }
}

test('rejects a client that is not registered with Server.ClientProxy.UnknownMember', async () => {
  expect(await call('ee-test/GOV/70006317/nobody', `/r1/${POPULATION}/persons/${MARI}`)).toEqual({
    status: 500,
    error: 'Server.ClientProxy.UnknownMember',
    body: {
      type: 'Server.ClientProxy.UnknownMember',
      message: "Client 'SUBSYSTEM:ee-test/GOV/70006317/nobody' not found",
      detail: expect.stringMatching(UUID),
    },
  })
  expect((await call('ee-test/GOV/99999999', `/r1/${POPULATION}/persons/${MARI}`)).body).toEqual(
    expect.objectContaining({ message: "Client 'MEMBER:ee-test/GOV/99999999' not found" }),
  )
})

test.each([
  ['Ukrainian', UA_KYC],
  ['Finnish', FI_CLIENT],
])(
  'rejects a registered %s client presented to the Estonian security server with UnknownMember',
  async (_, client) => {
    const result = await call(client, `/r1/${POPULATION}/persons/${MARI}`)
    expect(result).toMatchObject({ status: 500, error: 'Server.ClientProxy.UnknownMember' })
    expect(result.body.message).toContain(client)
  },
)

test('rejects a service the provider does not have with Server.ServerProxy.UnknownService', async () => {
  expect(await call(EESTI_EE, `/r1/ee-test/GOV/70008440/rr/nosuchservice/persons/${MARI}`)).toEqual(
    {
      status: 500,
      error: 'Server.ServerProxy.UnknownService',
      body: {
        type: 'Server.ServerProxy.UnknownService',
        message: 'Unknown service: SERVICE:ee-test/GOV/70008440/rr/nosuchservice',
        detail: expect.stringMatching(UUID),
      },
    },
  )
})

// The bank's KYC subsystem holds one right: GET /companies/** on the business register.
const BANK = 'ee-test/COM/14001233/kyc'

test('rejects a call without an access right with Server.ServerProxy.AccessDenied', async () => {
  const result = await call(BANK, `/r1/${POPULATION}/persons/${MARI}`)
  expect(result).toEqual({
    status: 500,
    error: 'Server.ServerProxy.AccessDenied',
    body: {
      type: 'Server.ServerProxy.AccessDenied',
      message: `Request is not allowed: SERVICE:${POPULATION}`,
      detail: expect.stringMatching(UUID),
    },
  })
})

test('rejects a POST with Server.ServerProxy.AccessDenied when the right covers only GET', async () => {
  const path = `/r1/${BUSINESS}/companies/${COMPANY}`
  expect((await call(BANK, path)).status).toBe(200)
  const post = await call(BANK, path, {
    method: 'POST',
    body: '{}',
    headers: { 'content-type': 'application/json' },
  })
  expect(post).toMatchObject({ status: 500, error: 'Server.ServerProxy.AccessDenied' })
})

test('rejects a path deeper than a single-segment /companies/* right, which /companies/** allows', async () => {
  const EE_RESIDENCY = 'ee-test/GOV/70008747/e-residency'
  const one = `/r1/${BUSINESS}/companies/${COMPANY}`
  const two = `/r1/${BUSINESS}/companies/${COMPANY}/representatives`
  expect((await call(EE_RESIDENCY, one)).status).toBe(200)
  expect(await call(EE_RESIDENCY, two)).toMatchObject({
    status: 500,
    error: 'Server.ServerProxy.AccessDenied',
  })
  expect((await call(BANK, two)).status).toBe(200)
  expect(await call(BANK, `/r1/${BUSINESS}/founding-applications/EE-FA-2026-0001`)).toMatchObject({
    error: 'Server.ServerProxy.AccessDenied',
  })
})

test('rejects a call to a disabled service with Server.ServerProxy.ServiceDisabled naming the notice', async () => {
  const before = loopback.echoed.length
  const result = await call(
    EESTI_EE,
    '/r1/ee-test/GOV/70008440/rr/maintenance/persons/1',
    {},
    loopback.sandbox,
  )
  expect(result).toEqual({
    status: 500,
    error: 'Server.ServerProxy.ServiceDisabled',
    body: {
      type: 'Server.ServerProxy.ServiceDisabled',
      message:
        'Service SERVICE:ee-test/GOV/70008440/rr/maintenance is disabled: maintenance until 18:00',
      detail: expect.stringMatching(UUID),
    },
  })
  expect(loopback.echoed.length).toBe(before)
})

test('rejects an X-Road-Security-Server naming another server with Server.ClientProxy.InvalidSecurityServer', async () => {
  const path = `/r1/${POPULATION}/persons/${MARI}`
  const other = await call(EESTI_EE, path, {
    headers: { 'X-Road-Security-Server': 'ee-test/GOV/70006317/ss2' },
  })
  expect(other).toEqual({
    status: 500,
    error: 'Server.ClientProxy.InvalidSecurityServer',
    body: {
      type: 'Server.ClientProxy.InvalidSecurityServer',
      message: 'Invalid security server "SERVER:ee-test/GOV/70006317/ss2"',
      detail: expect.stringMatching(UUID),
    },
  })
  const ukrainian = await call(EESTI_EE, path, {
    headers: { 'X-Road-Security-Server': 'SEVDEIR-TEST/GOV/43220851/SS1' },
  })
  expect(ukrainian.error).toBe('Server.ClientProxy.InvalidSecurityServer')
  const own = await call(EESTI_EE, path, {
    headers: { 'X-Road-Security-Server': 'ee-test/GOV/70006317/ss1' },
  })
  expect(own).toMatchObject({ status: 200, body: { personalCode: MARI } })
})

// The provider information systems of the loopback world, all granted to eesti.ee.
const callService = (service: string, headers: Record<string, string> = {}) =>
  call(EESTI_EE, `/r1/ee-test/GOV/70008440/rr/${service}/persons/1`, { headers }, loopback.sandbox)

test('answers Server.ServerProxy.NetworkError when the provider refuses the connection', async () => {
  const result = await callService('refused')
  expect(result).toMatchObject({
    status: 500,
    error: 'Server.ServerProxy.NetworkError',
    body: { type: 'Server.ServerProxy.NetworkError', detail: expect.stringMatching(UUID) },
  })
  expect(result.body.message).toContain('ECONNREFUSED')
})

test('answers Server.ServerProxy.NetworkError when the provider resets the connection', async () => {
  const result = await callService('reset')
  expect(result).toMatchObject({ status: 500, error: 'Server.ServerProxy.NetworkError' })
  expect(result.body.message).toContain('ECONNRESET')
})

test('answers Server.ServerProxy.IOError when the provider does not answer within its timeout', async () => {
  // The provider never answers, so any answer at all is the security server giving up; it also
  // has to close the connection it abandoned.
  expect(await callService('hang')).toEqual({
    status: 500,
    error: 'Server.ServerProxy.IOError',
    body: {
      type: 'Server.ServerProxy.IOError',
      message: 'Read timed out',
      detail: expect.stringMatching(UUID),
    },
  })
  await expect.poll(() => loopback.hangClosed()).toBe(1)
})

test('answers Server.ServerProxy.ServiceFailed when the provider answers with something that is not HTTP', async () => {
  const result = await callService('garbage')
  expect(result).toMatchObject({
    status: 500,
    error: 'Server.ServerProxy.ServiceFailed',
    body: { type: 'Server.ServerProxy.ServiceFailed', detail: expect.stringMatching(UUID) },
  })
})

test('answers Server.ServerProxy.LoggingFailed when the provider body exceeds maxBodyBytes', async () => {
  expect(await callService('huge')).toEqual({
    status: 500,
    error: 'Server.ServerProxy.LoggingFailed',
    body: {
      type: 'Server.ServerProxy.LoggingFailed',
      message: 'Message size exceeds maximum loggable size',
      detail: expect.stringMatching(UUID),
    },
  })
})

test('passes an error status of the provider through as it is, without X-Road-Error', async () => {
  const result = await callService('echo', { [ECHO_STATUS_HEADER]: '503' })
  expect(result.status).toBe(503)
  expect(result.error).toBeNull()
  expect(result.body).toMatchObject({ method: 'GET', url: '/persons/1' })
})

test('logs every failed provider call, once, with its fault', async () => {
  const before = loopback.sandbox.log.size
  for (const service of ['refused', 'reset', 'hang', 'garbage', 'huge']) await callService(service)
  const records = loopback.sandbox.log.records().slice(before)
  expect(records.map((r) => [r.service, r.error])).toEqual([
    ['ee-test/GOV/70008440/rr/refused', 'Server.ServerProxy.NetworkError'],
    ['ee-test/GOV/70008440/rr/reset', 'Server.ServerProxy.NetworkError'],
    ['ee-test/GOV/70008440/rr/hang', 'Server.ServerProxy.IOError'],
    ['ee-test/GOV/70008440/rr/garbage', 'Server.ServerProxy.ServiceFailed'],
    ['ee-test/GOV/70008440/rr/huge', 'Server.ServerProxy.LoggingFailed'],
  ])
})
