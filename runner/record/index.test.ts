import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'
import { loadFederation } from '../../specs/federation/index.ts'
import {
  applyFilters,
  consumerContext,
  exchangesFromHar,
  exchangesFromLog,
  parseExchangeFilter,
  recordScenario,
  scoreConsumerRequest,
  shapeOf,
  volatileReason,
  type RecordedExchange,
} from './index.ts'

const federation = loadFederation()

const exchange = (over: Partial<RecordedExchange> = {}): RecordedExchange => ({
  origin: 'log ee-test#1',
  client: 'ee-test/GOV/70006317/eesti-ee',
  service: 'ee-test/GOV/70008440/rr/population',
  protocol: 'xroad-rest',
  method: 'GET',
  path: '/persons/48001013546',
  requestHeaders: { 'x-road-client': 'ee-test/GOV/70006317/eesti-ee' },
  status: 200,
  responseHeaders: { 'content-type': 'application/json' },
  responseBody: JSON.stringify({ personalCode: '48001013546', givenName: 'Mari' }),
  ...over,
})

test('tells volatile values from data by their form and their key', () => {
  expect(volatileReason('requestId', 'f92591a3-6e4b-4c2a-9f0e-0a8c1d2e3f40')).toBe('uuid')
  expect(volatileReason('submitted', '2026-03-02T10:15:00Z')).toBe('timestamp')
  expect(volatileReason('applicationId', 'EE-APP-2026-0003')).toBe('generated id')
  expect(volatileReason('fileHash', 'n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=')).toBe('token')
  expect(volatileReason('birthDate', '1980-01-01')).toBeUndefined()
  expect(volatileReason('personalCode', '48001013546')).toBeUndefined()
  expect(volatileReason('service', 'ee-test/GOV/70008747/e-residency/e-residency')).toBeUndefined()
})

test('checks a generated id by the shape of its runs of letters and digits', () => {
  expect(shapeOf('EE-APP-2026-0003')).toBe('^[A-Z]{2}-[A-Z]{3}-[0-9]{4}-[0-9]{4}$')
  expect(new RegExp(shapeOf('EE-APP-2026-0003')).test('EE-APP-2027-0411')).toBe(true)
  expect(new RegExp(shapeOf('2026-03-02T10:15:00Z')).test('2027-01-31T23:59:59.123+02:00')).toBe(
    true,
  )
})

test('keeps the consumer side of an exchange both security servers logged', () => {
  const records = [
    {
      seq: 4,
      kind: 'exchange',
      instance: 'SEVDEIR-TEST',
      roles: ['provider'],
      messageId: 'm1',
      method: 'GET',
      path: '/x',
      status: 200,
    },
    {
      seq: 5,
      kind: 'exchange',
      instance: 'ee-test',
      roles: ['consumer'],
      messageId: 'm1',
      method: 'GET',
      path: '/x',
      status: 200,
    },
    {
      seq: 6,
      kind: 'exchange',
      instance: 'ee-test',
      roles: ['consumer'],
      method: 'GET',
      path: '/r1/x',
      status: 400,
      error: 'Client.InvalidClientIdentifier',
    },
  ]
  expect(exchangesFromLog(records).map((e) => [e.origin, e.fault?.code])).toEqual([
    ['log ee-test#5', undefined],
    ['log ee-test#6', 'Client.InvalidClientIdentifier'],
  ])
})

test('reads X-Road and Trembita requests from a HAR file and says why it skips the rest', () => {
  const { exchanges, skipped } = exchangesFromHar({
    log: {
      entries: [
        {
          request: {
            method: 'get',
            url: 'https://ss.example/r1/ee-test/GOV/70008440/rr/population/persons/48001013546?x=1',
            headers: [{ name: 'X-Road-Client', value: 'ee-test/GOV/70006317/eesti-ee' }],
          },
          response: { status: 200, headers: [], content: { text: 'e30=', encoding: 'base64' } },
        },
        {
          request: {
            method: 'GET',
            url: 'https://ss.example/restapi/legal-entities/38123450',
            headers: [
              { name: 'Uxp-Client', value: 'SEVDEIR-TEST/GOV/44312340/KYC' },
              { name: 'Uxp-Service', value: 'SEVDEIR-TEST/GOV/00015622/EDR/LegalEntities_v1' },
            ],
          },
          response: {
            status: 500,
            headers: [{ name: 'Uxp-Error', value: 'Server.ServerProxy.AccessDenied' }],
          },
        },
        {
          request: { method: 'GET', url: 'https://ss.example/index.html' },
          response: { status: 200 },
        },
      ],
    },
  })
  expect(
    exchanges.map((e) => [
      e.protocol,
      e.client,
      e.service,
      e.method,
      e.path,
      e.responseBody,
      e.fault?.code,
    ]),
  ).toEqual([
    [
      'xroad-rest',
      'ee-test/GOV/70006317/eesti-ee',
      'ee-test/GOV/70008440/rr/population',
      'GET',
      '/persons/48001013546?x=1',
      '{}',
      undefined,
    ],
    [
      'uxp-rest',
      'SEVDEIR-TEST/GOV/44312340/KYC',
      'SEVDEIR-TEST/GOV/00015622/EDR/LegalEntities_v1',
      'GET',
      '/legal-entities/38123450',
      undefined,
      'Server.ServerProxy.AccessDenied',
    ],
  ])
  expect(skipped).toEqual([
    'HAR entry 3: /index.html is neither an X-Road /r1/ nor a Trembita /restapi request',
  ])
})

test('filters by service id, path glob and status class', () => {
  const idOf = (key: string) => federation.service(key)?.id
  const all = [exchange(), exchange({ path: '/persons/48001013546/residence', status: 404 })]
  const keep = (...filters: string[]) =>
    applyFilters(
      all,
      filters.map((f) => parseExchangeFilter(f, idOf)),
    ).map((e) => e.path)
  expect(keep('service=ee-population-register', 'status=4xx')).toEqual([
    '/persons/48001013546/residence',
  ])
  expect(keep('path=/persons/*')).toEqual(['/persons/48001013546'])
  expect(keep('instance=SEVDEIR-TEST')).toEqual([])
  expect(() => parseExchangeFilter('colour=red')).toThrow(/--filter colour=red: not a filter/)
})

test('records an exchange as a step whose criteria are the recorded answer', async () => {
  const { document, steps, notes } = await recordScenario(
    [exchange(), exchange({ client: undefined, origin: 'log ee-test#2' })],
    { federation, scenarioFile: '/tmp/x/recorded.arazzo.yaml' },
  )
  expect(steps).toBe(1)
  expect(notes).toEqual([
    'log ee-test#2: skipped, the request named no client the security server could read',
  ])
  const step = (document.workflows as Array<{ steps: Array<Record<string, unknown>> }>)[0]?.steps[0]
  expect(step?.operationId).toBe('$sourceDescriptions.ee-population-register.getPerson')
  expect(step?.parameters).toEqual([
    { name: 'personalCode', in: 'path', value: '48001013546' },
    { name: 'X-Road-Client', in: 'header', value: 'ee-test/GOV/70006317/eesti-ee' },
  ])
  expect(step?.successCriteria).toEqual([
    { condition: '$statusCode == 200' },
    { context: '$response.header.Content-Type', condition: '^application\\/json', type: 'regex' },
    { condition: "$response.body#/personalCode == '48001013546'" },
    { condition: "$response.body#/givenName == 'Mari'" },
  ])
})

test('scores a client request the provider refused for want of a right at level 3', async () => {
  const ctx = await consumerContext(
    exchange({
      client: 'md-test/GOV/1/portal',
      requestHeaders: { 'x-road-client': 'md-test/GOV/1/portal' },
      status: 500,
      fault: { code: 'Server.ServerProxy.AccessDenied' },
    }),
    federation,
    'ee-test',
  )
  const { outcomes } = scoreConsumerRequest(ctx, { scenario: 's', workflowId: 'w', stepId: 'r1' })
  expect(outcomes.map((o) => `${o.check} ${o.level} ${o.passed}`)).toEqual([
    'clientHeaderWellFormed 1 true',
    'clientRegistered 1 false',
    'protocolRequestWellFormed 1 true',
    'serviceKnown 2 true',
    'requestContractConformance 2 true',
    'accessRightHeld 3 false',
  ])
  expect(outcomes[0]?.profile).toBe('consumer:ee-population-register')
})

test('records a call to the service root, with the headers the operation declares and the client as a header parameter', async () => {
  const world = loadFederation([
    fileURLToPath(new URL('./fixtures/federation.yaml', import.meta.url)),
  ])
  const { document, steps, notes } = await recordScenario(
    [
      exchange({
        service: 'ee-test/GOV/70000001/consent/consent',
        path: '',
        requestHeaders: {
          'x-road-client': 'ee-test/GOV/70006317/eesti-ee',
          accept: 'application/json, text/plain',
          'information-mediator-client': 'eSSIF/GOV/70006317/wallet',
        },
        responseBody: JSON.stringify({ count: 1 }),
      }),
    ],
    { federation: world, scenarioFile: '/tmp/x/recorded.arazzo.yaml' },
  )
  expect(notes).toEqual([])
  expect(steps).toBe(1)
  expect(document.sourceDescriptions).toEqual([
    { name: 'ee-consent', url: expect.stringMatching(/consent\.yaml$/), type: 'openapi' },
  ])
  const step = (document.workflows as Array<{ steps: Array<Record<string, unknown>> }>)[0]?.steps[0]
  expect(step?.operationId).toBe('$sourceDescriptions.ee-consent.listConsents')
  expect(step).not.toHaveProperty('x-sild-client')
  expect(step?.parameters).toEqual([
    { name: 'X-Road-Client', in: 'header', value: 'ee-test/GOV/70006317/eesti-ee' },
    { name: 'Accept', in: 'header', value: 'application/json, text/plain' },
    { name: 'Information-Mediator-Client', in: 'header', value: 'eSSIF/GOV/70006317/wallet' },
  ])
})

test('asks for a session token the log redacted from the step that issued it, never writes it down', async () => {
  const issued = exchange({
    origin: 'log ee-test#1',
    responseBody: JSON.stringify({ personalCode: '48001013546', token: '[REDACTED]' }),
  })
  const used = exchange({
    origin: 'log ee-test#2',
    requestHeaders: {
      'x-road-client': 'ee-test/GOV/70006317/eesti-ee',
      authorization: 'Bearer [REDACTED]',
    },
  })
  const { document, notes } = await recordScenario([issued, used], {
    federation,
    scenarioFile: '/tmp/x/recorded.arazzo.yaml',
  })
  const [first, second] = (
    document.workflows as Array<{ steps: Array<Record<string, unknown>> }>
  )[0]?.steps as Array<Record<string, unknown>>
  expect(first?.outputs).toEqual(expect.objectContaining({ token: '$response.body#/token' }))
  expect(second?.parameters).toContainEqual({
    name: 'Authorization',
    in: 'header',
    value: `Bearer {$steps.${String(first?.stepId)}.outputs.token}`,
  })
  expect(JSON.stringify(document)).not.toContain('REDACTED')
  expect(notes).toEqual([])
})

test('leaves out a redacted Authorization header no earlier step issued, and says so', async () => {
  const used = exchange({
    requestHeaders: {
      'x-road-client': 'ee-test/GOV/70006317/eesti-ee',
      authorization: 'Bearer [REDACTED]',
    },
  })
  const { document, notes } = await recordScenario([used], {
    federation,
    scenarioFile: '/tmp/x/recorded.arazzo.yaml',
  })
  expect(JSON.stringify(document)).not.toContain('Authorization')
  expect(notes).toEqual([
    'log ee-test#1: its Authorization header is not replayed (a secret no earlier step issued)',
  ])
})
