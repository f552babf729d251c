import { expect, test } from 'vitest'
import { ACCESS_DENIED } from '../../../specs/protocol/index.ts'
import { EE_CLIENT_WITHOUT_RIGHTS, makeContext, outcomeOf } from '../test-kit.ts'
import { statusCodeConformance } from './index.ts'

const problem = { type: 'urn:test', title: 'Not found', status: 404 }

test('passes a declared status', () => {
  expect(outcomeOf(statusCodeConformance, makeContext())).toEqual([])
  const notFound = makeContext({ answer: { status: 404, body: problem } })
  expect(outcomeOf(statusCodeConformance, notFound)).toEqual([])
})

test('fails an undeclared status, listing the declared ones', () => {
  const ctx = makeContext({ answer: { status: 403, body: { ...problem, status: 403 } } })
  expect(outcomeOf(statusCodeConformance, ctx)).toEqual([
    'status 403 is not declared for getPerson (declared: 200, 400, 404, 500)',
  ])
})

test('is not applied to security-server faults, which no OpenAPI document declares', () => {
  const ctx = makeContext({ client: EE_CLIENT_WITHOUT_RIGHTS, fault: { code: ACCESS_DENIED.code } })
  expect(outcomeOf(statusCodeConformance, ctx)).toBe('not applied')
})

test('is not applied when no response came back', () => {
  expect(outcomeOf(statusCodeConformance, makeContext({ transportError: 'timeout' }))).toBe(
    'not applied',
  )
})
