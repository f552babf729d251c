import { expect, test } from 'vitest'
import {
  INVALID_CODE,
  makeContext,
  OTHER_VALID_CODE,
  outcomeOf,
  PERSON,
  VALID_CODE,
} from '../test-kit.ts'
import { identifierEcho } from './index.ts'

const person = (body: object, path = `/persons/${VALID_CODE}`) =>
  makeContext({ path, answer: { status: 200, headers: { 'x-record-version': '1' }, body } })

test('passes an answer about the identifier asked for', () => {
  expect(outcomeOf(identifierEcho, makeContext())).toEqual([])
})

test('fails an answer about someone else, naming both identifiers', () => {
  expect(outcomeOf(identifierEcho, person({ ...PERSON, personalCode: OTHER_VALID_CODE }))).toEqual([
    `asked for personalCode "${VALID_CODE}" (ee-personal-code); the answer's personalCode is "${OTHER_VALID_CODE}"`,
  ])
})

test('is not applied when the answered identifier is itself invalid', () => {
  expect(outcomeOf(identifierEcho, person({ ...PERSON, personalCode: INVALID_CODE }))).toBe(
    'not applied',
  )
})

test('is not applied when the identifier asked for is invalid', () => {
  expect(outcomeOf(identifierEcho, person(PERSON, `/persons/${INVALID_CODE}`))).toBe('not applied')
})

test('is not applied when the answer omits the field', () => {
  expect(outcomeOf(identifierEcho, person({ givenName: 'Jaan', birthDate: '1980-01-08' }))).toBe(
    'not applied',
  )
})

test('is not applied to operations without an identifier in the path', () => {
  const ctx = makeContext({
    path: `/persons?personalCode=${VALID_CODE}`,
    answer: {
      status: 200,
      body: { total: 1, items: [{ ...PERSON, personalCode: OTHER_VALID_CODE }] },
    },
  })
  expect(outcomeOf(identifierEcho, ctx)).toBe('not applied')
})

test('is not applied to error answers', () => {
  const ctx = makeContext({
    answer: { status: 404, body: { type: 'urn:test', title: 'Not found', status: 404 } },
  })
  expect(outcomeOf(identifierEcho, ctx)).toBe('not applied')
})
