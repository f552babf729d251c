import { expect, test } from 'vitest'
import { formatTable, meetsTarget, toResults, type BenchResults } from './report.ts'
import type { BenchOutcome } from './types.ts'

const machine: BenchResults['machine'] = {
  node: 'v20.0.0',
  cpus: 2,
  cpuModel: 'test',
  platform: 'linux-x64',
  loadAverage: [0.5, 0.7],
}

const outcomes: BenchOutcome[] = [
  {
    name: 'throughputRatio',
    unit: '×',
    target: { relation: '>=', value: 0.5, source: 'DESIGN.md' },
    ok: true,
    value: 0.4567,
    pass: false,
    raw: { perSecond: [1, 2] },
  },
  {
    name: 'startMs',
    unit: 'ms',
    target: { relation: '<', value: 3000, source: 'issue' },
    ok: true,
    value: 2500.4,
    pass: true,
  },
  {
    name: 'peerRatio',
    unit: '×',
    target: { relation: 'reported', value: 0, source: 'issue' },
    ok: true,
    value: 1.25,
    pass: true,
  },
  {
    name: 'broken',
    unit: '/s',
    target: { relation: '>=', value: 1, source: 'DESIGN.md' },
    ok: false,
    error: 'server exited\nstack',
  },
]

test('meets an at-least target on equality and a below target only strictly below', () => {
  expect(meetsTarget({ relation: '>=', value: 0.5, source: '' }, 0.5)).toBe(true)
  expect(meetsTarget({ relation: '>=', value: 0.5, source: '' }, 0.49)).toBe(false)
  expect(meetsTarget({ relation: '<', value: 300, source: '' }, 300)).toBe(false)
  expect(meetsTarget({ relation: '<', value: 300, source: '' }, 299)).toBe(true)
})

test('meets an at-most target on equality, and a reported figure whatever its value', () => {
  expect(meetsTarget({ relation: '<=', value: 1, source: '' }, 1)).toBe(true)
  expect(meetsTarget({ relation: '<=', value: 1, source: '' }, 1.01)).toBe(false)
  expect(meetsTarget({ relation: 'reported', value: 0, source: '' }, 1e9)).toBe(true)
})

test('prints each value beside its target with PASS, MISS or ERROR', () => {
  expect(formatTable(outcomes)).toBe(
    [
      'benchmark        value     target      source     result',
      '---------------  --------  ----------  ---------  -------------------',
      'throughputRatio  0.457 ×   >= 0.5 ×    DESIGN.md  MISS',
      'startMs          2,500 ms  < 3,000 ms  issue      PASS',
      'peerRatio        1.25 ×    reported    issue      —',
      'broken           —         >= 1 /s     DESIGN.md  ERROR server exited',
    ].join('\n'),
  )
})

test('writes values under ratios and what lies behind them under raw', () => {
  const results = toResults(outcomes, machine, { '@stoplight/spectral-cli': '6.16.3' })
  expect(results.ratios).toEqual({ throughputRatio: 0.457, startMs: 2500, peerRatio: 1.25 })
  expect(results.peers).toEqual({ '@stoplight/spectral-cli': '6.16.3' })
  expect(results.raw.peerRatio).toEqual({ target: 'reported (issue)', pass: true })
  expect(results.raw.throughputRatio).toEqual({
    target: '>= 0.5 (DESIGN.md)',
    pass: false,
    perSecond: [1, 2],
  })
  expect(results.raw.broken).toEqual({ target: '>= 1 (DESIGN.md)', error: 'server exited\nstack' })
  expect(results.machine).toBe(machine)
})
