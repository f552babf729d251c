import { expect, test } from 'vitest'
import { ACCESS_DENIED } from '../../../specs/protocol/index.ts'
import {
  EE_CLIENT_WITHOUT_RIGHTS,
  makeContext,
  makeWorkflow,
  OTHER_VALID_CODE,
  outcomeOf,
  PERSON,
  VALID_CODE,
} from '../test-kit.ts'
import { crossStepConsistency } from './index.ts'

const lookup = (id: string, body: object) =>
  makeContext({ id, answer: { status: 200, headers: { 'x-record-version': '1' }, body } })

const search = (id: string, items: object[]) =>
  makeContext({
    id,
    path: `/persons?personalCode=${VALID_CODE}`,
    answer: { status: 200, body: { total: items.length, items } },
  })

test('passes steps that agree on the person', () => {
  const workflow = makeWorkflow(lookup('s/w/get#1', PERSON), search('s/w/search#1', [PERSON]))
  expect(outcomeOf(crossStepConsistency, workflow)).toEqual([])
})

test('fails steps that disagree on the birth date of the same identifier, naming both', () => {
  const workflow = makeWorkflow(
    lookup('s/w/get#1', PERSON),
    search('s/w/search#1', [{ ...PERSON, birthDate: '1980-01-09' }]),
  )
  expect(outcomeOf(crossStepConsistency, workflow)).toEqual([
    `"${VALID_CODE}" has birthDate "1980-01-08" in s/w/get#1 body but "1980-01-09" in s/w/search#1 body/items/0`,
  ])
})

test('compares nested objects at any depth', () => {
  const mother = { personalCode: OTHER_VALID_CODE, birthDate: '1955-04-22', sex: 'F' }
  const workflow = makeWorkflow(
    lookup('s/w/mother#1', { ...mother, givenName: 'Mari' }),
    lookup('s/w/child#1', { ...PERSON, mother: { ...mother, sex: 'M' } }),
  )
  expect(outcomeOf(crossStepConsistency, workflow)).toEqual([
    `"${OTHER_VALID_CODE}" has sex "F" in s/w/mother#1 body but "M" in s/w/child#1 body/mother`,
  ])
})

test('does not compare different people', () => {
  const workflow = makeWorkflow(
    lookup('s/w/a#1', PERSON),
    lookup('s/w/b#1', { ...PERSON, personalCode: OTHER_VALID_CODE, sex: 'F' }),
  )
  expect(outcomeOf(crossStepConsistency, workflow)).toBe('not applied')
})

test('is not applied when nothing is stated twice', () => {
  const refused = makeContext({
    client: EE_CLIENT_WITHOUT_RIGHTS,
    fault: { code: ACCESS_DENIED.code },
  })
  expect(outcomeOf(crossStepConsistency, makeWorkflow(lookup('s/w/a#1', PERSON), refused))).toBe(
    'not applied',
  )
})
