import { expect, test } from 'vitest'
import { INVALID_CODE, makeContext, outcomeOf, PERSON, VALID_CODE } from '../test-kit.ts'
import { identifierFormatConformance } from './index.ts'

test('passes identifiers with valid check digits', () => {
  expect(outcomeOf(identifierFormatConformance, makeContext())).toEqual([])
})

test('fails an identifier with a wrong check digit, naming field, value and reason', () => {
  const ctx = makeContext({
    answer: {
      status: 200,
      headers: { 'x-record-version': '1' },
      body: { ...PERSON, personalCode: INVALID_CODE },
    },
  })
  expect(outcomeOf(identifierFormatConformance, ctx)).toEqual([
    'body/personalCode "38001085719" is not a valid ee-personal-code: check digit 9 does not match (expected 8)',
  ])
})

test('finds identifiers at any depth of the body', () => {
  const ctx = makeContext({
    path: `/persons?personalCode=${VALID_CODE}`,
    answer: {
      status: 200,
      body: { total: 1, items: [{ ...PERSON, mother: { personalCode: '4800101354' } }] },
    },
  })
  expect(outcomeOf(identifierFormatConformance, ctx)).toEqual([
    expect.stringMatching(
      /^body\/items\/0\/mother\/personalCode "4800101354" is not a valid ee-personal-code: /,
    ),
  ])
})

test('ignores other formats, which are the schema check’s', () => {
  const ctx = makeContext({
    answer: {
      status: 200,
      headers: { 'x-record-version': '1' },
      body: { ...PERSON, birthDate: 'yesterday' },
    },
  })
  expect(outcomeOf(identifierFormatConformance, ctx)).toEqual([])
})
