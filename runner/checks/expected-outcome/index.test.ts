import { expect, test } from 'vitest'
import { ACCESS_DENIED, CLIENT_ID_MISSING, XROAD_HEADER } from '../../../specs/protocol/index.ts'
import { EE_CLIENT_WITHOUT_RIGHTS, makeContext, outcomeOf } from '../test-kit.ts'
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
    'expected fault Server.ServerProxy.UnknownService; got status 200 from the provider',
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
    'expected fault Server.ServerProxy.AccessDenied with status 500; got fault Server.ServerProxy.UnknownService (status 500)',
  ])
})

test('fails another status than expected', () => {
  expect(outcomeOf(expectedOutcome, makeContext({ expect: { status: 404 } }))).toEqual([
    'expected status 404; got status 200 from the provider',
  ])
})

test("accepts X-Road 7.6.3's own client-id fault and its 500 where Sild's 400 is expected", () => {
  const ctx = makeContext({
    requestHeaders: { [XROAD_HEADER.client]: undefined },
    fault: { code: 'Server.ClientProxy.InvalidClientIdentifier' },
    expect: { error: CLIENT_ID_MISSING.code, status: 400 },
  })
  expect(outcomeOf(expectedOutcome, ctx)).toEqual([])
})

test('fails when no response came back', () => {
  const ctx = makeContext({ transportError: 'timeout', expect: { status: 400 } })
  expect(outcomeOf(expectedOutcome, ctx)).toEqual([
    'expected status 400; got no HTTP response (timeout)',
  ])
})
