import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { scoreRun, summarize } from '../../runner/scoring/index.ts'
import type { RunReport, ScenarioResult } from '../../runner/types.ts'
import { renderJsonReport } from '../json/index.ts'
import { jsonReportStream } from '../json/stream.ts'
import { sampleRunReport } from '../test-fixtures/run-report.ts'
import { mergeReports } from './index.ts'
import { mergeReportFiles } from './stream.ts'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sild-merge-stream-'))
})
afterEach(() => rm(dir, { recursive: true, force: true }))

/** Shard i of n as `sild run --shard i/n` writes it: its scenarios in id order. */
const shardOf = (report: RunReport, index: number, total: number): RunReport => {
  const scenarios = [...report.scenarios]
    .sort((a, b) => a.id.localeCompare(b.id))
    .filter((_, i) => i % total === index - 1)
  return {
    ...report,
    shard: { index, total },
    startedAt: `2026-01-0${index}T00:00:00.000Z`,
    durationMs: 10 * index,
    scenarios,
    scorecards: scoreRun(scenarios),
    summary: summarize(scenarios),
  }
}

const write = async (name: string, text: string) => {
  const file = join(dir, name)
  await writeFile(file, text)
  return file
}

test('merges shard files a scenario at a time into the same JSON as the whole-report merge', async () => {
  const report = sampleRunReport()
  const shards = [3, 1, 2].map((i) => shardOf(report, i, 3))
  const files = await Promise.all(shards.map((s, i) => write(`${i}.json`, renderJsonReport(s))))
  const written: string[] = []
  const out = join(dir, 'out', 'merged.json')
  const stream = jsonReportStream(out)
  const merged = await mergeReportFiles(files, async (scenario) => {
    written.push(scenario.id)
    await stream.scenario(scenario)
  })
  if (!merged) throw new Error('the shards were not read a part at a time')
  await stream.end(merged.outline)
  const whole = mergeReports(shards.map((s, i) => ({ file: files[i] as string, report: s })))
  expect(await readFile(out, 'utf8')).toBe(renderJsonReport(whole.report))
  expect(written).toEqual(whole.report.scenarios.map((s) => s.id))
  expect(merged.gaps).toEqual(whole.gaps)
})

test('says a shard is missing, as the whole-report merge does', async () => {
  const report = sampleRunReport()
  const files = [await write('1.json', renderJsonReport(shardOf(report, 1, 2)))]
  const merged = await mergeReportFiles(files, async () => {})
  expect(merged?.outline.complete).toBe(false)
  expect(merged?.gaps).toEqual(['shard 2/2 is missing'])
})

test.each<[string, (report: RunReport) => string]>([
  ['is not JSON', (r) => renderJsonReport(r).slice(0, -20)],
  ['breaks the schema', (r) => renderJsonReport({ ...r, seed: -1 })],
  [
    'has a scenario that breaks the schema',
    (r) => renderJsonReport({ ...r, scenarios: [{ id: 'x' } as ScenarioResult] }),
  ],
  [
    'has its scenarios out of id order',
    (r) => renderJsonReport({ ...r, scenarios: [...r.scenarios].reverse() }),
  ],
])('leaves a file that %s to the whole-report merge, writing nothing', async (_, text) => {
  const report = sampleRunReport()
  const file = await write('bad.json', text(report))
  const written: ScenarioResult[] = []
  expect(await mergeReportFiles([file], async (s) => void written.push(s))).toBeUndefined()
  expect(written).toEqual([])
})

test('refuses a scenario in two shards before writing any', async () => {
  const shard = renderJsonReport(shardOf(sampleRunReport(), 1, 1))
  const files = [await write('a.json', shard), await write('b.json', shard)]
  const written: ScenarioResult[] = []
  await expect(mergeReportFiles(files, async (s) => void written.push(s))).rejects.toThrow(
    /is in both/,
  )
  expect(written).toEqual([])
})
