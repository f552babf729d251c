import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { computeRequestHash, isRequestHashFormat } from '../../specs/protocol/request-hash/index.ts'
import { consumerRequestHeaders } from '../../specs/protocol/xroad-headers/index.ts'
import { createMessageLog, REDACTED, verifyLog } from '../message-log/index.ts'
import type { Sandbox } from '../sandbox/index.ts'
import {
  bundledSandbox,
  DEMOGRAPHIC,
  ECHO_RESPONSE_HEADERS,
  EE,
  EESTI_EE,
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

// The loopback world's echo provider shows what a provider receives; the bundled sandbox, with
// its message log in a file, shows what the security servers log.
let world: LoopbackWorld
let dir: string
let file: string
let sb: Sandbox
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sild-ss-log-'))
  file = join(dir, 'message-log.jsonl')
  ;[world, sb] = await Promise.all([
    startLoopbackWorld({ uuid: sequentialUuid() }),
    createMessageLog({ file, fsyncIntervalMs: 5 }).then((log) => bundledSandbox({ log })),
  ])
})
afterAll(async () => {
  await Promise.all([world.close(), sb.close()])
  await rm(dir, { recursive: true, force: true })
})

const ECHO = 'ee-test/GOV/70008440/rr/echo'

const send = async (path: string, headers: Record<string, string>, init: RequestInit = {}) => {
  const { sandbox } = world
  const response = await sandbox.dispatcher.fetch(`${sandbox.urls.securityServers[EE]}${path}`, {
    ...init,
    headers,
  })
  const text = await response.text()
  return { response, text, seen: JSON.parse(text) as SeenRequest & { body: string } }
}

const header = (seen: SeenRequest, name: string): string[] =>
  seen.headers.filter(([n]) => n.toLowerCase() === name.toLowerCase()).map(([, v]) => v)

test('passes the provider’s status and body through unchanged', async () => {
  const { response, text, seen } = await send(
    `/r1/${ECHO}/things`,
    { 'X-Road-Client': EESTI_EE, 'content-type': 'application/json', 'x-echo-status': '201' },
    { method: 'POST', body: '{"name":"Mari"}' },
  )
  expect(response.status).toBe(201)
  expect(response.headers.get('content-type')).toBe('application/json')
  expect(seen).toMatchObject({ method: 'POST', url: '/things', body: '{"name":"Mari"}' })
  expect(text).toBe(JSON.stringify(seen))
})

test('returns X-Road-Client, X-Road-Service, the client’s X-Road-Id, a UUID X-Road-Request-Id and the request hash', async () => {
  const { response } = await send(`/r1/${ECHO}/persons/1`, {
    'X-Road-Client': 'ee-test/GOV/70006317/eesti%2Dee',
    'X-Road-Id': 'client-message-1',
  })
  expect(response.status).toBe(200)
  expect(response.headers.get('x-road-client')).toBe(EESTI_EE)
  expect(response.headers.get('x-road-service')).toBe(ECHO)
  expect(response.headers.get('x-road-id')).toBe('client-message-1')
  expect(response.headers.get('x-road-request-id')).toMatch(UUID)
  const hash = response.headers.get('x-road-request-hash') ?? ''
  expect(hash).toHaveLength(88)
  expect(isRequestHashFormat(hash)).toBe(true)
})

test('generates X-Road-Id as ee-test-<uuid> when the client sends none', async () => {
  const { response, seen } = await send(`/r1/${ECHO}/persons/1`, { 'X-Road-Client': EESTI_EE })
  const id = response.headers.get('x-road-id') ?? ''
  expect(id).toMatch(/^ee-test-[0-9a-f-]{36}$/)
  expect(id.slice('ee-test-'.length)).toMatch(UUID)
  expect(header(seen, 'X-Road-Id')).toEqual([id])
})

test('returns an X-Road-Request-Hash equal to computeRequestHash over the forwarded request', async () => {
  const path = `/r1/${ECHO}/things?b=2&a=1`
  const sent = {
    'X-Road-Client': EESTI_EE,
    'X-Road-Id': 'hash-check',
    'content-type': 'application/json',
    'X-Road-UserId': 'EE48001013546',
  }
  const body = '{"thing":1}'
  const { response, seen } = await send(path, sent, { method: 'POST', body })
  const requestId = response.headers.get('x-road-request-id') as string
  // In-process, the server sees the client's headers as a WHATWG Headers object lists them.
  const forwarded = consumerRequestHeaders([...new Headers(sent)], {
    requestId,
    messageId: 'hash-check',
  })
  const expected = computeRequestHash({
    method: 'POST',
    pathAndQuery: path,
    headers: forwarded,
    body: new TextEncoder().encode(body),
  })
  expect(response.headers.get('x-road-request-hash')).toBe(expected)
  expect(header(seen, 'X-Road-Request-Id')).toEqual([requestId])
  const record = world.sandbox.log.records().find((r) => r.messageId === 'hash-check')
  expect(record?.requestHash).toBe(expected)
})

test('forwards no hop-by-hop header to the provider and returns none from it', async () => {
  const hopByHop = {
    Connection: 'close',
    'Keep-Alive': 'timeout=5',
    TE: 'trailers',
    Trailer: 'Expires',
    Upgrade: 'websocket',
    'Proxy-Authorization': 'Basic c2lsZDpzaWxk',
    'Transfer-Encoding': 'chunked',
  }
  const { response, seen } = await send(`/r1/${ECHO}/persons/1`, {
    'X-Road-Client': EESTI_EE,
    ...hopByHop,
  })
  expect(response.status).toBe(200)
  const received = seen.headers.map(([name, value]) => `${name.toLowerCase()}: ${value}`)
  for (const [name, value] of Object.entries(hopByHop)) {
    expect(received).not.toContain(`${name.toLowerCase()}: ${value}`)
  }
  expect(
    received.filter((h) => /^(te|trailer|upgrade|transfer-encoding|proxy-[a-z]+):/.test(h)),
  ).toEqual([])
  // The echo provider answers chunked, on a keep-alive connection, with Proxy-Authenticate.
  const returned = [...response.headers.keys()]
  for (const name of ['connection', 'keep-alive', 'transfer-encoding', 'proxy-authenticate']) {
    expect(returned).not.toContain(name)
  }
  expect(response.headers.get('x-provider')).toBe('loopback')
})

test('passes user headers such as X-Powered-By and Authorization to the provider unchanged', async () => {
  const user = {
    'X-Powered-By': 'Sild tests',
    Authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJtYXJpIn0.',
    'X-Road-UserId': 'EE48001013546',
    'X-Road-Issue': 'case 12/2026, "urgent"',
    Accept: 'application/json',
  }
  const { seen } = await send(`/r1/${ECHO}/persons/1`, { 'X-Road-Client': EESTI_EE, ...user })
  for (const [name, value] of Object.entries(user)) expect(header(seen, name)).toEqual([value])
  expect(header(seen, 'X-Road-Client')).toEqual([EESTI_EE])
  // xroad-provider-headers: X-Road never gives the provider X-Road-Service.
  expect(header(seen, 'X-Road-Service')).toEqual([])
})

test('gives the provider only the path and the unmodified query after the service id', async () => {
  const query = '?a=1&b=2&a=3&q=%20x+y&empty=&flag&slash=%2F&pct=%E2%82%AC&semi=a;b'
  const { seen } = await send(`/r1/${ECHO}/persons/48001013546${query}`, {
    'X-Road-Client': EESTI_EE,
  })
  expect(seen.url).toBe(`/persons/48001013546${query}`)
  const bare = await send(`/r1/${ECHO}?only=query`, { 'X-Road-Client': EESTI_EE })
  expect(bare.seen.url).toBe('/?only=query')
})

test('drops a client-sent X-Road-Request-Hash and X-Road-Request-Id and sets its own id', async () => {
  const { response, seen } = await send(`/r1/${ECHO}/persons/1`, {
    'X-Road-Client': EESTI_EE,
    'X-Road-Request-Hash': 'client-chosen-hash',
    'X-Road-Request-Id': 'client-chosen-request-id',
  })
  const requestId = response.headers.get('x-road-request-id')
  expect(requestId).toMatch(UUID)
  expect(header(seen, 'X-Road-Request-Id')).toEqual([requestId])
  expect(header(seen, 'X-Road-Request-Hash')).toEqual([])
  expect(response.headers.get('x-road-request-hash')).not.toBe('client-chosen-hash')
})

test('overwrites the X-Road headers a provider sets itself', async () => {
  const { response } = await send(`/r1/${ECHO}/persons/1`, {
    'X-Road-Client': EESTI_EE,
    'X-Road-Id': 'client-message-2',
  })
  expect(response.headers.get('x-road-id')).toBe('client-message-2')
  expect(response.headers.get('x-road-request-id')).not.toBe(
    ECHO_RESPONSE_HEADERS['X-Road-Request-Id'],
  )
  expect(response.headers.get('x-road-request-hash')).not.toBe(
    ECHO_RESPONSE_HEADERS['X-Road-Request-Hash'],
  )
  // An X-Road provider's Uxp-QueryID means nothing to an X-Road client.
  expect(response.headers.get('uxp-queryid')).toBeNull()
})

const via = (instance: string, path: string, init: RequestInit = {}) =>
  sb.dispatcher.fetch(`${sb.urls.securityServers[instance]}${path}`, init)

const refsOf = (response: Response): string[] =>
  (response.headers.get('x-sild-log') ?? '').split(', ').filter(Boolean)

const recordOf = (ref: string) => {
  const [instance, seq] = ref.split('#')
  return sb.log.records().find((r) => r.instance === instance && r.seq === Number(seq))
}

const MARI_PATH = `/r1/${POPULATION}/persons/${MARI}`

test('logs a domestic exchange once, as consumer and provider, and names the record in x-sild-log', async () => {
  const before = sb.log.size
  const response = await via(EE, MARI_PATH, {
    headers: { 'X-Road-Client': EESTI_EE, 'X-Road-Id': 'log-domestic' },
  })
  expect(response.status).toBe(200)
  expect(sb.log.size - before).toBe(1)
  const refs = refsOf(response)
  expect(refs).toEqual([`${EE}#${before}`])
  expect(recordOf(refs[0]!)).toMatchObject({
    kind: 'exchange',
    instance: EE,
    securityServer: 'ee-test/GOV/70006317/ss1',
    roles: ['consumer', 'provider'],
    messageId: 'log-domestic',
    requestId: response.headers.get('x-road-request-id'),
    client: EESTI_EE,
    service: POPULATION,
    method: 'GET',
    path: `/persons/${MARI}`,
    status: 200,
    requestHash: response.headers.get('x-road-request-hash'),
  })
})

test('logs a cross-border exchange once on each security server', async () => {
  const before = sb.log.size
  const response = await via(UA, `/restapi/persons/${MARI}`, {
    headers: { 'Uxp-Client': UA_KYC, 'Uxp-Service': POPULATION, 'Uxp-QueryID': 'log-ua-ee' },
  })
  expect(response.status).toBe(200)
  expect(sb.log.size - before).toBe(2)
  expect(refsOf(response).map(recordOf)).toMatchObject([
    { instance: UA, roles: ['consumer'], messageId: 'log-ua-ee', status: 200 },
    { instance: EE, roles: ['provider'], messageId: 'log-ua-ee', status: 200 },
  ])
})

test('logs a call refused before it is forwarded once, with its fault', async () => {
  const before = sb.log.size
  const response = await via(EE, MARI_PATH)
  expect(response.status).toBe(500)
  expect(sb.log.size - before).toBe(1)
  expect(recordOf(refsOf(response)[0]!)).toMatchObject({
    instance: EE,
    roles: ['consumer'],
    method: 'GET',
    path: MARI_PATH,
    status: 500,
    error: 'server.clientproxy.invalid_client_identifier',
    errorDetail: (await response.json()).detail,
  })
})

test('redacts the Authorization header in the log', async () => {
  const token = 'Bearer sild-secret-token-0123456789'
  const response = await via(EE, MARI_PATH, {
    headers: {
      'X-Road-Client': EESTI_EE,
      'X-Road-Id': 'log-redacted',
      Authorization: token,
      Cookie: 'session=sild-secret-cookie',
    },
  })
  expect(response.status).toBe(200)
  const record = recordOf(refsOf(response)[0]!)
  expect(record?.requestHeaders).toMatchObject({
    authorization: `Bearer ${REDACTED}`,
    cookie: REDACTED,
  })
  await sb.log.flush()
  const written = await readFile(file, 'utf8')
  expect(written).toContain('log-redacted')
  expect(written).not.toContain('sild-secret-token')
  expect(written).not.toContain('sild-secret-cookie')
})

test('leaves a log that verifyLog accepts after a mix of calls, one record per security server passed', async () => {
  const before = sb.log.size
  const calls: Array<[string, string, RequestInit]> = [
    [EE, MARI_PATH, { headers: { 'X-Road-Client': EESTI_EE } }],
    [EE, MARI_PATH, { headers: { 'X-Road-Client': 'ee-test/GOV' } }],
    [EE, `/r1/ee-test/GOV/70008440/rr/nothing`, { headers: { 'X-Road-Client': EESTI_EE } }],
    [EE, MARI_PATH, { headers: { 'X-Road-Client': 'ee-test/COM/14001233/kyc' } }],
    [EE, '/r1/ee-test/GOV/70008440/rr/listMethods', { headers: { 'X-Road-Client': EESTI_EE } }],
    [
      EE,
      `/r1/${DEMOGRAPHIC}/persons/${UNZR}`,
      {
        headers: {
          'X-Road-Client': 'ee-test/GOV/70008747/e-residency',
          'Uxp-Purpose-Ids': 'PURPOSE-1',
        },
      },
    ],
    [EE, `/r1/${DEMOGRAPHIC}/persons/${UNZR}`, { headers: { 'X-Road-Client': EESTI_EE } }],
    [UA, `/restapi/persons/${UNZR}`, { headers: { 'Uxp-Client': UA_KYC } }],
    [
      UA,
      `/restapi/persons/${UNZR}`,
      { headers: { 'Uxp-Client': UA_KYC, 'Uxp-Service': DEMOGRAPHIC, 'Uxp-Purpose-Ids': 'P' } },
    ],
    ['FI-TEST', MARI_PATH, { headers: { 'X-Road-Client': 'FI-TEST/GOV/1234567-1/client' } }],
  ]
  const responses = await Promise.all(
    [...calls, ...calls, ...calls].map(([instance, path, init]) => via(instance, path, init)),
  )
  const refs = responses.flatMap(refsOf)
  expect(new Set(refs).size).toBe(refs.length)
  expect(sb.log.size - before).toBe(refs.length)
  for (const response of responses) {
    const instances = refsOf(response).map((ref) => ref.split('#')[0])
    expect(new Set(instances).size).toBe(instances.length)
  }
  await sb.log.flush()
  expect(await verifyLog(file)).toEqual({
    ok: true,
    records: sb.log.size,
    head: sb.log.records().at(-1)!.hash,
    signed: { records: sb.log.size, key: expect.any(String), closed: false },
  })
})
