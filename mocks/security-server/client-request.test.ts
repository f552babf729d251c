import { afterAll, beforeAll, expect, test } from 'vitest'
import type { Sandbox } from '../sandbox/index.ts'
import {
  bundledSandbox,
  DEMOGRAPHIC,
  EE,
  EESTI_EE,
  fromSnakeCase,
  MARI,
  POPULATION,
  UA,
  UA_KYC,
  UNZR,
  UUID,
} from './fixtures/index.ts'

let sb: Sandbox
beforeAll(async () => {
  sb = await bundledSandbox()
})
afterAll(() => sb.close())

const MARI_PATH = `/r1/${POPULATION}/persons/${MARI}`

const xroadCall = (path: string, headers: HeadersInit = {}, init: RequestInit = {}) =>
  sb.dispatcher.fetch(`${sb.urls.securityServers[EE]}${path}`, { ...init, headers })

const xroadFault = async (response: Response) => {
  const body = (await response.json()) as { type: string; message: string; detail: string }
  return {
    status: response.status,
    header: fromSnakeCase(response.headers.get('x-road-error')),
    ...body,
    type: fromSnakeCase(body.type),
  }
}

test('rejects a call without X-Road-Client with 500 server.clientproxy.invalid_client_identifier, X-Road-Error and a {type, message, detail} body', async () => {
  const response = await xroadCall(MARI_PATH)
  expect(response.headers.get('content-type')).toBe('application/json;charset=utf-8')
  const body = await response.json()
  expect(Object.keys(body).sort()).toEqual(['detail', 'message', 'type'])
  expect(response.status).toBe(500)
  expect(response.headers.get('x-road-error')).toBe(body.type)
  expect(body.type).toBe('server.clientproxy.invalid_client_identifier')
  expect(body.message).toBe('The client identifier is missing')
  expect(body.detail).toMatch(UUID)
})

test.each([
  ['two parts', 'ee-test/GOV', 'Server.ClientProxy.InternalError', 500],
  ['five parts', `${EESTI_EE}/extra`, 'Server.ClientProxy.InternalError', 500],
  ['an empty part', 'ee-test//70006317/eesti-ee', 'Client.BadRequest', 400],
  ['a trailing slash', `${EESTI_EE}/`, 'Server.ClientProxy.InternalError', 500],
])('rejects an X-Road-Client with %s with %s', async (_, value, type, status) => {
  expect(await xroadFault(await xroadCall(MARI_PATH, { 'X-Road-Client': value }))).toMatchObject({
    status,
    header: type,
    type,
    detail: expect.stringMatching(UUID),
  })
})

test.each([
  ['a raw space', 'ee-test/GOV/70006317/eesti ee'],
  ['a raw <', 'ee-test/GOV/70006317/<script>'],
  ['an incomplete escape', 'ee-test/GOV/70006317/eesti%2'],
  ['a non-hex escape', 'ee-test/GOV/70006317/eesti%zz'],
  ['an escape that is not UTF-8', 'ee-test/GOV/70006317/eesti%C3'],
])(
  'rejects an X-Road-Client with %s as an id that does not decode (500 InternalError)',
  async (_, value) => {
    const result = await xroadFault(await xroadCall(MARI_PATH, { 'X-Road-Client': value }))
    expect(result.status).toBe(500)
    expect(result.type).toBe('Server.ClientProxy.InternalError')
    expect(result.header).toBe(result.type)
  },
)

test.each([
  ['an encoded space', 'ee-test/GOV/70006317/eesti%20ee', 'eesti ee'],
  ['an encoded <', 'ee-test/GOV/70006317/%3Cscript%3E', '<script>'],
])(
  'only warns of an X-Road-Client with %s and refuses it as the unknown client it names',
  async (_, value, part) => {
    const response = await xroadCall(MARI_PATH, { 'X-Road-Client': value })
    const [seq] = (response.headers.get('x-sild-log') ?? '').split('#').slice(1)
    expect(await xroadFault(response)).toMatchObject({
      status: 500,
      type: 'Server.ClientProxy.UnknownMember',
    })
    expect(sb.log.records().find((r) => r.seq === Number(seq))?.warnings).toEqual([
      expect.stringContaining(`Invalid character(s) in identifier part ${JSON.stringify(part)}`),
    ])
  },
)

test('reads each percent-encoded part of X-Road-Client as the same client', async () => {
  const response = await xroadCall(MARI_PATH, {
    'X-Road-Client': 'ee-test/GOV/70006317/eesti%2Dee',
  })
  expect(response.status).toBe(200)
  expect(await response.json()).toMatchObject({ personalCode: MARI, givenName: 'Mari' })
  expect(response.headers.get('x-road-client')).toBe(EESTI_EE)
  const [seq] = (response.headers.get('x-sild-log') ?? '').split('#').slice(1)
  expect(sb.log.records().find((r) => r.seq === Number(seq))?.client).toBe(EESTI_EE)
})

test('uses the last X-Road-Client when the header is sent twice', async () => {
  const unknownLast = new Headers()
  unknownLast.append('X-Road-Client', EESTI_EE)
  unknownLast.append('X-Road-Client', 'ee-test/GOV/70006317/nobody')
  expect(await xroadFault(await xroadCall(MARI_PATH, unknownLast))).toMatchObject({
    type: 'Server.ClientProxy.UnknownMember',
    message: "Client 'SUBSYSTEM:ee-test/GOV/70006317/nobody' not found",
  })

  const knownLast = new Headers()
  knownLast.append('X-Road-Client', 'ee-test/GOV/70006317/nobody')
  knownLast.append('X-Road-Client', EESTI_EE)
  const response = await xroadCall(MARI_PATH, knownLast)
  expect(response.status).toBe(200)
  expect(response.headers.get('x-road-client')).toBe(EESTI_EE)
})

test.each(['Information-Mediator-Client', 'X-GovStack-Client'])(
  'refuses a call that names its client only in the GovStack header %s',
  async (name) => {
    expect(await xroadFault(await xroadCall(MARI_PATH, { [name]: EESTI_EE }))).toMatchObject({
      status: 500,
      type: 'Server.ClientProxy.InvalidClientIdentifier',
      message: 'The client identifier is missing',
    })
  },
)

test.each([
  ['/r2/', 'Unsupported protocol version 2'],
  ['/v1/', 'Invalid protocol version v1'],
  ['/r0/', 'Unsupported protocol version 0'],
])('rejects a %s path with Client.InvalidProtocolVersion', async (prefix, message) => {
  const path = MARI_PATH.replace('/r1/', prefix)
  expect(await xroadFault(await xroadCall(path, { 'X-Road-Client': EESTI_EE }))).toMatchObject({
    status: 400,
    header: 'Client.InvalidProtocolVersion',
    type: 'Client.InvalidProtocolVersion',
    message,
  })
})

test.each(['text/xml', 'application/xml', 'text/*', 'application/json;q=0.9, text/xml'])(
  'answers an error as XML when Accept is %s',
  async (accept) => {
    const response = await xroadCall(MARI_PATH, { Accept: accept })
    expect(response.status).toBe(500)
    expect(response.headers.get('content-type')).toMatch(/^(text|application)\/xml;charset=utf-8$/)
    expect(response.headers.get('x-road-error')).toBe(
      'server.clientproxy.invalid_client_identifier',
    )
    expect(await response.text()).toMatch(
      /<error><type>server\.clientproxy\.invalid_client_identifier<\/type><message>The client identifier is missing<\/message><detail>[0-9a-f-]{36}<\/detail><\/error>$/,
    )
  },
)

test.each(['application/json', '*/*', 'text/plain', ''])(
  'answers an error as JSON when Accept is %j',
  async (accept) => {
    const response = await xroadCall(MARI_PATH, accept ? { Accept: accept } : {})
    expect(response.headers.get('content-type')).toBe('application/json;charset=utf-8')
    expect(await response.json()).toMatchObject({
      type: 'server.clientproxy.invalid_client_identifier',
    })
  },
)

test('answers every Server.* fault with 500 and every Client.* fault with 400, X-Road-Error naming it', async () => {
  const client = { 'X-Road-Client': EESTI_EE }
  const cases: Array<[string, HeadersInit, RequestInit?]> = [
    [MARI_PATH, {}],
    [MARI_PATH, { 'X-Road-Client': 'ee-test/GOV' }],
    [MARI_PATH, { 'X-Road-Client': 'ee-test//70006317/eesti-ee' }],
    [MARI_PATH.replace('/r1/', '/r2/'), client],
    [MARI_PATH, { 'X-Road-Client': 'ee-test/GOV/70006317/nobody' }],
    [`/r1/ee-test/GOV/70008440/rr/nosuchservice/persons/${MARI}`, client],
    ['/r1/ee-test/COM/14001233/kyc/nothing', client],
    [`/r1/XX-TEST/GOV/1/sub/service`, client],
    [
      '/r1/ee-test/GOV/70000310/arireg/business-register/companies/12345678',
      client,
      { method: 'POST', body: '{}' },
    ],
    [MARI_PATH, { ...client, 'X-Road-Security-Server': 'ee-test/GOV/70006317/ss2' }],
    [MARI_PATH, { ...client, 'X-Road-Security-Server': 'ee-test/GOV' }],
  ]
  const seen = new Set<string>()
  for (const [path, headers, init] of cases) {
    const result = await xroadFault(await xroadCall(path, headers, init))
    expect(result.status, `${result.type} for ${path}`).toBe(
      result.type.startsWith('Server.') ? 500 : 400,
    )
    expect(result.header).toBe(result.type)
    expect(result.detail).toMatch(UUID)
    seen.add(result.type.split('.')[0] as string)
  }
  expect([...seen].sort()).toEqual(['Client', 'Server'])
})

const PURPOSE = { 'Uxp-Purpose-Ids': 'PURPOSE-KYC-1' }

const uxpCall = (path: string, headers: Record<string, string> | Headers) =>
  sb.dispatcher.fetch(`${sb.urls.securityServers[UA]}${path}`, { headers })

const uxpFault = async (response: Response) => ({
  status: response.status,
  uxpError: response.headers.get('uxp-error'),
  xroadError: response.headers.get('x-road-error'),
  body: await response.json(),
})

test('serves a call named by Uxp-Client and Uxp-Service without a version part', async () => {
  const response = await uxpCall(`/restapi/persons/${UNZR}`, {
    'Uxp-Client': UA_KYC,
    'Uxp-Service': DEMOGRAPHIC,
    ...PURPOSE,
  })
  expect(response.status).toBe(200)
  expect(await response.json()).toMatchObject({ unzr: UNZR, lastNameLatin: 'Kovalenko' })
  expect(response.headers.get('uxp-client')).toBe(UA_KYC)
  expect(response.headers.get('uxp-service')).toBe(DEMOGRAPHIC)
})

const EDR = 'SEVDEIR-TEST/GOV/00015622/EDR/LegalEntities_v1'
const EDR_PATH = '/restapi/legal-entities/22222221'

test('serves a call whose Uxp-Service names the version the service is published under, and returns it', async () => {
  const response = await uxpCall(EDR_PATH, {
    'Uxp-Client': UA_KYC,
    'Uxp-Service': `${EDR}/1`,
    ...PURPOSE,
  })
  expect(response.status).toBe(200)
  expect(response.headers.get('uxp-service')).toBe(`${EDR}/1`)
})

test('treats an empty trailing version in Uxp-Service as none', async () => {
  for (const service of [`${EDR}/`, `${DEMOGRAPHIC}/`]) {
    const path = service.startsWith(EDR) ? EDR_PATH : `/restapi/persons/${UNZR}`
    const response = await uxpCall(path, {
      'Uxp-Client': UA_KYC,
      'Uxp-Service': service,
      ...PURPOSE,
    })
    expect(response.status, service).toBe(200)
  }
})

test('refuses a version the service is not published under as an unknown service', async () => {
  for (const service of [`${EDR}/9`, `${DEMOGRAPHIC}/v9-does-not-exist`]) {
    const path = service.startsWith(EDR) ? EDR_PATH : `/restapi/persons/${UNZR}`
    const result = await uxpFault(
      await uxpCall(path, { 'Uxp-Client': UA_KYC, 'Uxp-Service': service, ...PURPOSE }),
    )
    expect(result, service).toMatchObject({
      status: 500,
      uxpError: 'Server.ServerProxy.UnknownService',
      body: { message: expect.stringMatching(/^Unknown service: /) },
    })
  }
})

test('echoes the client’s Uxp-QueryID and generates a UUID when there is none', async () => {
  const echoed = await uxpCall(`/restapi/persons/${UNZR}`, {
    'Uxp-Client': UA_KYC,
    'Uxp-Service': DEMOGRAPHIC,
    'Uxp-QueryID': 'kyc-query-42',
    ...PURPOSE,
  })
  expect(echoed.headers.get('uxp-queryid')).toBe('kyc-query-42')
  const generated = await uxpCall(`/restapi/persons/${UNZR}`, {
    'Uxp-Client': UA_KYC,
    'Uxp-Service': DEMOGRAPHIC,
    ...PURPOSE,
  })
  expect(generated.headers.get('uxp-queryid')).toMatch(UUID)
  // A UXP client gets UXP headers only.
  expect([...generated.headers.keys()].filter((name) => name.startsWith('x-road-'))).toEqual([])
})

test('rejects a call without Uxp-Service with Client.MissingHeaderField in Uxp-Error', async () => {
  expect(
    await uxpFault(await uxpCall(`/restapi/persons/${UNZR}`, { 'Uxp-Client': UA_KYC })),
  ).toEqual({
    status: 400,
    uxpError: 'Client.MissingHeaderField',
    xroadError: null,
    body: {
      type: 'Client.MissingHeaderField',
      message: "Required field 'Uxp-Service' is missing",
      detail: expect.stringMatching(UUID),
    },
  })
})

test('rejects a personal-data call without Uxp-Purpose-Ids with Client.MissingHeaderField naming it', async () => {
  const result = await uxpFault(
    await uxpCall(`/restapi/persons/${UNZR}`, { 'Uxp-Client': UA_KYC, 'Uxp-Service': DEMOGRAPHIC }),
  )
  expect(result).toEqual({
    status: 400,
    uxpError: 'Client.MissingHeaderField',
    xroadError: null,
    body: {
      type: 'Client.MissingHeaderField',
      message: "Required field 'Uxp-Purpose-Ids' is missing",
      detail: expect.stringMatching(UUID),
    },
  })
})

test('serves an operation without personal data without Uxp-Purpose-Ids', async () => {
  const response = await uxpCall('/restapi/documents/FX123456/validity', {
    'Uxp-Client': UA_KYC,
    'Uxp-Service': DEMOGRAPHIC,
  })
  expect(response.headers.get('uxp-error')).toBeNull()
  expect(response.status).toBeLessThan(500)
})

test('rejects a call without Uxp-Client, or with a malformed one, as X-Road 7.6 would, in Uxp-Error', async () => {
  const missing = await uxpFault(
    await uxpCall(`/restapi/persons/${UNZR}`, { 'Uxp-Service': DEMOGRAPHIC }),
  )
  // UXP faults are X-Road 7.6's (assumed: no public source).
  expect(missing).toMatchObject({
    status: 500,
    uxpError: 'Server.ClientProxy.InvalidClientIdentifier',
  })
  for (const client of ['SEVDEIR-TEST/GOV/44312340', 'SEVDEIR-TEST/GOV/44312340/K YC']) {
    const result = await uxpFault(
      await uxpCall(`/restapi/persons/${UNZR}`, {
        'Uxp-Client': client,
        'Uxp-Service': DEMOGRAPHIC,
      }),
    )
    expect(result.status).toBe(500)
    expect(result.uxpError).toBe('Server.ClientProxy.InternalError')
    expect(result.body.type).toBe(result.uxpError)
  }
})

test('uses the last Uxp-Client and Uxp-Service when they are sent twice', async () => {
  const headers = new Headers(PURPOSE)
  headers.append('Uxp-Client', 'SEVDEIR-TEST/GOV/44312340/NOBODY')
  headers.append('Uxp-Client', UA_KYC)
  headers.append('Uxp-Service', 'SEVDEIR-TEST/GOV/37508470/EDDR/Nothing_v1')
  headers.append('Uxp-Service', DEMOGRAPHIC)
  const response = await uxpCall(`/restapi/persons/${UNZR}`, headers)
  expect(response.status).toBe(200)
  expect(response.headers.get('uxp-client')).toBe(UA_KYC)
})

test('answers a fault of the provider side in Uxp-Error with 500 and XML on request', async () => {
  const response = await uxpCall(`/restapi/persons/${UNZR}`, {
    'Uxp-Client': 'SEVDEIR-TEST/GOV/43005393/DPS',
    'Uxp-Service': DEMOGRAPHIC,
    Accept: 'text/xml',
    ...PURPOSE,
  })
  expect(response.status).toBe(500)
  expect(response.headers.get('uxp-error')).toBe('Server.ServerProxy.AccessDenied')
  expect(response.headers.get('content-type')).toBe('text/xml;charset=utf-8')
  expect(await response.text()).toContain('<type>Server.ServerProxy.AccessDenied</type>')
})
