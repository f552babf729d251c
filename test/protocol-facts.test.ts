import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { DEFAULT_FEDERATION_FILE } from '../specs/federation/index.ts'
import { PROTOCOL_FACTS } from '../specs/protocol/facts/index.ts'
import { startServe, type ServeProcess } from './helpers/serve-process.ts'

// One table of cases per protocol fact, each sent over HTTP to `sild serve`: ee-test runs X-Road
// 7.8, FI-TEST X-Road 7.6, SEVDEIR-TEST speaks Trembita/UXP. The bundled world is served with one
// more service, an echo provider on a real port, so what a provider receives can be seen.

const EE_PORTAL = 'ee-test/GOV/70006317/eesti-ee'
const EE_BANK = 'ee-test/COM/14001233/kyc'
const FI_CLIENT = 'FI-TEST/GOV/1234567-1/client'
const UA_BANK = 'SEVDEIR-TEST/GOV/44312340/KYC'
const POPULATION = 'ee-test/GOV/70008440/rr/population'
const BUSINESS = 'ee-test/GOV/70000310/arireg/business-register'
const DEMOGRAPHIC = 'SEVDEIR-TEST/GOV/37508470/EDDR/DemographicRegister_v1'
const EDR = 'SEVDEIR-TEST/GOV/00015622/EDR/LegalEntities_v1'
const ECHO = 'ee-test/GOV/70008440/rr/echo'
const MARI = '48001013546'
const UNZR = '19900314-00234'
const PURPOSE = { 'Uxp-Purpose-Ids': 'PURPOSE-KYC-1' }
const LOG_LIMIT = 10 * 1024 * 1024
const DIIA_API = 'SEVDEIR-TEST/GOV/43220851/DIIA/acquirer-api'
const ACQUIRER_TOKEN = 'sandbox-acquirer-e-residency'

type Seen = { url: string; headers: IncomingHttpHeaders }
let echo: Server
const seen: Seen[] = []
let serve: ServeProcess
let dir: string

beforeAll(async () => {
  echo = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers })
    req.resume()
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' })
      // One byte more than the message log of the bundled instances accepts (10 MiB), or exactly it.
      if (req.url?.startsWith('/oversized')) res.end(`"${'x'.repeat(LOG_LIMIT - 1)}"`)
      else if (req.url?.startsWith('/at-limit')) res.end(`"${'x'.repeat(LOG_LIMIT - 2)}"`)
      else res.end(JSON.stringify({ url: req.url }))
    })
  })
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve))
  const port = (echo.address() as AddressInfo).port
  dir = mkdtempSync(join(tmpdir(), 'sild-facts-'))
  copyFileSync(
    new URL('../mocks/security-server/fixtures/echo.openapi.yaml', import.meta.url),
    join(dir, 'echo.openapi.yaml'),
  )
  const bundled = readFileSync(DEFAULT_FEDERATION_FILE, 'utf8')
  const federation = bundled
    .replace(
      `            services:
              - id: ee-population-register`,
      `            services:
              - id: echo
                code: echo
                spec: echo.openapi.yaml
                provider: http://127.0.0.1:${port}
              - id: ee-population-register`,
    )
    .replace(
      'accessRights:\n',
      `accessRights:
  - client: ${EE_PORTAL}
    service: ${ECHO}
  - client: ${UA_BANK}
    service: ${ECHO}
  - client: ${FI_CLIENT}
    service: ${ECHO}
`,
    )
  if (!federation.includes('id: echo')) throw new Error('echo service not added')
  writeFileSync(join(dir, 'federation.yaml'), federation)
  serve = await startServe(dir, ['--federation', join(dir, 'federation.yaml')])
}, 60_000)

afterAll(async () => {
  await serve?.stop('SIGTERM')
  await new Promise((resolve) => echo?.close(resolve))
  rmSync(dir, { recursive: true, force: true })
})

type Call = {
  /** A security server by instance, or Diia's acquirer API at its own address. */
  via: 'ee-test' | 'FI-TEST' | 'SEVDEIR-TEST' | 'ua-diia'
  method?: string
  path: string
  headers?: Record<string, string>
  body?: string
}
type Outcome = {
  status: number
  headers: Headers
  text: string
  json: Record<string, unknown> | undefined
}

const send = async ({ via, method = 'GET', path, headers = {}, body }: Call): Promise<Outcome> => {
  const base = via === 'ua-diia' ? serve.ready.services[via] : serve.ready.securityServers[via]
  if (!base) throw new Error(`no security server for ${via}`)
  const response = await fetch(`${base}${path}`, { method, headers, body })
  const text = await response.text()
  let json: Record<string, unknown> | undefined
  try {
    json = JSON.parse(text) as Record<string, unknown>
  } catch {
    json = undefined
  }
  return { status: response.status, headers: response.headers, text, json }
}

const xroad = (client: string | undefined, extra: Record<string, string> = {}) =>
  client === undefined ? extra : { 'X-Road-Client': client, ...extra }
const uxp = (service: string, extra: Record<string, string> = {}) => ({
  'Uxp-Client': UA_BANK,
  'Uxp-Service': service,
  ...extra,
})

/** A fault as a security server answers it: status, error header and `{type, message, detail}`. */
const fault = (
  outcome: Outcome,
  code: string,
  status: number,
  header = 'x-road-error',
  message?: RegExp,
) => {
  expect(outcome.status).toBe(status)
  expect(outcome.headers.get(header)).toBe(code)
  expect(outcome.json).toMatchObject({
    type: code,
    detail: expect.stringMatching(/^[0-9a-f-]{36}$/),
  })
  if (message) expect(String(outcome.json?.message)).toMatch(message)
}

type Case = { name: string; call: Call; verify: (outcome: Outcome) => void }

const CASES: Record<string, Case[]> = {
  'xroad-fault-codes-7-6': [
    {
      name: 'FI-TEST (7.6) writes an access refusal in CamelCase',
      call: {
        via: 'FI-TEST',
        path: `/r1/${BUSINESS}/companies/12345678`,
        headers: xroad(FI_CLIENT),
      },
      verify: (o) =>
        fault(
          o,
          'Server.ServerProxy.AccessDenied',
          500,
          'x-road-error',
          /^Request is not allowed: /,
        ),
    },
  ],
  'xroad-fault-codes-7-8': [
    {
      name: 'ee-test (7.8) writes an access refusal in snake case',
      call: { via: 'ee-test', path: `/r1/${POPULATION}/persons/${MARI}`, headers: xroad(EE_BANK) },
      verify: (o) =>
        fault(
          o,
          'server.serverproxy.access_denied',
          500,
          'x-road-error',
          /^Request is not allowed: /,
        ),
    },
  ],
  'xroad-fault-status': [
    {
      name: '7.8: a client.* fault is 400',
      call: {
        via: 'ee-test',
        path: `/r2/${POPULATION}/persons/${MARI}`,
        headers: xroad(EE_PORTAL),
      },
      verify: (o) => fault(o, 'client.invalid_protocol_version', 400),
    },
    {
      name: '7.6: a Client.* fault is 400',
      call: {
        via: 'FI-TEST',
        path: `/r2/${POPULATION}/persons/${MARI}`,
        headers: xroad(FI_CLIENT),
      },
      verify: (o) => fault(o, 'Client.InvalidProtocolVersion', 400),
    },
  ],
  'xroad-error-body': [
    {
      name: 'an error asked for as XML is an <error> element',
      call: {
        via: 'ee-test',
        path: `/r1/${POPULATION}/persons/${MARI}`,
        headers: xroad(undefined, { Accept: 'text/xml' }),
      },
      verify: (o) => {
        expect(o.headers.get('content-type')).toBe('text/xml;charset=utf-8')
        expect(o.text).toMatch(
          /<error><type>server\.clientproxy\.invalid_client_identifier<\/type><message>The client identifier is missing<\/message><detail>[0-9a-f-]{36}<\/detail><\/error>$/,
        )
      },
    },
    {
      name: 'an error is otherwise JSON with exactly type, message and detail',
      call: { via: 'ee-test', path: `/r1/${POPULATION}/persons/${MARI}` },
      verify: (o) => {
        expect(o.headers.get('content-type')).toBe('application/json;charset=utf-8')
        expect(Object.keys(o.json ?? {}).sort()).toEqual(['detail', 'message', 'type'])
      },
    },
  ],
  'xroad-client-header-only': [
    {
      name: 'Information-Mediator-Client names no client',
      call: {
        via: 'ee-test',
        path: `/r1/${POPULATION}/persons/${MARI}`,
        headers: { 'Information-Mediator-Client': EE_PORTAL },
      },
      verify: (o) => fault(o, 'server.clientproxy.invalid_client_identifier', 500),
    },
    {
      name: 'X-GovStack-Client names no client on 7.6 either',
      call: {
        via: 'FI-TEST',
        path: `/r1/${POPULATION}/persons/${MARI}`,
        headers: { 'X-GovStack-Client': FI_CLIENT },
      },
      verify: (o) => fault(o, 'Server.ClientProxy.InvalidClientIdentifier', 500),
    },
  ],
  'xroad-client-missing': [
    {
      name: '7.8: 500 server.clientproxy.invalid_client_identifier',
      call: { via: 'ee-test', path: `/r1/${POPULATION}/persons/${MARI}` },
      verify: (o) =>
        fault(
          o,
          'server.clientproxy.invalid_client_identifier',
          500,
          'x-road-error',
          /^The client identifier is missing$/,
        ),
    },
    {
      name: '7.6: 500 Server.ClientProxy.InvalidClientIdentifier',
      call: { via: 'FI-TEST', path: `/r1/${POPULATION}/persons/${MARI}` },
      verify: (o) => fault(o, 'Server.ClientProxy.InvalidClientIdentifier', 500),
    },
  ],
  'xroad-client-malformed': [
    {
      name: '7.8: two parts are an internal error "Invalid Client Id"',
      call: {
        via: 'ee-test',
        path: `/r1/${POPULATION}/persons/${MARI}`,
        headers: xroad('ee-test/GOV'),
      },
      verify: (o) =>
        fault(o, 'server.clientproxy.internal_error', 500, 'x-road-error', /^Invalid Client Id$/),
    },
    {
      name: '7.6: five parts are Server.ClientProxy.InternalError',
      call: {
        via: 'FI-TEST',
        path: `/r1/${POPULATION}/persons/${MARI}`,
        headers: xroad(`${FI_CLIENT}/x`),
      },
      verify: (o) => fault(o, 'Server.ClientProxy.InternalError', 500),
    },
  ],
  'xroad-unknown-provider': [
    {
      name: 'an unknown member is refused by the consumer security server',
      call: {
        via: 'ee-test',
        path: '/r1/ee-test/GOV/99999999/nothing/svc/x',
        headers: xroad(EE_PORTAL),
      },
      verify: (o) =>
        fault(
          o,
          'server.clientproxy.unknown_member',
          500,
          'x-road-error',
          /^Could not find addresses for service provider "/,
        ),
    },
    {
      name: 'an unknown subsystem of a known member too',
      call: {
        via: 'FI-TEST',
        path: '/r1/ee-test/GOV/70008440/nosub/population/x',
        headers: xroad(FI_CLIENT),
      },
      verify: (o) =>
        fault(
          o,
          'Server.ClientProxy.UnknownMember',
          500,
          'x-road-error',
          /^Could not find addresses/,
        ),
    },
  ],
  'xroad-unknown-service': [
    {
      name: 'a service code the subsystem lacks is the provider security server’s refusal',
      call: {
        via: 'ee-test',
        path: '/r1/ee-test/GOV/70008440/rr/nosuch/persons/1',
        headers: xroad(EE_PORTAL),
      },
      verify: (o) =>
        fault(o, 'server.serverproxy.unknown_service', 500, 'x-road-error', /^Unknown service: /),
    },
  ],
  'xroad-access-denied': [
    {
      name: 'a method outside the right is refused',
      call: {
        via: 'ee-test',
        method: 'POST',
        path: `/r1/${BUSINESS}/companies/12345678`,
        headers: xroad(EE_PORTAL, { 'content-type': 'application/json' }),
        body: '{}',
      },
      verify: (o) => fault(o, 'server.serverproxy.access_denied', 500),
    },
  ],
  'xroad-provider-headers': [
    {
      name: 'the provider gets the client’s headers, X-Road-Id and X-Road-Request-Id, never X-Road-Service',
      call: {
        via: 'ee-test',
        path: `/r1/${ECHO}/things?q=1`,
        headers: xroad(EE_PORTAL, {
          'X-Road-Id': 'facts-1',
          'X-Custom': 'kept',
          'X-Road-Request-Hash': 'dropped',
          'X-Road-Service': 'dropped-too',
        }),
      },
      verify: (o) => {
        expect(o.status).toBe(200)
        const got = seen.at(-1)!
        expect(got.url).toBe('/things?q=1')
        expect(got.headers['x-road-client']).toBe(EE_PORTAL)
        expect(got.headers['x-road-id']).toBe('facts-1')
        expect(got.headers['x-road-request-id']).toMatch(/^[0-9a-f-]{36}$/)
        expect(got.headers['x-custom']).toBe('kept')
        expect(got.headers['x-road-request-hash']).toBeUndefined()
        expect(got.headers['x-road-service']).toBe('dropped-too')
      },
    },
    {
      name: 'the security server adds no X-Road-Service of its own',
      call: { via: 'ee-test', path: `/r1/${ECHO}/things`, headers: xroad(EE_PORTAL) },
      verify: (o) => {
        expect(o.status).toBe(200)
        expect(seen.at(-1)!.headers['x-road-service']).toBeUndefined()
        expect(seen.at(-1)!.headers['x-road-id']).toMatch(/^ee-test-[0-9a-f-]{36}$/)
      },
    },
  ],
  'xroad-response-headers': [
    {
      name: 'an answer carries the five X-Road headers',
      call: {
        via: 'ee-test',
        path: `/r1/${POPULATION}/persons/${MARI}`,
        headers: xroad(EE_PORTAL, { 'X-Road-Id': 'facts-2' }),
      },
      verify: (o) => {
        expect(o.status).toBe(200)
        expect(o.headers.get('x-road-id')).toBe('facts-2')
        expect(o.headers.get('x-road-client')).toBe(EE_PORTAL)
        expect(o.headers.get('x-road-service')).toBe(POPULATION)
        expect(o.headers.get('x-road-request-id')).toMatch(/^[0-9a-f-]{36}$/)
        expect(o.headers.get('x-road-request-hash')).toMatch(/^[A-Za-z0-9+/]{86}==$/)
      },
    },
  ],
  'xroad-identifier-characters': [
    {
      name: 'an underscore in the client id is refused only as the unknown client it names',
      call: {
        via: 'ee-test',
        path: `/r1/${POPULATION}/persons/${MARI}`,
        headers: xroad('ee-test/GOV/70006317/eesti_ee'),
      },
      verify: (o) =>
        fault(o, 'server.clientproxy.unknown_member', 500, 'x-road-error', /not found$/),
    },
  ],
  'xroad-metaservice-missing-service-code': [
    {
      name: 'getOpenAPI without serviceCode',
      call: {
        via: 'ee-test',
        path: '/r1/ee-test/GOV/70008440/rr/getOpenAPI',
        headers: xroad(EE_PORTAL),
      },
      verify: (o) =>
        fault(
          o,
          'server.serverproxy.invalid_request',
          500,
          'x-road-error',
          /^Missing serviceCode in message body$/,
        ),
    },
  ],
  'xroad-metaservice-unknown-service-code': [
    {
      name: 'getOpenAPI of a service the subsystem lacks',
      call: {
        via: 'FI-TEST',
        path: '/r1/ee-test/GOV/70008440/rr/getOpenAPI?serviceCode=nope',
        headers: xroad(FI_CLIENT),
      },
      verify: (o) =>
        fault(
          o,
          'Server.ServerProxy.InternalError',
          500,
          'x-road-error',
          /^Service not found: SERVICE:ee-test\/GOV\/70008440\/rr\/nope$/,
        ),
    },
  ],
  'xroad-metaservice-get-only': [
    {
      name: 'POST to listMethods is an unknown service',
      call: {
        via: 'ee-test',
        method: 'POST',
        path: '/r1/ee-test/GOV/70008440/rr/listMethods',
        headers: xroad(EE_PORTAL),
        body: '',
      },
      verify: (o) => fault(o, 'server.serverproxy.unknown_service', 500),
    },
  ],
  'xroad-metaservice-openapi-anonymised': [
    {
      name: 'getOpenAPI answers YAML, as stored, without hosts',
      call: {
        via: 'ee-test',
        path: '/r1/ee-test/GOV/70008440/rr/getOpenAPI?serviceCode=population',
        headers: xroad(EE_PORTAL, { Accept: 'application/json' }),
      },
      verify: (o) => {
        expect(o.status).toBe(200)
        expect(o.headers.get('content-type')).toMatch(/^text\/yaml/)
        expect(o.text).toMatch(/^openapi: 3\./m)
        expect(o.text).not.toMatch(/url: https?:\/\//)
      },
    },
  ],
  'xroad-body-size': [
    {
      name: 'a request body over 10 MiB fails as the message log refuses it',
      call: {
        via: 'ee-test',
        method: 'POST',
        path: `/r1/${ECHO}/things`,
        headers: xroad(EE_PORTAL, { 'content-type': 'application/octet-stream' }),
        body: 'x'.repeat(10 * 1024 * 1024 + 1),
      },
      verify: (o) => {
        fault(
          o,
          'server.clientproxy.logging_failed',
          500,
          'x-road-error',
          /^Message size exceeds maximum loggable size$/,
        )
        expect(seen.at(-1)?.headers['content-length']).not.toBe(String(10 * 1024 * 1024 + 1))
      },
    },
  ],
  'xroad-response-body-size': [
    {
      name: 'an answer over 10 MiB reaches a 7.8 client as the provider’s message log refusing it',
      call: { via: 'ee-test', path: `/r1/${ECHO}/oversized`, headers: xroad(EE_PORTAL) },
      verify: (o) =>
        fault(
          o,
          'server.serverproxy.logging_failed',
          500,
          'x-road-error',
          /^Message size exceeds maximum loggable size$/,
        ),
    },
    {
      name: 'and a 7.6 client in CamelCase',
      call: { via: 'FI-TEST', path: `/r1/${ECHO}/oversized`, headers: xroad(FI_CLIENT) },
      verify: (o) =>
        fault(
          o,
          'Server.ServerProxy.LoggingFailed',
          500,
          'x-road-error',
          /^Message size exceeds maximum loggable size$/,
        ),
    },
    {
      name: 'an answer of exactly 10 MiB is passed on',
      call: { via: 'ee-test', path: `/r1/${ECHO}/at-limit`, headers: xroad(EE_PORTAL) },
      verify: (o) => {
        expect(o.status).toBe(200)
        expect(o.headers.get('x-road-error')).toBeNull()
        expect(o.text.length).toBe(LOG_LIMIT)
      },
    },
  ],
  'uxp-body-size': [
    {
      name: 'a UXP client gets the answer-size refusal in the UXP error format',
      call: { via: 'SEVDEIR-TEST', path: '/restapi/oversized', headers: uxp(ECHO) },
      verify: (o) =>
        fault(
          o,
          'Server.ServerProxy.LoggingFailed',
          500,
          'uxp-error',
          /^Message size exceeds maximum loggable size$/,
        ),
    },
    {
      name: 'and a request body over 10 MiB as its consumer security server refusing it',
      call: {
        via: 'SEVDEIR-TEST',
        method: 'POST',
        path: '/restapi/things',
        headers: uxp(ECHO, { 'content-type': 'application/octet-stream' }),
        body: 'x'.repeat(LOG_LIMIT + 1),
      },
      verify: (o) =>
        fault(
          o,
          'Server.ClientProxy.LoggingFailed',
          500,
          'uxp-error',
          /^Message size exceeds maximum loggable size$/,
        ),
    },
  ],
  'diia-acquirer-api': [
    {
      name: "an acquirer token opens a session at Diia's own address, with no security server",
      call: { via: 'ua-diia', path: `/api/v1/auth/acquirer/${ACQUIRER_TOKEN}` },
      verify: (o) => {
        expect(o.status).toBe(200)
        expect(o.json).toEqual({ token: expect.stringMatching(/^sandbox-session-\d{4}$/) })
        expect([...o.headers.keys()].filter((h) => /^(x-road|uxp)-/.test(h))).toEqual([])
      },
    },
    {
      name: 'Trembita does not publish it: through the UXP security server it is unknown',
      call: {
        via: 'SEVDEIR-TEST',
        path: `/restapi/api/v1/auth/acquirer/${ACQUIRER_TOKEN}`,
        headers: uxp(DIIA_API),
      },
      verify: (o) =>
        fault(o, 'Server.ServerProxy.UnknownService', 500, 'uxp-error', /^Unknown service: /),
    },
    {
      name: 'nor does X-Road reach it across the border',
      call: {
        via: 'ee-test',
        path: `/r1/${DIIA_API}/api/v1/auth/acquirer/${ACQUIRER_TOKEN}`,
        headers: xroad('ee-test/GOV/70008747/e-residency'),
      },
      verify: (o) => fault(o, 'server.serverproxy.unknown_service', 500),
    },
  ],
  'diia-unauthorized': [
    {
      name: 'an acquirer call without a session token is refused with 401',
      call: { via: 'ua-diia', path: '/api/v2/acquirers/branches' },
      verify: (o) => {
        expect(o.status).toBe(401)
        expect(o.headers.get('www-authenticate')).toBe('Bearer realm="diia"')
        expect(o.json).toMatchObject({ status: 401, type: 'urn:sild:problem:unauthorized' })
      },
    },
    {
      name: 'and one with a session token Diia never issued',
      call: {
        via: 'ua-diia',
        path: '/api/v2/acquirers/branches',
        headers: { Authorization: 'Bearer sandbox-session-9999' },
      },
      verify: (o) => {
        expect(o.status).toBe(401)
        expect(o.headers.get('www-authenticate')).toBe('Bearer realm="diia", error="invalid_token"')
      },
    },
  ],
  'xroad-mixed-version-faults': [
    {
      name: 'a UXP provider’s refusal reaches a 7.8 client in snake case',
      call: {
        via: 'ee-test',
        path: `/r1/${EDR}/legal-entities/22222221`,
        headers: xroad(EE_PORTAL, PURPOSE),
      },
      verify: (o) => fault(o, 'server.serverproxy.access_denied', 500),
    },
    {
      name: 'and a 7.6 client in CamelCase',
      call: {
        via: 'FI-TEST',
        path: `/r1/${DEMOGRAPHIC}/persons/${UNZR}`,
        headers: xroad(FI_CLIENT, PURPOSE),
      },
      verify: (o) => fault(o, 'Server.ServerProxy.ServiceFailed.InternalError', 500),
    },
  ],
  'uxp-endpoint': [
    {
      name: '/restapi with a path reaches the provider at that path',
      call: {
        via: 'SEVDEIR-TEST',
        path: '/restapi/legal-entities/22222221',
        headers: uxp(EDR, PURPOSE),
      },
      verify: (o) => expect(o.status).toBe(200),
    },
    {
      name: '/restapi?params with no path reaches the operation at /',
      call: { via: 'SEVDEIR-TEST', path: '/restapi?q=1', headers: uxp(ECHO) },
      verify: (o) => {
        expect(o.status).toBe(200)
        expect(seen.at(-1)!.url).toBe('/?q=1')
      },
    },
  ],
  'uxp-other-paths': [
    {
      name: 'another path is refused and reaches no provider',
      call: {
        via: 'SEVDEIR-TEST',
        path: '/r1/ee-test/GOV/70008440/rr/echo/things',
        headers: uxp(ECHO),
      },
      verify: (o) => {
        fault(o, 'Client.BadRequest', 400, 'uxp-error', /is not the REST endpoint \/restapi$/)
        expect(seen.at(-1)!.url).not.toBe('/things')
      },
    },
  ],
  'uxp-headers': [
    {
      name: 'the answer names client, service and query id in Uxp- headers',
      call: {
        via: 'SEVDEIR-TEST',
        path: '/restapi/legal-entities/22222221',
        headers: uxp(EDR, { ...PURPOSE, 'Uxp-QueryID': 'q-1' }),
      },
      verify: (o) => {
        expect(o.status).toBe(200)
        expect(o.headers.get('uxp-client')).toBe(UA_BANK)
        expect(o.headers.get('uxp-service')).toBe(EDR)
        expect(o.headers.get('uxp-queryid')).toBe('q-1')
      },
    },
  ],
  'uxp-service-version': [
    {
      name: 'the published version is served',
      call: {
        via: 'SEVDEIR-TEST',
        path: '/restapi/legal-entities/22222221',
        headers: uxp(`${EDR}/1`, PURPOSE),
      },
      verify: (o) => {
        expect(o.status).toBe(200)
        expect(o.headers.get('uxp-service')).toBe(`${EDR}/1`)
      },
    },
    {
      name: 'an empty version is none',
      call: {
        via: 'SEVDEIR-TEST',
        path: '/restapi/legal-entities/22222221',
        headers: uxp(`${EDR}/`, PURPOSE),
      },
      verify: (o) => expect(o.status).toBe(200),
    },
  ],
  'uxp-unknown-version': [
    {
      name: 'another version is an unknown service',
      call: {
        via: 'SEVDEIR-TEST',
        path: `/restapi/persons/${UNZR}`,
        headers: uxp(`${DEMOGRAPHIC}/v9-does-not-exist`, PURPOSE),
      },
      verify: (o) =>
        fault(o, 'Server.ServerProxy.UnknownService', 500, 'uxp-error', /^Unknown service: /),
    },
  ],
  'uxp-error-format': [
    {
      name: 'a UXP fault is X-Road 7.6’s body with the code in Uxp-Error',
      call: {
        via: 'SEVDEIR-TEST',
        path: `/restapi/persons/${UNZR}`,
        headers: { 'Uxp-Service': DEMOGRAPHIC },
      },
      verify: (o) => {
        fault(o, 'Server.ClientProxy.InvalidClientIdentifier', 500, 'uxp-error')
        expect(o.headers.get('x-road-error')).toBeNull()
      },
    },
  ],
  'uxp-purpose-missing': [
    {
      name: 'a personal-data service without Uxp-Purpose-Ids',
      call: { via: 'SEVDEIR-TEST', path: `/restapi/persons/${UNZR}`, headers: uxp(DEMOGRAPHIC) },
      verify: (o) =>
        fault(
          o,
          'Client.MissingHeaderField',
          400,
          'uxp-error',
          /^Required field 'Uxp-Purpose-Ids' is missing$/,
        ),
    },
  ],
  'uxp-metaservices': [
    {
      name: 'listMethods of a Trembita subsystem',
      call: {
        via: 'SEVDEIR-TEST',
        path: '/restapi',
        headers: uxp('SEVDEIR-TEST/GOV/00015622/EDR/listMethods'),
      },
      verify: (o) => {
        expect(o.status).toBe(200)
        expect(o.json).toMatchObject({
          service: [expect.objectContaining({ service_code: 'LegalEntities_v1' })],
        })
      },
    },
  ],
  'border-header-translation': [
    {
      name: 'a UXP client’s ids reach an X-Road provider as X-Road headers',
      call: {
        via: 'SEVDEIR-TEST',
        path: '/restapi/things',
        headers: uxp(ECHO, { 'Uxp-QueryID': 'ua-q-7' }),
      },
      verify: (o) => {
        expect(o.status).toBe(200)
        const got = seen.at(-1)!.headers
        expect(got['x-road-client']).toBe(UA_BANK)
        expect(got['x-road-id']).toBe('ua-q-7')
        expect(got['x-road-service']).toBeUndefined()
        expect(got['uxp-client']).toBeUndefined()
      },
    },
  ],
}

const ROWS = Object.entries(CASES).flatMap(([fact, cases]) =>
  cases.map((c) => [fact, c.name, c] as const),
)

test('every protocol fact pinned by this file has at least one case', () => {
  const pinnedHere = PROTOCOL_FACTS.filter((f) => f.test === 'test/protocol-facts.test.ts')
  expect(pinnedHere.filter((f) => !(CASES[f.id]?.length ?? 0)).map((f) => f.id)).toEqual([])
  expect(Object.keys(CASES).filter((id) => !PROTOCOL_FACTS.some((f) => f.id === id))).toEqual([])
})

test.each(ROWS)('%s: %s', async (_fact, _name, c) => {
  c.verify(await send(c.call))
})
