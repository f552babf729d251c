import { expect, test } from 'vitest'
import type { LevelState } from '../runner/types.ts'
import { levelChange, type LevelMemory } from './levels.ts'

const memory = (level: 0 | 1 | 2 | 3 | 4, states: LevelState[]): LevelMemory => ({
  level,
  levels: states.map((state, i) => ({ level: (i + 1) as 1 | 2 | 3 | 4, state })),
})

test('a level that the later run did not test is no drop', () => {
  const before = memory(4, ['passed', 'passed', 'passed', 'passed'])
  const after = memory(3, ['passed', 'passed', 'passed', 'not-tested'])
  expect(levelChange(before, after)).toBeUndefined()
})

test('a level that the later run failed is a drop', () => {
  const before = memory(4, ['passed', 'passed', 'passed', 'passed'])
  const after = memory(3, ['passed', 'passed', 'passed', 'blocked'])
  expect(levelChange(before, after)).toBe('down')
})

test('a level that the earlier run did not test is no rise, one it failed is', () => {
  const after = memory(4, ['passed', 'passed', 'passed', 'passed'])
  expect(levelChange(memory(3, ['passed', 'passed', 'passed', 'not-tested']), after)).toBe(
    undefined,
  )
  expect(levelChange(memory(3, ['passed', 'passed', 'passed', 'blocked']), after)).toBe('up')
})

test('the same level is no change', () => {
  const card = memory(2, ['passed', 'passed', 'blocked', 'not-tested'])
  expect(levelChange(card, card)).toBeUndefined()
})
