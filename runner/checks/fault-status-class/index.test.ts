import { expect, test } from 'vitest'
import { ACCESS_DENIED, BAD_REQUEST } from '../../../specs/protocol/index.ts'
import { CLIENT_ID_FAULT_CODES_7_6_3 } from '../../../specs/protocol/xroad-errors/index.ts'
import { EE_CLIENT_WITHOUT_RIGHTS, makeContext, outcomeOf } from '../test-kit.ts'
import { faultStatusClass } from './index.ts'

test('passes Server.* faults with 500 and Client.* faults with 400', () => {
  for (const code of [ACCESS_DENIED.code, BAD_REQUEST.code]) {
    const ctx = makeContext({ client: EE_CLIENT_WITHOUT_RIGHTS, fault: { code } })
    expect(outcomeOf(faultStatusClass, ctx)).toEqual([])
  }
})

test('passes the X-Road 7.6.3 codes for a missing or invalid client id with their 500', () => {
  for (const code of CLIENT_ID_FAULT_CODES_7_6_3) {
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
      /^fault Server.ServerProxy.AccessDenied came with status 403; expected 500/,
    ),
  ])
})

test('fails a Client.* fault answered with 500', () => {
  const ctx = makeContext({ fault: { code: BAD_REQUEST.code }, responseStatus: 500 })
  expect(outcomeOf(faultStatusClass, ctx)).toEqual([expect.stringContaining('expected 400')])
})

test('is not applied to provider answers', () => {
  expect(outcomeOf(faultStatusClass, makeContext())).toBe('not applied')
})
