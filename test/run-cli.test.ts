import { spawnSync } from 'node:child_process'
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { servedUrl } from '../cli/environments.ts'
import { REPORT_FORMATS } from '../reports/index.ts'
import type { RunReport } from '../runner/types.ts'
import { DEFAULT_FEDERATION_FILE, loadFederation } from '../specs/federation/index.ts'
import { PROFILES } from '../specs/partner/index.ts'
import { sild } from './helpers/cli.ts'

const SCENARIOS_DIR = fileURLToPath(new URL('../scenarios', import.meta.url))
const BROKEN_DIR = fileURLToPath(new URL('./fixtures/broken-scenarios', import.meta.url))
const BUNDLED_IDS = readdirSync(SCENARIOS_DIR)
  .filter((name) => name.endsWith('.arazzo.yaml'))
  .map((name) => name.replace(/\.arazzo\.yaml$/, ''))
  .sort()

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sild-run-cli-'))
})
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

let reports = 0
/** A fresh path for a JSON report in the test's folder. */
const reportPath = () => join(dir, `report-${++reports}.json`)

const readReport = (path: string): RunReport => JSON.parse(readFileSync(path, 'utf8')) as RunReport

/** `sild run …args --report json=…`, with the report it wrote. */
const runWithReport = async (...args: string[]) => {
  const path = reportPath()
  const outcome = await sild('run', ...args, '--report', `json=${path}`)
  return { ...outcome, report: readReport(path) }
}

const ids = (report: RunReport) => report.scenarios.map((s) => s.id)

// The unsharded, one-at-a-time run of the bundled suite: several tests compare against it.
let bundled: ReturnType<typeof runWithReport> | undefined
const bundledRun = () => (bundled ??= runWithReport())

/**
 * The one message of a failed command: its first line, after checking that at most one hint line
 * follows it and that no stack trace came with it.
 */
const theMessage = (stderr: string): string => {
  const [first = '', ...rest] = stderr.trimEnd().split('\n')
  expect(stderr).not.toMatch(/\n\s+at .+:\d+:\d+/)
  expect(rest.length).toBeLessThanOrEqual(1)
  for (const line of rest) expect(line).toMatch(/^ {2}\S|^\(run `sild --help`/)
  return first
}

test('passes every bundled scenario at level 4 and writes a complete JSON report', async () => {
  const { code, stderr, report } = await bundledRun()
  expect(stderr).toBe('')
  expect(code).toBe(0)
  expect(report.schema).toBe('sild.report/v1')
  expect(report.complete).toBe(true)
  expect(ids(report)).toEqual(BUNDLED_IDS)
  expect(BUNDLED_IDS).toHaveLength(18)
  expect(report.scenarios.filter((s) => s.state !== 'pass').map((s) => s.id)).toEqual([])
  expect(report.summary.failures).toBe(0)
  expect(report.summary.checks.failed).toBe(0)
  expect(report.scorecards.length).toBeGreaterThan(0)
  expect(
    report.scorecards.filter((c) => c.level !== 4).map((c) => `${c.party}/${c.profile}`),
  ).toEqual([])
})

const broken: Array<[string, string, number, number, string]> = [
  [
    'an Arazzo schema error',
    'arazzo-schema',
    16,
    9,
    'invalid Arazzo document: missing required property "stepId" at workflows.0.steps.0',
  ],
  [
    'an unknown operationId',
    'unknown-operation',
    17,
    22,
    'unknown operationId "getPersn" in source population-register (did you mean "getPerson"?)',
  ],
  [
    'a bad runtime expression',
    'bad-expression',
    25,
    17,
    'invalid runtime expression in "$respons.body#/givenName": unknown expression root "$respons"',
  ],
  [
    'an undeclared input',
    'missing-input',
    21,
    28,
    'missing input "unzr": workflow "lookup" declares no such input; its inputs: personalCode',
  ],
  [
    'an unknown x-sild key',
    'unknown-extension',
    18,
    9,
    'invalid Sild extension: unknown Sild extension "x-sild-clinet" (did you mean "x-sild-client"?)',
  ],
  [
    'a source url escaping the folder',
    'escaping-source',
    7,
    10,
    'source url "../../../../../../../../../../etc/passwd" leads outside the folder sild runs in',
  ],
]

test.each(broken)(
  'rejects %s with one message at file:line:column, exit 2 and no report',
  async (_, name, line, column, message) => {
    const file = join(BROKEN_DIR, `${name}.arazzo.yaml`)
    const report = reportPath()
    const { code, stdout, stderr } = await sild('run', file, '--report', `json=${report}`)
    expect(code).toBe(2)
    expect(stdout).toBe('')
    expect(theMessage(stderr)).toMatch(
      new RegExp(`^sild: ${escape(relative(process.cwd(), file))}:${line}:${column}: `),
    )
    expect(theMessage(stderr)).toContain(message)
    expect(existsSync(report)).toBe(false)
  },
)

// Written at test time: a broken YAML file in the tree would break formatting the repository.
test('rejects a YAML syntax error with one message at file:line:column, exit 2 and no report', async () => {
  const file = join(dir, 'yaml-syntax.arazzo.yaml')
  // An unquoted colon in a title: the value starts at line 3, column 10.
  writeFileSync(
    file,
    ['arazzo: 1.0.1', 'info:', '  title: Broken: a colon', '  version: 1.0.0', ''].join('\n'),
  )
  const report = reportPath()
  const { code, stdout, stderr } = await sild('run', file, '--report', `json=${report}`)
  expect(code).toBe(2)
  expect(stdout).toBe('')
  expect(theMessage(stderr)).toBe(
    `sild: ${file}:3:10: YAML syntax error: Nested mappings are not allowed in compact mappings`,
  )
  expect(existsSync(report)).toBe(false)
})

const badFlags: Array<[string, string[], string]> = [
  [
    'an unknown report format, listing the valid ones',
    ['--report', 'nope=x'],
    'sild: unknown report format "nope" in --report nope=x',
  ],
  [
    'a shard beyond the shard count',
    ['--shard', '4/3'],
    "sild: option '--shard <i/n>' argument '4/3' is invalid. write i/n with 1 ≤ i ≤ n, e.g. 2/3",
  ],
  [
    'a concurrency of 0',
    ['--concurrency', '0'],
    "sild: option '--concurrency <n>' argument '0' is invalid. must be a whole number ≥ 1",
  ],
  [
    'a target naming no service of the federation',
    ['--target', 'unknown-service=http://127.0.0.1:1'],
    'sild: --target unknown-service=http://127.0.0.1:1: no service "unknown-service" in the federation',
  ],
]

test.each(badFlags)('rejects %s with one message and exit 2', async (_, flags, message) => {
  const report = reportPath()
  const { code, stdout, stderr } = await sild('run', ...flags, '--report', `json=${report}`)
  expect(code).toBe(2)
  expect(stdout).toBe('')
  expect(theMessage(stderr)).toBe(message)
  expect(existsSync(report)).toBe(false)
})

test('lists the valid report formats when one is unknown', async () => {
  const { stderr } = await sild('run', '--report', 'nope=x')
  expect(stderr).toContain(`Valid formats: ${Object.keys(REPORT_FORMATS).join(', ')}.`)
  expect(Object.keys(REPORT_FORMATS)).toContain('json')
})

test('runs every bundled scenario exactly once across shards 1/3, 2/3 and 3/3', async () => {
  const shards = []
  for (const shard of ['1/3', '2/3', '3/3']) shards.push(await runWithReport('--shard', shard))
  const all = shards.flatMap((s) => ids(s.report))
  expect(shards.map((s) => s.code)).toEqual([0, 0, 0])
  expect(shards.map((s) => s.report.shard)).toEqual([
    { index: 1, total: 3 },
    { index: 2, total: 3 },
    { index: 3, total: 3 },
  ])
  expect(shards.every((s) => s.report.scenarios.length > 0)).toBe(true)
  expect(new Set(all).size).toBe(all.length)
  expect([...all].sort()).toEqual(ids((await bundledRun()).report))
})

test('selects scenarios by id with --grep', async () => {
  const { code, report } = await runWithReport('--grep', '^(no-access-right|unknown-service) ')
  expect(code).toBe(0)
  expect(ids(report)).toEqual(['no-access-right', 'unknown-service'])
})

test('selects scenarios by title with --grep, ignoring case', async () => {
  const { code, report } = await runWithReport('--grep', 'ASK ONCE')
  expect(code).toBe(0)
  expect(ids(report)).toEqual(['ask-once-prefill'])
})

test('does not claim success when --grep matches no scenario', async () => {
  const { code, report } = await runWithReport('--grep', 'matches-no-scenario')
  expect(report.scenarios).toEqual([])
  expect(code).not.toBe(0)
  expect(code).toBe(1)
})

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi

// What legitimately differs between runs: timings, message-log ids (each sandbox numbers its own
// records) and the request hash (a digest over the request's ids).
const TIMINGS_AND_IDS = new Set(['startedAt', 'durationMs', 'logRefs', 'x-road-request-hash'])

/** The report without timings, ids and UUIDs. */
const comparable = (report: RunReport): unknown =>
  JSON.parse(
    JSON.stringify(report, (key, value: unknown) => {
      if (TIMINGS_AND_IDS.has(key)) return undefined
      return typeof value === 'string' ? value.replace(UUID, '<uuid>') : value
    }),
  )

test('writes every report format as the run goes on, each as rendering its whole report would', async () => {
  const path = (format: string) => join(dir, 'streamed', `report.${format}`)
  const formats = Object.keys(REPORT_FORMATS)
  const { code } = await sild(
    'run',
    '--concurrency',
    '3',
    ...formats.flatMap((format) => ['--report', `${format}=${path(format)}`]),
  )
  expect(code).toBe(0)
  const json = readFileSync(path('json'), 'utf8')
  const report = JSON.parse(json) as RunReport
  expect(ids(report)).toEqual(BUNDLED_IDS)
  const options = { reproduceUrl: servedUrl(loadFederation([DEFAULT_FEDERATION_FILE])) }
  for (const format of formats)
    expect(readFileSync(path(format), 'utf8'), format).toBe(
      REPORT_FORMATS[format]?.(report, options),
    )
  expect(readdirSync(join(dir, 'streamed')).sort()).toEqual(
    formats.map((f) => `report.${f}`).sort(),
  )
})

test('gives the same states, exchanges and scorecards with --concurrency 3 as with 1', async () => {
  const one = (await bundledRun()).report
  const three = await runWithReport('--concurrency', '3')
  expect(three.code).toBe(0)
  expect(ids(three.report)).toEqual(ids(one))
  expect(three.report.scorecards).toEqual(one.scorecards)
  expect(three.report.summary).toEqual(one.summary)
  expect(comparable(three.report)).toEqual(comparable(one))
})

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

test("every partner profile's scenarios reach level 4 against the sandbox's own service", async () => {
  const profiles = fileURLToPath(new URL('../specs/partner/profiles', import.meta.url))
  const { code, report } = await runWithReport(profiles)
  expect(code).toBe(0)
  const cards = report.scorecards.map((c) => `${c.profile} ${c.level} ${c.score}`)
  expect(cards.sort()).toEqual(
    Object.keys(PROFILES)
      .map((id) => `${id} 4 100`)
      .sort(),
  )
})

test("runs a user's scenario beside its own copy of a spec, from the user's project folder", () => {
  const project = mkdtempSync(join(tmpdir(), 'sild-user-project-'))
  try {
    const specs = fileURLToPath(new URL('../specs/', import.meta.url))
    for (const folder of ['specs/ee', 'specs/common', 'scenarios'])
      mkdirSync(join(project, folder), { recursive: true })
    copyFileSync(join(specs, 'ee/population-register.yaml'), join(project, 'specs/ee/rr.yaml'))
    copyFileSync(join(specs, 'common/problem.yaml'), join(project, 'specs/common/problem.yaml'))
    writeFileSync(
      join(project, 'scenarios/read.arazzo.yaml'),
      [
        'arazzo: 1.0.1',
        'info: { title: The portal reads a person, version: 1.0.0 }',
        'sourceDescriptions:',
        '  - { name: rr, url: ../specs/ee/rr.yaml, x-sild-service: ee-population-register }',
        'workflows:',
        '  - workflowId: read',
        '    x-sild-client: ee-test/GOV/70006317/eesti-ee',
        '    steps:',
        '      - stepId: read',
        '        operationId: getPerson',
        "        parameters: [{ name: personalCode, in: path, value: '48001013546' }]",
        `        successCriteria: [{ condition: "$response.body#/familyName == 'Tamm'" }]`,
        '',
      ].join('\n'),
    )
    const sildBin = fileURLToPath(new URL('../bin/sild.js', import.meta.url))
    const run = spawnSync(process.execPath, [sildBin, 'run', 'scenarios'], {
      cwd: project,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    })
    expect(run.stderr).toBe('')
    expect(run.stdout).toMatch(/Scenarios 1 passed {2}Steps 1 passed/)
    expect(run.status).toBe(0)
  } finally {
    rmSync(project, { recursive: true, force: true })
  }
})

test('says where the curl lines reach after an in-process run, and not after one over HTTP', async () => {
  const spec = fileURLToPath(new URL('../specs/ee/population-register.yaml', import.meta.url))
  const file = join(dir, 'failing.arazzo.yaml')
  writeFileSync(
    file,
    [
      'arazzo: 1.0.1',
      'info: { title: A step that fails, version: 1.0.0 }',
      `sourceDescriptions: [{ name: rr, url: ${relative(dir, spec)} }]`,
      'workflows:',
      '  - workflowId: read',
      '    x-sild-client: ee-test/GOV/70006317/eesti-ee',
      '    steps:',
      '      - stepId: read',
      '        operationId: getPerson',
      "        parameters: [{ name: personalCode, in: path, value: '48001013546' }]",
      '        successCriteria: [{ condition: $statusCode == 201 }]',
      '',
    ].join('\n'),
  )
  const inproc = await sild('run', file)
  expect(inproc.code).toBe(1)
  expect(inproc.stdout).toContain(
    'The curl lines call the security servers of `npx sild serve` on its default ports',
  )
  const http = await sild('run', file, '--mode', 'http')
  expect(http.code).toBe(1)
  expect(http.stdout).toContain('Reproduce with: curl')
  expect(http.stdout).not.toContain('on its default ports')
})
