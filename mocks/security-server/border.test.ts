import { afterAll, beforeAll, expect, test } from 'vitest'
import type { Sandbox } from '../sandbox/index.ts'
import {
  bundledSandbox,
  DEMOGRAPHIC,
  EE,
  EESTI_EE,
  FI_CLIENT,
  MARI,
  POPULATION,
  sequentialUuid,
  startLoopbackWorld,
  UA,
  UA_KYC,
  UNZR,
  UUID,
  type LoopbackWorld,
  type SeenRequest,
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

const EE_ECHO = 'ee-test/GOV/70008440/rr/echo'
const UA_ECHO = 'SEVDEIR-TEST/GOV/37508470/EDDR/Echo_v1'
const E_RESIDENCY_CLIENT = 'ee-test/GOV/70008747/e-residency'

const via = (sandbox: Sandbox, instance: string, path: string, init: RequestInit = {}) =>
  sandbox.dispatcher.fetch(`${sandbox.urls.securityServers[instance]}${path}`, init)

const received = (seen: SeenRequest): Record<string, string> =>
  Object.fromEntries(seen.headers.map(([name, value]) => [name.toLowerCase(), value]))

const protocolHeaders = (seen: SeenRequest): string[] =>
  Object.keys(received(seen))
    .filter((name) => /^(x-road-|uxp-)/.test(name))
    .sort()

const recordsOf = (sandbox: Sandbox, response: Response) => {
  const refs = (response.headers.get('x-sild-log') ?? '').split(', ')
  return refs.map((ref) => {
    const [instance, seq] = ref.split('#')
    return sandbox.log.records().find((r) => r.instance === instance && r.seq === Number(seq))
  })
}

test('an Estonian X-Road client reaches a Ukrainian provider, which receives Uxp-Client, Uxp-Service and Uxp-QueryID', async () => {
  const response = await via(loopback.sandbox, EE, `/r1/${UA_ECHO}/persons/1?x=1`, {
    headers: {
      'X-Road-Client': EESTI_EE,
      'X-Road-Id': 'ee-message-1',
      'Uxp-Purpose-Ids': 'PURPOSE-1',
    },
  })
  expect(response.status).toBe(200)
  const seen = (await response.json()) as SeenRequest
  expect(seen.url).toBe('/persons/1?x=1')
  expect(received(seen)).toMatchObject({
    'uxp-client': EESTI_EE,
    'uxp-service': UA_ECHO,
    'uxp-queryid': 'ee-message-1',
    'uxp-purpose-ids': 'PURPOSE-1',
  })
  expect(protocolHeaders(seen)).toEqual([
    'uxp-client',
    'uxp-purpose-ids',
    'uxp-queryid',
    'uxp-service',
  ])
  // The Estonian client still speaks X-Road and gets its answer in X-Road terms.
  expect(response.headers.get('x-road-id')).toBe('ee-message-1')
  expect(response.headers.get('x-road-client')).toBe(EESTI_EE)
  expect(response.headers.get('x-road-service')).toBe(UA_ECHO)
  expect(response.headers.get('x-road-request-id')).toMatch(UUID)
  expect(response.headers.get('x-road-request-hash')).toHaveLength(88)
})

test('a Ukrainian UXP client reaches an Estonian provider, which receives X-Road-Client, X-Road-Id and X-Road-Request-Id but no X-Road-Service', async () => {
  const response = await via(loopback.sandbox, UA, '/restapi/persons/1?x=1', {
    headers: { 'Uxp-Client': UA_KYC, 'Uxp-Service': EE_ECHO, 'Uxp-QueryID': 'ua-query-1' },
  })
  expect(response.status).toBe(200)
  const seen = (await response.json()) as SeenRequest
  expect(seen.url).toBe('/persons/1?x=1')
  expect(received(seen)).toMatchObject({
    'x-road-client': UA_KYC,
    'x-road-id': 'ua-query-1',
    'x-road-request-id': expect.stringMatching(UUID),
  })
  expect(protocolHeaders(seen)).toEqual(['x-road-client', 'x-road-id', 'x-road-request-id'])
  expect(response.headers.get('uxp-client')).toBe(UA_KYC)
  expect(response.headers.get('uxp-service')).toBe(EE_ECHO)
  expect(response.headers.get('uxp-queryid')).toBe('ua-query-1')
})

test('logs a cross-border exchange once on each side, consumer and provider, with the translation', async () => {
  const toUkraine = await via(loopback.sandbox, EE, `/r1/${UA_ECHO}/things`, {
    method: 'POST',
    body: '{}',
    headers: { 'X-Road-Client': EESTI_EE, 'X-Road-Id': 'log-ee-ua' },
  })
  expect(toUkraine.status).toBe(200)
  const [consumer, provider] = recordsOf(loopback.sandbox, toUkraine)
  expect(consumer).toMatchObject({
    instance: EE,
    securityServer: 'ee-test/GOV/70006317/ss1',
    roles: ['consumer'],
    messageId: 'log-ee-ua',
    client: EESTI_EE,
    service: UA_ECHO,
    status: 200,
  })
  expect(provider).toMatchObject({
    instance: UA,
    securityServer: 'SEVDEIR-TEST/GOV/43220851/SS1',
    roles: ['provider'],
    messageId: 'log-ee-ua',
    requestId: consumer?.requestId,
    translation: 'xroad-rest→uxp-rest',
    status: 200,
  })
  expect(loopback.sandbox.log.records().filter((r) => r.messageId === 'log-ee-ua')).toHaveLength(2)

  const toEstonia = await via(loopback.sandbox, UA, '/restapi/things', {
    method: 'POST',
    body: '{}',
    headers: { 'Uxp-Client': UA_KYC, 'Uxp-Service': EE_ECHO, 'Uxp-QueryID': 'log-ua-ee' },
  })
  expect(toEstonia.status).toBe(200)
  expect(recordsOf(loopback.sandbox, toEstonia)).toMatchObject([
    { instance: UA, roles: ['consumer'], messageId: 'log-ua-ee' },
    {
      instance: EE,
      roles: ['provider'],
      messageId: 'log-ua-ee',
      translation: 'uxp-rest→xroad-rest',
    },
  ])
})

test('Ukraine refuses a Finnish client, whose instance it does not federate with, with the federation fault', async () => {
  const before = loopback.echoed.length
  const response = await via(loopback.sandbox, 'FI-TEST', `/r1/${UA_ECHO}/things`, {
    method: 'POST',
    body: '{}',
    headers: { 'X-Road-Client': FI_CLIENT },
  })
  expect(response.status).toBe(500)
  expect(response.headers.get('x-road-error')).toBe(
    'Server.ServerProxy.ServiceFailed.InternalError',
  )
  expect(await response.json()).toEqual({
    type: 'Server.ServerProxy.ServiceFailed.InternalError',
    message: 'InternalError: Shared params for instance identifier FI-TEST not found',
    detail: expect.stringMatching(UUID),
  })
  expect(loopback.echoed.length).toBe(before)
  expect(recordsOf(loopback.sandbox, response)).toMatchObject([
    { instance: 'FI-TEST', roles: ['consumer'] },
    { instance: UA, roles: ['provider'], error: 'Server.ServerProxy.ServiceFailed.InternalError' },
  ])
})

test('Estonia accepts the same Finnish client', async () => {
  const loop = await via(loopback.sandbox, 'FI-TEST', `/r1/${EE_ECHO}/things`, {
    method: 'POST',
    body: '{}',
    headers: { 'X-Road-Client': FI_CLIENT },
  })
  expect(loop.status).toBe(200)
  expect(received((await loop.json()) as SeenRequest)['x-road-client']).toBe(FI_CLIENT)

  const real = await via(sb, 'FI-TEST', `/r1/${POPULATION}/persons/${MARI}`, {
    headers: { 'X-Road-Client': FI_CLIENT },
  })
  expect(real.status).toBe(200)
  expect(await real.json()).toMatchObject({ personalCode: MARI, familyName: 'Tamm' })
})

test('Ukraine refuses the Finnish client of the bundled federation too, at its provider side', async () => {
  const response = await via(sb, 'FI-TEST', `/r1/${DEMOGRAPHIC}/persons/${UNZR}`, {
    headers: { 'X-Road-Client': FI_CLIENT, 'Uxp-Purpose-Ids': 'PURPOSE-1' },
  })
  expect(response.status).toBe(500)
  expect(await response.json()).toMatchObject({
    type: 'Server.ServerProxy.ServiceFailed.InternalError',
    message: 'InternalError: Shared params for instance identifier FI-TEST not found',
  })
  expect(recordsOf(sb, response)).toMatchObject([
    { instance: 'FI-TEST', roles: ['consumer'] },
    { instance: UA, roles: ['provider'] },
  ])
})

test('a Ukrainian call into Finland stops at Ukraine’s own security server, which does not federate with Finland', async () => {
  const before = loopback.echoed.length
  const response = await via(loopback.sandbox, UA, '/restapi/things', {
    method: 'POST',
    body: '{}',
    headers: { 'Uxp-Client': UA_KYC, 'Uxp-Service': 'FI-TEST/GOV/1234567-1/registry/echo' },
  })
  expect(response.status).toBe(500)
  expect(response.headers.get('uxp-error')).toBe('Server.ClientProxy.InternalError')
  expect(await response.json()).toMatchObject({
    type: 'Server.ClientProxy.InternalError',
    message: 'InternalError: Shared params for instance identifier FI-TEST not found',
  })
  expect(loopback.echoed.length).toBe(before)
  expect(recordsOf(loopback.sandbox, response)).toMatchObject([
    { instance: UA, roles: ['consumer'] },
  ])
})

test('e-Residency reads a citizen from the Ukrainian demographic register over X-Road with a declared purpose', async () => {
  const path = `/r1/${DEMOGRAPHIC}/persons/${UNZR}`
  const response = await via(sb, EE, path, {
    headers: { 'X-Road-Client': E_RESIDENCY_CLIENT, 'Uxp-Purpose-Ids': 'PURPOSE-1' },
  })
  expect(response.status).toBe(200)
  expect(await response.json()).toMatchObject({ unzr: UNZR, firstNameLatin: 'Olena' })
  expect(response.headers.get('x-road-service')).toBe(DEMOGRAPHIC)

  const undeclared = await via(sb, EE, path, { headers: { 'X-Road-Client': E_RESIDENCY_CLIENT } })
  expect(undeclared.status).toBe(400)
  // Raised on the Trembita side, written by ee-test's X-Road 7.8 server that answers the client.
  expect(await undeclared.json()).toMatchObject({
    type: 'client.missing_header_field',
    message: "Required field 'Uxp-Purpose-Ids' is missing",
  })
})

test('a Ukrainian bank reads a person from the Estonian population register over UXP', async () => {
  const response = await via(sb, UA, `/restapi/persons/${MARI}`, {
    headers: { 'Uxp-Client': UA_KYC, 'Uxp-Service': POPULATION },
  })
  expect(response.status).toBe(200)
  expect(await response.json()).toMatchObject({ personalCode: MARI, givenName: 'Mari' })
  expect(response.headers.get('uxp-service')).toBe(POPULATION)
  expect(response.headers.get('uxp-queryid')).toMatch(UUID)
})
