import { expect, test } from 'vitest'
import { ACCESS_DENIED, CLIENT_ID_MISSING, XROAD_HEADER } from '../../../specs/protocol/index.ts'
import { EE_CLIENT_WITHOUT_RIGHTS, FI_CLIENT, makeContext, outcomeOf } from '../test-kit.ts'
import { expectedOutcome } from './index.ts'

test('is not applied when the step expects nothing', () => {
  expect(outcomeOf(expectedOutcome, makeContext())).toBe('not applied')
})

const UNKNOWN_SERVICE = 'Server.ServerProxy.UnknownService'

test('passes the expected fault with the expected status', () => {
  const ctx = makeContext({
    fault: { code: UNKNOWN_SERVICE },
    expect: { error: UNKNOWN_SERVICE, status: 500 },
  })
  expect(outcomeOf(expectedOutcome, ctx)).toEqual([])
})

test('fails a provider answer where a refusal was expected', () => {
  const ctx = makeContext({ expect: { error: UNKNOWN_SERVICE } })
  expect(outcomeOf(expectedOutcome, ctx)).toEqual([
    'expected fault server.serverproxy.unknown_service (X-Road 7.8 style, as ee-test declares); got status 200 from the provider',
  ])
})

test('leaves an expected refusal of an unauthorised caller to unauthorizedRefused', () => {
  const ctx = makeContext({
    client: EE_CLIENT_WITHOUT_RIGHTS,
    expect: { error: ACCESS_DENIED.code },
  })
  expect(outcomeOf(expectedOutcome, ctx)).toBe('not applied')
})

test('fails another fault than expected', () => {
  const ctx = makeContext({
    fault: { code: 'Server.ServerProxy.UnknownService' },
    expect: { error: ACCESS_DENIED.code, status: 500 },
  })
  expect(outcomeOf(expectedOutcome, ctx)).toEqual([
    'expected fault server.serverproxy.access_denied (X-Road 7.8 style, as ee-test declares) with status 500; got fault server.serverproxy.unknown_service (status 500)',
  ])
})

test('fails another status than expected', () => {
  expect(outcomeOf(expectedOutcome, makeContext({ expect: { status: 404 } }))).toEqual([
    'expected status 404; got status 200 from the provider',
  ])
})

test("accepts PR-REST's 400 client-id fault where X-Road's 500 is expected", () => {
  const ctx = makeContext({
    requestHeaders: { [XROAD_HEADER.client]: undefined },
    fault: { code: 'Client.InvalidClientIdentifier' },
    expect: { error: CLIENT_ID_MISSING.code, status: 500 },
  })
  expect(ctx.exchange.response?.status).toBe(400)
  expect(outcomeOf(expectedOutcome, ctx)).toEqual([])
})

test('expects the code as the answering instance writes it, whatever style the step wrote', () => {
  const seven8 = makeContext({
    fault: { code: UNKNOWN_SERVICE },
    expect: { error: 'server.serverproxy.unknown_service', status: 500 },
  })
  expect(seven8.fault?.code).toBe('server.serverproxy.unknown_service')
  expect(outcomeOf(expectedOutcome, seven8)).toEqual([])
  const seven6 = makeContext({
    client: FI_CLIENT,
    fault: { code: UNKNOWN_SERVICE },
    expect: { error: 'server.serverproxy.unknown_service', status: 500 },
  })
  expect(seven6.fault?.code).toBe(UNKNOWN_SERVICE)
  expect(outcomeOf(expectedOutcome, seven6)).toEqual([])
})

test('fails a 7.6-style code from an instance that declares 7.8', () => {
  const ctx = makeContext({
    fault: { code: UNKNOWN_SERVICE },
    responseHeaders: { 'x-road-error': UNKNOWN_SERVICE },
    expect: { error: UNKNOWN_SERVICE },
  })
  expect(outcomeOf(expectedOutcome, ctx)).toEqual([
    'expected fault server.serverproxy.unknown_service (X-Road 7.8 style, as ee-test declares); got fault Server.ServerProxy.UnknownService (status 500)',
  ])
})

test('fails when no response came back', () => {
  const ctx = makeContext({ transportError: 'timeout', expect: { status: 400 } })
  expect(outcomeOf(expectedOutcome, ctx)).toEqual([
    'expected status 400; got no HTTP response (timeout)',
  ])
})
