import { expect, test } from 'vitest'
import { ACCESS_DENIED } from '../../../specs/protocol/index.ts'
import { EE_CLIENT_WITHOUT_RIGHTS, INVALID_CODE, makeContext, outcomeOf } from '../test-kit.ts'
import { badIdentifierRejected } from './index.ts'

const problem = (status: number) => ({ type: 'urn:test', title: 'Bad', status })

test('is not applied when every identifier sent is valid', () => {
  expect(outcomeOf(badIdentifierRejected, makeContext())).toBe('not applied')
})

test('passes a 400 for a path identifier with a wrong check digit', () => {
  const ctx = makeContext({
    path: `/persons/${INVALID_CODE}`,
    answer: { status: 400, body: problem(400) },
  })
  expect(outcomeOf(badIdentifierRejected, ctx)).toEqual([])
})

test('fails a provider that serves an invalid query identifier', () => {
  const ctx = makeContext({
    path: `/persons?personalCode=${INVALID_CODE}`,
    answer: { status: 200, body: { total: 0, items: [] } },
  })
  expect(outcomeOf(badIdentifierRejected, ctx)).toEqual([
    'sent query parameter personalCode "38001085719" (ee-personal-code: check digit 9 does not match (expected 8)) and got status 200; expected 400',
  ])
})

test('fails a provider that crashes on an invalid path identifier', () => {
  const ctx = makeContext({
    path: `/persons/${INVALID_CODE}`,
    answer: { status: 500, body: problem(500) },
  })
  expect(outcomeOf(badIdentifierRejected, ctx)).toEqual([
    expect.stringContaining('got status 500; expected 400'),
  ])
})

test('is not applied when a security server refused the call first', () => {
  const ctx = makeContext({
    client: EE_CLIENT_WITHOUT_RIGHTS,
    path: `/persons/${INVALID_CODE}`,
    fault: { code: ACCESS_DENIED.code },
  })
  expect(outcomeOf(badIdentifierRejected, ctx)).toBe('not applied')
})
