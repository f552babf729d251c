import { expect, test } from 'vitest'
import { ACCESS_DENIED } from '../../../specs/protocol/index.ts'
import { EE_CLIENT_WITHOUT_RIGHTS, makeContext, outcomeOf, type ContextInput } from '../test-kit.ts'
import { errorBodyFormat } from './index.ts'

const denied = (input: ContextInput = {}) =>
  makeContext({ client: EE_CLIENT_WITHOUT_RIGHTS, fault: { code: ACCESS_DENIED.code }, ...input })

test('passes the JSON fault a security server renders', () => {
  expect(outcomeOf(errorBodyFormat, denied())).toEqual([])
})

test('passes the XML fault rendered for an Accept that asks for XML', () => {
  const ctx = denied({ requestHeaders: { accept: 'text/xml' } })
  expect(ctx.exchange.response?.headers['content-type']).toBe('text/xml;charset=utf-8')
  expect(outcomeOf(errorBodyFormat, ctx)).toEqual([])
})

test('passes a Trembita fault with its code in Uxp-Error', () => {
  const ctx = makeContext({ protocol: 'uxp-rest', fault: { code: ACCESS_DENIED.code } })
  expect(outcomeOf(errorBodyFormat, ctx)).toEqual([])
})

test('accepts bare application/json, as X-Road 7.6.3 sends it', () => {
  const ctx = denied({ responseHeaders: { 'content-type': 'application/json' } })
  expect(outcomeOf(errorBodyFormat, ctx)).toEqual([])
})

test('fails a body whose type differs from the error header', () => {
  const ctx = denied({
    responseBody: { type: 'server.serverproxy.unknown_service', message: 'x', detail: 'abc' },
  })
  expect(outcomeOf(errorBodyFormat, ctx)).toEqual([
    expect.stringMatching(
      /^the fault body's type is "server.serverproxy.unknown_service"; expected "server.serverproxy.access_denied"/,
    ),
  ])
})

test('fails a problem+json body in place of the X-Road error', () => {
  const ctx = denied({
    responseHeaders: { 'content-type': 'application/problem+json' },
    responseBody: { title: 'Forbidden', status: 403 },
  })
  expect(outcomeOf(errorBodyFormat, ctx)).toEqual([
    expect.stringMatching(
      /^Content-Type is "application\/problem\+json"; expected application\/json/,
    ),
    expect.stringContaining('type is missing, message is missing, detail is missing'),
  ])
})

test('fails an empty detail', () => {
  const ctx = denied({ fault: { code: ACCESS_DENIED.code, detail: ' ' } })
  expect(outcomeOf(errorBodyFormat, ctx)).toEqual([expect.stringMatching(/detail is empty/)])
})

test('fails an XML Content-Type without charset and an <error> without <detail>', () => {
  const ctx = denied({
    requestHeaders: { accept: 'application/xml' },
    responseHeaders: { 'content-type': 'application/xml' },
    responseBody:
      '<error><type>Server.ServerProxy.AccessDenied</type><message>no</message></error>',
  })
  expect(outcomeOf(errorBodyFormat, ctx)).toEqual([
    expect.stringContaining('names no charset'),
    expect.stringContaining('<error> has no <detail>'),
  ])
})

test('decodes XML entities before comparing the type', () => {
  const ctx = denied({
    requestHeaders: { accept: 'text/xml' },
    responseBody:
      '<error><type>server.serverproxy.access_denied</type><message>a &amp; b</message><detail>&#x31;</detail></error>',
  })
  expect(outcomeOf(errorBodyFormat, ctx)).toEqual([])
})

test('is not applied to provider answers', () => {
  expect(outcomeOf(errorBodyFormat, makeContext())).toBe('not applied')
})

test('says a fault body that is not JSON under a JSON content type is not JSON, quoting its start', () => {
  const ctx = denied({
    responseHeaders: { 'content-type': 'application/json; charset=utf-8' },
    responseBody: '<html><head><title>403 Forbidden</title></head><body>nginx</body></html>',
  })
  expect(outcomeOf(errorBodyFormat, ctx)).toEqual([
    'the fault body is not JSON although content-type is application/json: "<html><head><title>403 Forbidden</title></head><body>nginx</b…"',
  ])
})

test('still holds a fault sent as text/plain to the error shape when its body is JSON', () => {
  const ctx = denied({
    responseHeaders: { 'content-type': 'text/plain' },
    responseBody: '{"type":"Server.ServerProxy.AccessDenied","message":"denied"}',
  })
  expect(outcomeOf(errorBodyFormat, ctx)).toEqual([
    expect.stringMatching(/^Content-Type is "text\/plain"; expected application\/json/),
    'the fault body is not a JSON object {type, message, detail}: detail is missing',
  ])
})
