import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { outlineOf } from '../../runner/outline.ts'
import type { RunOutline, RunReport } from '../../runner/types.ts'
import { REPORT_FORMATS, REPORT_STREAMS, type ReportOptions } from '../index.ts'
import { sampleRunReport } from '../test-fixtures/run-report.ts'

const dir = mkdtempSync(join(tmpdir(), 'sild-report-streams-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** The run's end as a streamed run has it: its scenarios outlined. */
const outlined = (report: RunReport): RunOutline => ({
  ...report,
  scenarios: report.scenarios.map(outlineOf),
})

const options: ReportOptions = { reproduceUrl: (url) => url.replace('http://', 'https://') }

const variants: Array<[string, RunReport]> = [
  ['a run with failures', sampleRunReport()],
  ['an incomplete shard', { ...sampleRunReport(), complete: false, shard: { index: 1, total: 2 } }],
  ['a run without scenarios', { ...sampleRunReport(), scenarios: [] }],
]

test('streams every report format', () => {
  expect(Object.keys(REPORT_STREAMS)).toEqual(Object.keys(REPORT_FORMATS))
})

test.each(Object.keys(REPORT_STREAMS).flatMap((f) => variants.map(([what, r]) => [f, what, r])))(
  'streams %s for %s with the same content as the whole-report renderer',
  async (format, what, report) => {
    const path = join(dir, `${String(format)}-${String(what).replace(/ /g, '-')}`)
    const stream = (
      REPORT_STREAMS[format as string] as NonNullable<(typeof REPORT_STREAMS)[string]>
    )(path, options)
    const run = report as RunReport
    for (const scenario of run.scenarios) await stream.scenario(scenario)
    await stream.end(outlined(run))
    const render = REPORT_FORMATS[format as string] as NonNullable<(typeof REPORT_FORMATS)[string]>
    expect(readFileSync(path, 'utf8')).toBe(render(run, options))
  },
)
