import { expect, test } from 'vitest'
import { makeContext, outcomeOf } from '../test-kit.ts'
import { contentTypeConformance } from './index.ts'

test('passes a declared content type, with or without parameters', () => {
  expect(outcomeOf(contentTypeConformance, makeContext())).toEqual([])
  const ctx = makeContext({
    responseHeaders: { 'content-type': 'application/json; charset=utf-8' },
  })
  expect(outcomeOf(contentTypeConformance, ctx)).toEqual([])
})

test('fails a content type the operation does not declare for the status', () => {
  const ctx = makeContext({ responseHeaders: { 'content-type': 'text/html' } })
  expect(outcomeOf(contentTypeConformance, ctx)).toEqual([
    'content type text/html is not one of application/json (declared for getPerson status 200); the body is JSON: send Content-Type application/json',
  ])
})

test('fails a missing content type where the status declares one', () => {
  const ctx = makeContext({ responseHeaders: { 'content-type': undefined } })
  expect(outcomeOf(contentTypeConformance, ctx)).toEqual([
    expect.stringContaining('content type (none)'),
  ])
})

test('leaves an undeclared status to statusCodeConformance', () => {
  const ctx = makeContext({ answer: { status: 418, body: 'teapot' } })
  expect(outcomeOf(contentTypeConformance, ctx)).toEqual([])
})

test('passes an answer with neither body nor content type', () => {
  const ctx = makeContext({ answer: { status: 404 } })
  expect(ctx.exchange.response?.headers['content-type']).toBeUndefined()
  expect(outcomeOf(contentTypeConformance, ctx)).toEqual([])
})

test('says which content type to send when an error body is JSON under a text type', () => {
  const ctx = makeContext({
    answer: { status: 404 },
    responseHeaders: { 'content-type': 'text/plain; charset=utf-8' },
    responseBody: '{"type":"urn:test","title":"Not found","status":404}',
  })
  expect(outcomeOf(contentTypeConformance, ctx)).toEqual([
    'content type text/plain is not one of application/problem+json (declared for getPerson status 404); the body is JSON: send Content-Type application/problem+json',
  ])
})

test('gives no such advice when the body under a text type is not JSON', () => {
  const ctx = makeContext({
    answer: { status: 404 },
    responseHeaders: { 'content-type': 'text/html' },
    responseBody: '<html><body>Not found</body></html>',
  })
  expect(outcomeOf(contentTypeConformance, ctx)).toEqual([
    'content type text/html is not one of application/problem+json (declared for getPerson status 404)',
  ])
})
