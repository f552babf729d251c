import { expect, test } from 'vitest'
import { en, translate } from './index.ts'

test('fills placeholders from the values given', () => {
  expect(translate(en, 'report.verdict.fail', { failed: 3, total: 5 })).toBe(
    '3 of 5 scenarios did not pass',
  )
})

test('leaves a placeholder without a value visible', () => {
  expect(translate(en, 'level.reached', { level: 2 })).toBe('Level 2 · {name}')
})

test('does not expand placeholders inside the values', () => {
  expect(translate(en, 'certificate.verify', { command: '{party}' })).toBe(
    'Verify it offline with: {party}',
  )
})
