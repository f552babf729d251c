import { expect, test } from 'vitest'
import { scoreRun } from '../../runner/scoring/index.ts'
import type { RunReport } from '../../runner/types.ts'
import { SildInputError } from '../../specs/source-file/index.ts'
import { sampleRunReport } from '../test-fixtures/run-report.ts'
import { summarize } from '../../runner/scoring/index.ts'
import { mergeReports, type MergeInput } from './index.ts'

/** Shard i of n as `sild run --shard i/n` makes it: every n-th scenario by id, scored alone. */
const shardOf = (report: RunReport, index: number, total: number): MergeInput => {
  const scenarios = [...report.scenarios]
    .sort((a, b) => a.id.localeCompare(b.id))
    .filter((_, i) => i % total === index - 1)
  return {
    file: `shard-${index}.json`,
    report: {
      ...report,
      shard: { index, total },
      durationMs: 100 + index,
      scenarios,
      scorecards: scoreRun(scenarios),
      summary: summarize(scenarios),
    },
  }
}

const withoutTimings = (report: RunReport) => ({ ...report, durationMs: 0 })

const refusal = (inputs: MergeInput[]): string => {
  try {
    mergeReports(inputs)
  } catch (error) {
    if (error instanceof SildInputError) return error.message
    throw error
  }
  throw new Error('merge did not refuse')
}

test('merges three shards into the unsharded report, apart from timings', () => {
  const whole = sampleRunReport()
  const shards = [3, 1, 2].map((i) => shardOf(whole, i, 3))
  const { report, gaps } = mergeReports(shards)
  expect(gaps).toEqual([])
  expect(withoutTimings(report)).toEqual(withoutTimings(whole))
  expect(report.durationMs).toBe(103)
})

test('recomputes the summary the runner wrote', () => {
  const whole = sampleRunReport()
  expect(summarize(whole.scenarios)).toEqual(whole.summary)
})

test('is incomplete when a shard is missing', () => {
  const whole = sampleRunReport()
  const { report, gaps } = mergeReports([shardOf(whole, 1, 3), shardOf(whole, 3, 3)])
  expect(report.complete).toBe(false)
  expect(gaps).toEqual(['shard 2/3 is missing'])
})

test('is incomplete when a shard was interrupted', () => {
  const whole = sampleRunReport()
  const shards = [1, 2].map((i) => shardOf(whole, i, 2))
  ;(shards[1] as MergeInput).report.complete = false
  const { report, gaps } = mergeReports(shards)
  expect(report.complete).toBe(false)
  expect(gaps).toEqual(['shard-2.json is an incomplete run'])
})

test('is incomplete when shards of different splits are mixed', () => {
  const whole = sampleRunReport()
  const { gaps } = mergeReports([shardOf(whole, 2, 2), shardOf(whole, 3, 3)])
  expect(gaps).toEqual(['the shards are of different splits (of 2, 3)'])
})

test('is incomplete when one shard index is given twice', () => {
  const whole = sampleRunReport()
  const a = shardOf(whole, 1, 1)
  const b = { file: 'again.json', report: { ...a.report, scenarios: [] } }
  expect(mergeReports([a, b]).gaps).toEqual([
    'shard 1/1 is given 2 times (shard-1.json, again.json)',
  ])
})

test('refuses reports of different Sild versions', () => {
  const whole = sampleRunReport()
  const other = shardOf(whole, 2, 2)
  other.report.sild = { version: '0.2.0' }
  expect(refusal([shardOf(whole, 1, 2), other])).toBe(
    'cannot merge reports of different runs: shard-1.json has Sild version 0.1.0, shard-2.json has 0.2.0',
  )
})

test('refuses reports of different specs', () => {
  const whole = sampleRunReport()
  const other = shardOf(whole, 2, 2)
  other.report.specsDigest = 'f'.repeat(64)
  expect(refusal([shardOf(whole, 1, 2), other])).toMatch(
    /^cannot merge reports of different runs: shard-1.json has specs digest e3b0c442\w+, shard-2.json has f{64}$/,
  )
})

test('refuses a scenario present in two reports', () => {
  const whole = sampleRunReport()
  expect(
    refusal([
      { file: 'a.json', report: whole },
      { file: 'b.json', report: whole },
    ]),
  ).toBe('scenario "bank-checks-ua-counterparty" is in both a.json and b.json')
})

test('refuses to merge nothing', () => {
  expect(refusal([])).toBe('no reports to merge')
})
