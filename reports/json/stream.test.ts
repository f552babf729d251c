import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import type { RunReport } from '../../runner/types.ts'
import { sampleRunReport } from '../test-fixtures/run-report.ts'
import { renderJsonReport } from './index.ts'
import { jsonReportStream } from './stream.ts'

const dir = mkdtempSync(join(tmpdir(), 'sild-json-stream-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let files = 0
const streamed = async (report: RunReport): Promise<string> => {
  const path = join(dir, `${++files}`, 'report.json')
  const stream = jsonReportStream(path)
  for (const scenario of report.scenarios) await stream.scenario(scenario)
  await stream.end(report)
  return readFileSync(path, 'utf8')
}

test('writes the same bytes as the whole-report JSON renderer', async () => {
  const report = sampleRunReport()
  expect(report.scenarios.length).toBeGreaterThan(1)
  expect(await streamed(report)).toBe(renderJsonReport(report))
})

test('writes a run without scenarios, and one without providers or shard, as the renderer does', async () => {
  const { providers: _, ...report } = { ...sampleRunReport(), scenarios: [] }
  expect(await streamed(report)).toBe(renderJsonReport(report))
  const sharded = { ...sampleRunReport(), shard: { index: 2, total: 3 } }
  expect(await streamed(sharded)).toBe(renderJsonReport(sharded))
})

test('leaves only the report in its folder, and nothing when the run is dropped', async () => {
  const report = sampleRunReport()
  await streamed(report)
  expect(readdirSync(join(dir, `${files}`))).toEqual(['report.json'])
  const path = join(dir, 'dropped', 'report.json')
  const stream = jsonReportStream(path)
  for (const scenario of report.scenarios) await stream.scenario(scenario)
  await stream.abort()
  expect(readdirSync(join(dir, 'dropped'))).toEqual([])
})
