import { parse } from 'yaml'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { Sandbox } from '../../sandbox/index.ts'
import { bundledSandbox, EE, EESTI_EE, UA, UA_KYC, UUID } from '../fixtures/index.ts'

let sb: Sandbox
beforeAll(async () => {
  sb = await bundledSandbox()
})
afterAll(() => sb.close())

const RR = 'ee-test/GOV/70008440/rr'
const ARIREG = 'ee-test/GOV/70000310/arireg'

const get = (instance: string, path: string, headers: Record<string, string> = {}) =>
  sb.dispatcher.fetch(`${sb.urls.securityServers[instance]}${path}`, { headers })

type ClientEntry = {
  id: {
    xroad_instance: string
    member_class: string
    member_code: string
    subsystem_code?: string
    object_type: string
  }
}
const ids = (body: { member: ClientEntry[] }) =>
  body.member.map(({ id }) =>
    [id.object_type, id.xroad_instance, id.member_class, id.member_code, id.subsystem_code]
      .filter(Boolean)
      .join('/'),
  )

test('listClients lists the members and subsystems of the server’s own instance as JSON', async () => {
  const response = await get(EE, '/listClients', { Accept: 'application/json' })
  expect(response.status).toBe(200)
  expect(response.headers.get('content-type')).toMatch(/^application\/json/)
  const listed = ids(await response.json())
  const declared = sb.federation
    .instance(EE)!
    .members.flatMap((m) => [`MEMBER/${m.key}`, ...m.subsystems.map((s) => `SUBSYSTEM/${s.key}`)])
  expect(listed).toEqual(declared)
  expect(listed).toContain(`SUBSYSTEM/${EESTI_EE}`)
  expect(listed.every((id) => id.split('/')[1] === EE)).toBe(true)
})

test('listClients answers XML when the client does not ask for JSON', async () => {
  const response = await get(EE, '/listClients')
  expect(response.status).toBe(200)
  expect(response.headers.get('content-type')).toMatch(/^text\/xml/)
  const xml = await response.text()
  expect(xml).toMatch(/^<\?xml [^>]*\?>\s*<xrd:clientList /)
  expect(xml).toContain('<id:memberCode>70006317</id:memberCode>')
  expect(xml).toContain('<id:subsystemCode>eesti-ee</id:subsystemCode>')
  expect(xml).toContain('id:objectType="SUBSYSTEM"')
})

test('listClients?xRoadInstance=SEVDEIR-TEST lists the members and subsystems of Ukraine', async () => {
  const response = await get(EE, '/listClients?xRoadInstance=SEVDEIR-TEST', {
    Accept: 'application/json',
  })
  const listed = ids(await response.json())
  expect(listed).toContain(`SUBSYSTEM/${UA_KYC}`)
  expect(listed).toContain('MEMBER/SEVDEIR-TEST/GOV/37508470')
  expect(listed).toContain('SUBSYSTEM/SEVDEIR-TEST/GOV/37508470/EDDR')
  expect(listed.every((id) => id.split('/')[1] === UA)).toBe(true)
})

test('listMethods lists every REST service of a subsystem with its endpoints, path parameters as *', async () => {
  const response = await get(EE, `/r1/${RR}/listMethods`, { 'X-Road-Client': EESTI_EE })
  expect(response.status).toBe(200)
  expect(response.headers.get('x-road-service')).toBe(`${RR}/listMethods`)
  expect(await response.json()).toEqual({
    service: [
      {
        member_class: 'GOV',
        member_code: '70008440',
        object_type: 'SERVICE',
        service_code: 'population',
        service_type: 'OPENAPI',
        subsystem_code: 'rr',
        xroad_instance: EE,
        endpoint_list: expect.arrayContaining([
          { method: 'GET', path: '/persons' },
          { method: 'GET', path: '/persons/*' },
          { method: 'GET', path: '/persons/*/residence' },
        ]),
      },
    ],
  })
})

test('listMethods shows a subsystem’s endpoints to a client without access rights to them', async () => {
  const response = await get(EE, `/r1/${ARIREG}/listMethods`, {
    'X-Road-Client': 'ee-test/GOV/70000349/emta',
  })
  const { service } = await response.json()
  expect(service.map((s: { service_code: string }) => s.service_code)).toEqual([
    'business-register',
  ])
  expect(service[0].endpoint_list).toEqual(
    expect.arrayContaining([
      { method: 'GET', path: '/companies/*' },
      { method: 'POST', path: '/founding-applications' },
    ]),
  )
})

test('allowedMethods lists only what the calling client may call', async () => {
  // The bank's KYC subsystem may GET /companies/** of the business register, nothing more.
  const bank = await get(EE, `/r1/${ARIREG}/allowedMethods`, {
    'X-Road-Client': 'ee-test/COM/14001233/kyc',
  })
  expect(bank.status).toBe(200)
  const { service } = await bank.json()
  expect(service).toHaveLength(1)
  expect(service[0]).toMatchObject({ service_code: 'business-register', xroad_instance: EE })
  expect(service[0].endpoint_list).toEqual([
    { method: 'GET', path: '/companies/*' },
    { method: 'GET', path: '/companies/*/representatives' },
  ])

  // e-Residency's right reaches one segment below /companies only.
  const eResidency = await get(EE, `/r1/${ARIREG}/allowedMethods`, {
    'X-Road-Client': 'ee-test/GOV/70008747/e-residency',
  })
  expect((await eResidency.json()).service[0].endpoint_list).toEqual([
    { method: 'GET', path: '/companies/*' },
  ])

  const none = await get(EE, `/r1/${ARIREG}/allowedMethods`, {
    'X-Road-Client': 'ee-test/GOV/70000349/emta',
  })
  expect(await none.json()).toEqual({ service: [] })
})

test('allowedMethods for a client with a whole-service right lists every endpoint', async () => {
  const listed = await get(EE, `/r1/${RR}/listMethods`, { 'X-Road-Client': EESTI_EE })
  const allowed = await get(EE, `/r1/${RR}/allowedMethods`, { 'X-Road-Client': EESTI_EE })
  expect(await allowed.json()).toEqual(await listed.json())
})

test('getOpenAPI returns the description in its stored format (YAML here), with server URLs cut to their path', async () => {
  for (const accept of ['application/json', 'text/yaml']) {
    const response = await get(EE, `/r1/${RR}/getOpenAPI?serviceCode=population`, {
      'X-Road-Client': EESTI_EE,
      Accept: accept,
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^text\/yaml/)
    const document = parse(await response.text())
    const stored = sb.specs.get('ee-population-register')!.document as {
      paths: unknown
      servers?: Array<{ url: string }>
    }
    expect(document.paths).toEqual(stored.paths)
    for (const [i, server] of (document.servers ?? []).entries()) {
      expect(server.url).not.toMatch(/^[a-z]+:\/\//)
      expect(stored.servers?.[i]?.url.endsWith(server.url)).toBe(true)
    }
  }
})

test('getOpenAPI without a serviceCode is refused as X-Road does (xroad-metaservice-missing-service-code)', async () => {
  const response = await get(EE, `/r1/${RR}/getOpenAPI`, { 'X-Road-Client': EESTI_EE })
  expect(response.status).toBe(500)
  expect(await response.json()).toMatchObject({
    type: 'server.serverproxy.invalid_request',
    message: 'Missing serviceCode in message body',
    detail: expect.stringMatching(UUID),
  })
})

test('getOpenAPI of a service the subsystem lacks is refused as X-Road does (xroad-metaservice-unknown-service-code)', async () => {
  for (const code of ['nosuchservice', 'business-register']) {
    const response = await get(EE, `/r1/${RR}/getOpenAPI?serviceCode=${code}`, {
      'X-Road-Client': EESTI_EE,
    })
    expect(response.status).toBe(500)
    expect(response.headers.get('x-road-error')).toBe('server.serverproxy.internal_error')
    expect((await response.json()).message).toBe(`Service not found: SERVICE:${RR}/${code}`)
  }
})

test('a metaservice called with another method than GET is an unknown service (xroad-metaservice-get-only)', async () => {
  const response = await sb.dispatcher.fetch(
    `${sb.urls.securityServers[EE]}/r1/${RR}/listMethods`,
    {
      method: 'POST',
      headers: { 'X-Road-Client': EESTI_EE },
    },
  )
  expect(response.status).toBe(500)
  expect(await response.json()).toMatchObject({
    type: 'server.serverproxy.unknown_service',
    message: expect.stringMatching(/^Unknown service: /),
  })
})

test('answers the metaservices of a Ukrainian subsystem to a UXP client', async () => {
  const response = await get(UA, '/restapi', {
    'Uxp-Client': UA_KYC,
    'Uxp-Service': 'SEVDEIR-TEST/GOV/37508470/EDDR/listMethods',
  })
  expect(response.status).toBe(200)
  const { service } = await response.json()
  expect(service[0]).toMatchObject({
    service_code: 'DemographicRegister_v1',
    xroad_instance: UA,
    endpoint_list: expect.arrayContaining([{ method: 'GET', path: '/persons/*' }]),
  })
})
