import { expect, test } from 'vitest'
import { XROAD_HEADER } from '../../../specs/protocol/index.ts'
import { makeContext, outcomeOf } from '../test-kit.ts'
import { requestIdPresent } from './index.ts'

test('passes a UUID X-Road-Request-Id', () => {
  expect(outcomeOf(requestIdPresent, makeContext())).toEqual([])
})

test('fails a missing X-Road-Request-Id', () => {
  const ctx = makeContext({ responseHeaders: { [XROAD_HEADER.requestId]: undefined } })
  expect(outcomeOf(requestIdPresent, ctx)).toEqual([
    expect.stringMatching(/^the response has no X-Road-Request-Id header/),
  ])
})

test('fails an X-Road-Request-Id that is not a UUID, quoting it', () => {
  const ctx = makeContext({ responseHeaders: { [XROAD_HEADER.requestId]: 'req-42' } })
  expect(outcomeOf(requestIdPresent, ctx)).toEqual([
    'X-Road-Request-Id is "req-42"; expected a UUID',
  ])
})

test('is not applied to Trembita clients', () => {
  expect(outcomeOf(requestIdPresent, makeContext({ protocol: 'uxp-rest' }))).toBe('not applied')
})
