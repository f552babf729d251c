import { expect, test } from 'vitest'
import {
  ACCESS_DENIED,
  BAD_REQUEST,
  CLIENT_ID_INVALID,
  CLIENT_ID_MISSING,
} from '../../../specs/protocol/index.ts'
import { EE_CLIENT_WITHOUT_RIGHTS, FI_CLIENT, makeContext, outcomeOf } from '../test-kit.ts'
import { faultStatusClass } from './index.ts'

test('passes Server.* faults with 500 and Client.* faults with 400', () => {
  for (const code of [ACCESS_DENIED.code, BAD_REQUEST.code]) {
    const ctx = makeContext({ client: EE_CLIENT_WITHOUT_RIGHTS, fault: { code } })
    expect(outcomeOf(faultStatusClass, ctx)).toEqual([])
  }
})

test('passes the codes for a missing or invalid client id with their 500', () => {
  for (const code of [CLIENT_ID_MISSING.code, CLIENT_ID_INVALID.code]) {
    const ctx = makeContext({ fault: { code } })
    expect(ctx.exchange.response?.status).toBe(500)
    expect(outcomeOf(faultStatusClass, ctx)).toEqual([])
  }
})

test('fails an access refusal answered with 403', () => {
  const ctx = makeContext({
    client: EE_CLIENT_WITHOUT_RIGHTS,
    fault: { code: ACCESS_DENIED.code },
    responseStatus: 403,
  })
  expect(outcomeOf(faultStatusClass, ctx)).toEqual([
    expect.stringMatching(
      /^fault server.serverproxy.access_denied came with status 403; expected 500 \(server\.\* faults are 500; X-Road 7.8 style, as ee-test declares\)/,
    ),
  ])
})

test('fails a Client.* fault answered with 500', () => {
  const ctx = makeContext({ fault: { code: BAD_REQUEST.code }, responseStatus: 500 })
  expect(outcomeOf(faultStatusClass, ctx)).toEqual([expect.stringContaining('expected 400')])
})

test('applies the 7.6 rule to an instance that declares 7.6', () => {
  const ok = makeContext({ client: FI_CLIENT, fault: { code: ACCESS_DENIED.code } })
  expect(ok.exchange.response?.status).toBe(500)
  expect(outcomeOf(faultStatusClass, ok)).toEqual([])
  const snake = makeContext({
    client: FI_CLIENT,
    fault: { code: ACCESS_DENIED.code },
    responseHeaders: { 'x-road-error': 'server.serverproxy.access_denied' },
  })
  // X-Road 7.6 answers 500 only for codes that start with "Server.".
  expect(outcomeOf(faultStatusClass, snake)).toEqual([
    expect.stringMatching(
      /expected 400 \(faults other than Server\.\* are 400; X-Road 7.6 style, as FI-TEST declares\)/,
    ),
  ])
})

test('is not applied to provider answers', () => {
  expect(outcomeOf(faultStatusClass, makeContext())).toBe('not applied')
})
