import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, test, vi } from 'vitest'
import { REPORT_FORMATS } from '../reports/index.ts'
import { summarize } from '../runner/scoring/index.ts'
import { sampleRunReport } from '../reports/test-fixtures/run-report.ts'
import { scoreRun } from '../runner/scoring/index.ts'
import type { RunReport } from '../runner/types.ts'
import { main } from './main.ts'

// Only this command, so main() runs without the rest of the sandbox.

let dir: string
let stdout: string[]
let stderr: string[]

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sild-merge-'))
  stdout = []
  stderr = []
  vi.spyOn(process.stdout, 'write').mockImplementation((c) => (stdout.push(String(c)), true))
  vi.spyOn(process.stderr, 'write').mockImplementation((c) => (stderr.push(String(c)), true))
})

afterEach(async () => {
  vi.restoreAllMocks()
  await rm(dir, { recursive: true, force: true })
})

/** Writes shard i of n of the report, as `sild run --shard i/n --report json=…` would. */
const writeShards = async (report: RunReport, total: number): Promise<string[]> => {
  const sorted = [...report.scenarios].sort((a, b) => a.id.localeCompare(b.id))
  const files: string[] = []
  for (let index = 1; index <= total; index++) {
    const scenarios = sorted.filter((_, i) => i % total === index - 1)
    const shard: RunReport = {
      ...report,
      shard: { index, total },
      durationMs: 50 * index,
      scenarios,
      scorecards: scoreRun(scenarios),
      summary: summarize(scenarios),
    }
    const file = join(dir, `shard-${index}.json`)
    await writeFile(file, REPORT_FORMATS.json?.(shard) ?? '')
    files.push(file)
  }
  return files
}

const deepFreeze = <T>(value: T): T => {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child)
    Object.freeze(value)
  }
  return value
}

test('merges shard reports into every format and exits 1 when a scenario failed', async () => {
  const files = await writeShards(sampleRunReport(), 3)
  const out = (name: string) => join(dir, 'merged', name)
  const code = await main([
    'merge',
    ...files,
    '--report',
    `json=${out('report.json')}`,
    '--report',
    `junit=${out('report.xml')}`,
    '--report',
    `html=${out('report.html')}`,
    '--report',
    `markdown=${out('report.md')}`,
  ])
  expect(code).toBe(1)
  const merged = JSON.parse(await readFile(out('report.json'), 'utf8')) as RunReport
  expect({ ...merged, durationMs: 0 }).toEqual({ ...sampleRunReport(), durationMs: 0 })
  for (const [format, name] of [
    ['junit', 'report.xml'],
    ['html', 'report.html'],
    ['markdown', 'report.md'],
  ] as const)
    expect(await readFile(out(name), 'utf8')).toBe(REPORT_FORMATS[format]?.(merged))
  expect(stderr.join('')).toBe(
    'merged 3 reports: 5 scenarios, 2 passed, 2 failed, 1 errored, 0 skipped\n',
  )
})

test('exits 0 when the merged run is complete and every scenario passed', async () => {
  const report = sampleRunReport()
  report.scenarios = report.scenarios.filter((s) => s.state === 'pass')
  const files = await writeShards(report, 2)
  expect(await main(['merge', ...files, '--report', `json=${join(dir, 'm.json')}`])).toBe(0)
})

test('says which shard is missing and exits 1', async () => {
  const files = await writeShards(sampleRunReport(), 3)
  expect(await main(['merge', files[0] as string, files[2] as string])).toBe(1)
  expect(stderr.join('')).toContain('INCOMPLETE: shard 2/3 is missing\n')
  expect((JSON.parse(stdout.join('')) as RunReport).complete).toBe(false)
})

test('writes the merged JSON to stdout when no --report is given', async () => {
  const files = await writeShards(sampleRunReport(), 2)
  await main(['merge', ...files])
  expect((JSON.parse(stdout.join('')) as RunReport).scenarios).toHaveLength(5)
})

test('refuses reports of different Sild versions with exit code 2', async () => {
  const files = await writeShards(sampleRunReport(), 2)
  const second = JSON.parse(await readFile(files[1] as string, 'utf8')) as RunReport
  await writeFile(files[1] as string, JSON.stringify({ ...second, sild: { version: '9.9.9' } }))
  expect(await main(['merge', ...files])).toBe(2)
  expect(stderr.join('')).toContain(
    `sild: cannot merge reports of different runs: ${files[0]} has Sild version 0.1.0, ${files[1]} has 9.9.9`,
  )
})

test('points at the place where a file stops being a report', async () => {
  const file = join(dir, 'not-a-report.json')
  await writeFile(file, '{\n  "schema": "sild.report/v1",\n  "seed": "one"\n}\n')
  expect(await main(['merge', file])).toBe(2)
  expect(stderr.join('')).toMatch(
    /not-a-report\.json:\d+:\d+: not a valid sild.report\/v1 report: /,
  )
})

test('points at the place where a file stops being JSON', async () => {
  const file = join(dir, 'broken.json')
  await writeFile(file, '{\n  "schema": "sild.report/v1",\n  oops\n}\n')
  expect(await main(['merge', file])).toBe(2)
  expect(stderr.join('')).toMatch(/broken\.json:3:3: not valid JSON: /)
})

test('names a report that does not exist', async () => {
  expect(await main(['merge', join(dir, 'nowhere.json')])).toBe(2)
  expect(stderr.join('')).toContain('report not found:')
})

test('lists the valid formats for an unknown one', async () => {
  const files = await writeShards(sampleRunReport(), 1)
  expect(await main(['merge', ...files, '--report', 'pdf=out.pdf'])).toBe(2)
  const valid = /Valid formats: ([^.]*)\./.exec(stderr.join(''))?.[1]?.split(', ')
  expect(valid).toEqual(expect.arrayContaining(['json', 'junit', 'html', 'markdown']))
})

test('renders every format without changing the report', () => {
  const report = deepFreeze(sampleRunReport())
  for (const render of Object.values(REPORT_FORMATS)) expect(() => render(report)).not.toThrow()
  expect(report).toEqual(sampleRunReport())
})
