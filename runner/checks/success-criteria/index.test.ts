import { expect, test } from 'vitest'
import { makeContext, outcomeOf } from '../test-kit.ts'
import { successCriteria } from './index.ts'

test('passes when the criteria held', () => {
  expect(outcomeOf(successCriteria, makeContext())).toEqual([])
})

test('fails with one message per failed criterion', () => {
  const ctx = makeContext({
    criteriaFailures: ['$statusCode == 201 (was 200)', '$response.body#/sex == F (was "M")'],
  })
  expect(outcomeOf(successCriteria, ctx)).toEqual([
    'success criterion failed: $statusCode == 201 (was 200)',
    'success criterion failed: $response.body#/sex == F (was "M")',
  ])
})
