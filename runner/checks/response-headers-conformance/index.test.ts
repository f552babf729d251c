import { expect, test } from 'vitest'
import { makeContext, outcomeOf, PERSON } from '../test-kit.ts'
import { responseHeadersConformance } from './index.ts'

test('passes a response with its required header', () => {
  expect(outcomeOf(responseHeadersConformance, makeContext())).toEqual([])
})

test('fails a missing required header', () => {
  const ctx = makeContext({ answer: { status: 200, body: PERSON } })
  expect(outcomeOf(responseHeadersConformance, ctx)).toEqual([
    'response header X-Record-Version is required (getPerson status 200)',
  ])
})

test('fails a header that does not match its schema', () => {
  const ctx = makeContext({ responseHeaders: { 'x-record-version': '0' } })
  expect(outcomeOf(responseHeadersConformance, ctx)).toEqual([
    expect.stringMatching(/^header\.x-record-version must be >= 1/),
  ])
})

test('leaves Content-Type to contentTypeConformance', () => {
  const ctx = makeContext({ responseHeaders: { 'content-type': 'text/plain' } })
  expect(outcomeOf(responseHeadersConformance, ctx)).toEqual([])
})
