import { expect, test } from 'vitest'
import { INVALID_CODE, makeContext, outcomeOf, PERSON } from '../test-kit.ts'
import { responseSchemaConformance } from './index.ts'

const answer = (body: unknown) =>
  makeContext({ answer: { status: 200, headers: { 'x-record-version': '1' }, body } })

test('passes a body valid against the schema', () => {
  expect(outcomeOf(responseSchemaConformance, makeContext())).toEqual([])
})

test('groups every violation into one failure', () => {
  const ctx = answer({ ...PERSON, givenName: undefined, birthDate: '1980-13-45', sex: 'X' })
  expect(outcomeOf(responseSchemaConformance, ctx)).toEqual([
    [
      'Response violates the schema of getPerson 200 (3 violations):',
      '  - body/givenName is required',
      '  - body/birthDate: must be a valid date',
      '  - body/sex must be equal to one of the allowed values',
    ].join('\n'),
  ])
})

test('leaves an identifier with a wrong check digit to identifierFormatConformance', () => {
  expect(
    outcomeOf(responseSchemaConformance, answer({ ...PERSON, personalCode: INVALID_CODE })),
  ).toEqual([])
})

test('validates error bodies against their declared schema too', () => {
  const ctx = makeContext({ answer: { status: 404, body: { title: 'Not found' } } })
  expect(outcomeOf(responseSchemaConformance, ctx)).toEqual([
    expect.stringMatching(/getPerson 404 \(2 violations\):\n {2}- body\/type is required/),
  ])
})
