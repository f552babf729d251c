import { request } from 'node:http'
import { afterAll, beforeAll, expect, test } from 'vitest'
import {
  EE,
  EESTI_EE,
  sequentialUuid,
  startLoopbackWorld,
  UA,
  UA_KYC,
  UUID,
  type LoopbackWorld,
  type SeenRequest,
} from '../security-server/fixtures/index.ts'
import { startHttpServer, startPlainHttpServer, type HttpServer } from './http.ts'

let world: LoopbackWorld
let ee: HttpServer
let ua: HttpServer
beforeAll(async () => {
  world = await startLoopbackWorld({ uuid: sequentialUuid() })
  const serve = (instance: string) => {
    const ss = world.sandbox.securityServers.get(instance)!
    return startHttpServer((req, env) => ss.app.fetch(req, env))
  }
  ;[ee, ua] = await Promise.all([serve(EE), serve(UA)])
})
afterAll(async () => {
  await Promise.all([ee.close(), ua.close()])
  await world.close()
})

const EE_ECHO = 'ee-test/GOV/70008440/rr/echo'
const UA_ECHO = 'SEVDEIR-TEST/GOV/37508470/EDDR/Echo_v1'

type Answer = {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/**
 * A request with raw header lines, sent over a socket as written: a repeated header stays two
 * lines, and the request target is not re-encoded by the client.
 */
const raw = (server: HttpServer, target: string, lines: Array<[string, string]>): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const { host, hostname, port } = new URL(server.url)
    const headers = ['Host', host, 'Connection', 'close', ...lines.flat()]
    // The target goes as given: a URL string would be re-encoded by Node before it is sent.
    const req = request({ hostname, port, path: target, headers }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })

const seen = (answer: Answer) => JSON.parse(answer.body) as SeenRequest

test('serves an X-Road call over HTTP, reading percent-encoded client parts as the same client', async () => {
  const answer = await raw(ee, `/r1/${EE_ECHO}/persons/1`, [
    ['X-Road-Client', 'ee-test/GOV/70006317/eesti%2Dee'],
  ])
  expect(answer.status).toBe(200)
  expect(answer.headers['x-road-client']).toBe(EESTI_EE)
  expect(answer.headers['x-road-service']).toBe(EE_ECHO)
  expect(answer.headers['x-road-request-id']).toMatch(UUID)
  expect(String(answer.headers['x-road-request-hash'])).toHaveLength(88)
  // The provider gets the client's X-Road-Client as sent (RestRequest, X-Road 7.6.3).
  expect(seen(answer).headers).toContainEqual(['x-road-client', 'ee-test/GOV/70006317/eesti%2Dee'])
})

test('uses the last of two X-Road-Client header lines over HTTP', async () => {
  const unknownLast = await raw(ee, `/r1/${EE_ECHO}/persons/1`, [
    ['X-Road-Client', EESTI_EE],
    ['X-Road-Client', 'ee-test/GOV/70006317/nobody'],
  ])
  expect(unknownLast.status).toBe(500)
  expect(unknownLast.headers['x-road-error']).toBe('Server.ClientProxy.UnknownMember')

  const knownLast = await raw(ee, `/r1/${EE_ECHO}/persons/1`, [
    ['X-Road-Client', 'ee-test/GOV/70006317/nobody'],
    ['x-road-client', EESTI_EE],
  ])
  expect(knownLast.status).toBe(200)
  expect(knownLast.headers['x-road-client']).toBe(EESTI_EE)
})

test('answers a malformed client header over HTTP with the same fault as in-process', async () => {
  for (const value of [
    'ee-test/GOV/70006317/eesti ee',
    'ee-test/GOV/70006317/eesti%zz',
    'ee-test/GOV',
  ]) {
    const answer = await raw(ee, `/r1/${EE_ECHO}/persons/1`, [['X-Road-Client', value]])
    expect(answer.status, value).toBe(500)
    expect(answer.headers['content-type']).toBe('application/json;charset=utf-8')
    const body = JSON.parse(answer.body)
    expect(body.type).toBe('Server.ClientProxy.InternalError')
    expect(answer.headers['x-road-error']).toBe(body.type)
    expect(body.detail).toMatch(UUID)
  }
})

test('passes an encoded service path and its query to the provider over HTTP as sent', async () => {
  const target = '/persons/a%2Fb%20c?q=%7e~&sp=a%20b&plus=a+b&same=1&same=2&empty=&flag'
  const answer = await raw(ee, `/r1/${EE_ECHO}${target}`, [['X-Road-Client', EESTI_EE]])
  expect(answer.status).toBe(200)
  expect(seen(answer).url).toBe(target)
})

test('passes the query to the provider unmodified over HTTP, quotes included', async () => {
  const target = "/persons/x?name=O'Brien&a=(1)"
  const answer = await raw(ee, `/r1/${EE_ECHO}${target}`, [['X-Road-Client', EESTI_EE]])
  expect(answer.status).toBe(200)
  expect(seen(answer).url).toBe(target)
})

test('serves a UXP call over HTTP, using the last of two Uxp-Client lines', async () => {
  const answer = await raw(ua, '/restapi/things', [
    ['Uxp-Client', 'SEVDEIR-TEST/GOV/44312340/NOBODY'],
    ['Uxp-Client', UA_KYC],
    ['Uxp-Service', UA_ECHO],
    ['Uxp-QueryID', 'http-query-1'],
  ])
  expect(answer.status).toBe(200)
  expect(answer.headers['uxp-client']).toBe(UA_KYC)
  expect(answer.headers['uxp-service']).toBe(UA_ECHO)
  expect(answer.headers['uxp-queryid']).toBe('http-query-1')
  expect(seen(answer).headers).toContainEqual(['uxp-client', UA_KYC])
})

test('sends a whole plain reply with its Content-Length instead of in chunks, and none with a 204 or to HEAD', async () => {
  const server = await startPlainHttpServer(async ({ pathname }) =>
    pathname === '/empty'
      ? { status: 204, headers: [], body: new Uint8Array() }
      : {
          status: 200,
          headers: [['content-type', 'application/json']],
          body: new TextEncoder().encode('{"name":"Mari"}'),
        },
  )
  try {
    const whole = await raw(server, '/person', [])
    expect(whole.headers['content-length']).toBe('15')
    expect(whole.headers['transfer-encoding']).toBeUndefined()
    expect(whole.body).toBe('{"name":"Mari"}')
    const empty = await raw(server, '/empty', [])
    expect(empty.status).toBe(204)
    expect(empty.headers['content-length']).toBeUndefined()
    const head = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const { hostname, port } = new URL(server.url)
      request({ hostname, port, path: '/person', method: 'HEAD' }, (res) => {
        res.resume()
        res.on('end', () => resolve(res.headers))
      })
        .on('error', reject)
        .end()
    })
    expect(head['content-length']).toBeUndefined()
  } finally {
    await server.close()
  }
})
