import type { ExchangeCheck } from '../types.ts'

/**
 * The step's Arazzo `successCriteria` held and its outputs could be read. The runner evaluates
 * them (runner/criteria) and hands over the failures; a step without criteria is not counted.
 */
export const successCriteria: ExchangeCheck = {
  scope: 'exchange',
  name: 'successCriteria',
  title: 'Success criteria hold',
  level: 3,
  severity: 'high',
  mandatory: true,
  appliedBy: 'a step with successCriteria',
  applies: ({ criteriaCount, criteriaFailures }) =>
    criteriaCount > 0 || criteriaFailures.length > 0,
  run: ({ criteriaFailures }) =>
    criteriaFailures.map((failure) => `success criterion failed: ${failure}`),
}
