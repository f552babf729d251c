import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, test } from 'vitest'
import type { RunReport, ScenarioResult } from '../../runner/types.ts'
import { renderJsonReport } from '../json/index.ts'
import { sampleRunReport } from '../test-fixtures/run-report.ts'
import { reportParts, UnreadableReport, type ReportPart } from './read.ts'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sild-report-parts-'))
})
afterEach(() => rm(dir, { recursive: true, force: true }))

const partsOf = async (text: string): Promise<ReportPart[]> => {
  const file = join(dir, 'report.json')
  await writeFile(file, text)
  const parts: ReportPart[] = []
  for await (const part of reportParts(file)) parts.push(part)
  return parts
}

const asParts = (report: RunReport): ReportPart[] =>
  Object.entries(report).flatMap(([key, value]): ReportPart[] =>
    key === 'scenarios'
      ? (value as ScenarioResult[]).map((scenario) => ({ scenario }))
      : [{ key, value }],
  )

test('reads a report larger than a read chunk a field and a scenario at a time', async () => {
  const sample = sampleRunReport()
  const tricky = { ...sample.scenarios[0], title: 'a "quoted" \\ back\\slash, }] brackets, Київ' }
  const scenarios = Array.from({ length: 400 }, (_, i) =>
    [tricky, ...sample.scenarios].map((s) => ({
      ...s,
      id: `${String(i).padStart(3, '0')}-${s.id}`,
    })),
  ).flat() as ScenarioResult[]
  const report = { ...sample, scenarios }
  const text = renderJsonReport(report)
  expect(text.length).toBeGreaterThan(3 << 20)
  expect(await partsOf(text)).toEqual(asParts(report))
  expect(await partsOf(JSON.stringify(report))).toEqual(asParts(report))
})

test('reads a report without scenarios', async () => {
  const report = { ...sampleRunReport(), scenarios: [] }
  expect(await partsOf(renderJsonReport(report))).toEqual(asParts(report))
})

test.each([
  ['cut short', (t: string) => t.slice(0, -10)],
  ['with text after it', (t: string) => `${t}x`],
  [
    'with a field given twice',
    (t: string) =>
      t.replace('"schema": "sild.report/v1",', '"schema": "sild.report/v1",\n  "schema": "x",'),
  ],
  ['not an object', () => '[1, 2]'],
])('refuses a report %s', async (_, change) => {
  const whole = renderJsonReport(sampleRunReport())
  const text = change(whole)
  expect(text).not.toBe(whole)
  await expect(partsOf(text)).rejects.toThrow(UnreadableReport)
})
