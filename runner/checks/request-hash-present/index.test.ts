import { expect, test } from 'vitest'
import { XROAD_HEADER } from '../../../specs/protocol/index.ts'
import { makeContext, outcomeOf } from '../test-kit.ts'
import { requestHashPresent } from './index.ts'

test('passes an 88-character base64 SHA-512 request hash', () => {
  expect(outcomeOf(requestHashPresent, makeContext())).toEqual([])
})

test('fails a missing X-Road-Request-Hash', () => {
  const ctx = makeContext({ responseHeaders: { [XROAD_HEADER.requestHash]: undefined } })
  expect(outcomeOf(requestHashPresent, ctx)).toEqual([
    expect.stringMatching(/^the response has no X-Road-Request-Hash header/),
  ])
})

test('fails a request hash shaped like the UUID in the spec example', () => {
  const ctx = makeContext({
    responseHeaders: { [XROAD_HEADER.requestHash]: 'f92591a3-6bf0-49b1-987b-0dd78c034cc3' },
  })
  expect(outcomeOf(requestHashPresent, ctx)).toEqual([
    expect.stringContaining('"f92591a3-6bf0-49b1-987b-0dd78c034cc3"; expected base64'),
  ])
})

test('does not ask Trembita clients for a request hash', () => {
  expect(outcomeOf(requestHashPresent, makeContext({ protocol: 'uxp-rest' }))).toBe('not applied')
})
