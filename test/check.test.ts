import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Command } from 'commander'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { parse } from 'yaml'
import { commands } from '../cli/commands.ts'
import type { RunReport } from '../runner/types.ts'
import { sild } from './helpers/cli.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const SILD = join(ROOT, 'bin', 'sild.js')
const SLOW = 240_000

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sild-check-'))
})
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })

/**
 * A spec repository as CI sees it: the bundled specs, federation and scenarios committed on
 * main, then a branch with one change to the population register's spec.
 */
const specRepository = (name: string, change: (spec: string) => string) => {
  const repo = join(dir, name)
  const yamlOnly = (src: string) => !/\.(ts|json|md)$/.test(src)
  for (const part of ['federation.yaml', 'common', 'ee', 'ua', 'xroad'])
    cpSync(join(ROOT, 'specs', part), join(repo, 'specs', part), {
      recursive: true,
      filter: yamlOnly,
    })
  cpSync(join(ROOT, 'scenarios'), join(repo, 'scenarios'), { recursive: true })
  git(repo, 'init', '-q', '-b', 'main')
  git(repo, 'config', 'user.email', 'ci@example.test')
  git(repo, 'config', 'user.name', 'CI')
  git(repo, 'add', '.')
  git(repo, 'commit', '-q', '-m', 'the sandbox specs')
  git(repo, 'checkout', '-q', '-b', 'change')
  const spec = join(repo, 'specs', 'ee', 'population-register.yaml')
  writeFileSync(spec, change(readFileSync(spec, 'utf8')))
  git(repo, 'commit', '-q', '-am', 'change the population register')
  return repo
}

const GET_PERSON_PARAMETERS = `      parameters:
        - $ref: '#/components/parameters/PersonalCode'
      responses:
        '200':
          description: The person.
`

const withParameter = (spec: string, parameter: string) => {
  expect(spec.split(GET_PERSON_PARAMETERS).length).toBe(2)
  return spec.replace(
    GET_PERSON_PARAMETERS,
    GET_PERSON_PARAMETERS.replace(
      "'#/components/parameters/PersonalCode'\n",
      `'#/components/parameters/PersonalCode'\n${parameter}`,
    ),
  )
}

/** `sild check` as CI runs it: in the repository, as its own process. */
const checkIn = (repo: string, ...args: string[]) => {
  const result = spawnSync(
    process.execPath,
    [
      SILD,
      'check',
      '--base',
      'main',
      '--federation',
      'specs/federation.yaml',
      '--scenarios',
      'scenarios',
      ...args,
    ],
    { cwd: repo, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
  )
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

const summaryOf = (stdout: string) => stdout.slice(stdout.lastIndexOf('\nSild check '))

test(
  'fails a breaking change on a branch, naming the change and the scenarios it breaks',
  () => {
    const repo = specRepository('breaking', (spec) =>
      withParameter(
        spec,
        `        - name: purpose
          in: query
          required: true
          description: Why the person is looked up.
          schema:
            type: string
          examples:
            kyc:
              value: kyc
`,
      ),
    )
    const { code, stdout, stderr } = checkIn(
      repo,
      '--report',
      'junit=out/check.xml',
      '--report',
      'sarif=out/check.sarif',
      '--report',
      'markdown=out/check.md',
    )
    expect(stderr).toBe('')
    expect(code).toBe(1)
    const summary = summaryOf(stdout)
    expect(summary).toMatch(/^ {2}lint +✓/m)
    expect(summary).toMatch(
      /^ {4}specs\/ee\/population-register\.yaml:\d+:\d+ request-parameter-added-required {2}GET \/persons\/\{personalCode\}: required query parameter "purpose" added/m,
    )
    expect(summary).toMatch(/called by scenario .*ask-once-prefill \(step person\)/)
    expect(summary).toMatch(/^ {2}scenarios +✗ \d+ of 18 scenarios passed/m)
    expect(summary).toMatch(/^ {4}✗ ask-once-prefill: step person failed: .*\$statusCode is 400/m)
    expect(summary).toMatch(/^check failed: diff, scenarios/m)

    const junit = readFileSync(join(repo, 'out', 'check.xml'), 'utf8')
    expect(junit).toMatch(/<testsuite name="lint" tests="8" failures="0"/)
    expect(junit).toMatch(/<testsuite name="diff" tests="\d+" failures="1"/)
    expect(junit).toMatch(/<testsuite name="ask-once-prefill" tests="\d+" failures="[1-9]/)
    const sarif = JSON.parse(readFileSync(join(repo, 'out', 'check.sarif'), 'utf8'))
    const ids = sarif.runs[0].results.map((r: { ruleId: string }) => r.ruleId)
    expect(ids).toContain('diff/request-parameter-added-required')
    const step = sarif.runs[0].results.find((r: { ruleId: string; message: { text: string } }) =>
      r.message.text.startsWith('scenario ask-once-prefill, step person'),
    )
    expect(step.locations[0].physicalLocation.artifactLocation.uri).toBe(
      'scenarios/ask-once-prefill.arazzo.yaml',
    )
    const markdown = readFileSync(join(repo, 'out', 'check.md'), 'utf8')
    expect(markdown).toMatch(/^## Sild check: ✗ failed \(diff, scenarios\)/)
    expect(markdown).toContain('| `request-parameter-added-required` |')
  },
  SLOW,
)

test(
  'passes a compatible change on a branch',
  () => {
    const repo = specRepository('compatible', (spec) =>
      withParameter(
        spec,
        `        - name: fields
          in: query
          description: Only these fields, comma-separated.
          schema:
            type: string
          examples:
            names:
              value: givenName,familyName
`,
      ),
    )
    const { code, stdout, stderr } = checkIn(repo)
    expect(stderr).toBe('')
    const summary = summaryOf(stdout)
    expect(summary).toMatch(/^ {2}diff +✓ 0 breaking changes, 1 non-breaking against main/m)
    expect(summary).toMatch(/^ {2}scenarios +✓ 18 of 18 scenarios passed/m)
    expect(summary).toMatch(/^check passed/m)
    expect(code).toBe(0)
  },
  SLOW,
)

test('says clearly when there is no base to diff against, and still gates lint', async () => {
  const outside = join(dir, 'not-a-repository')
  cpSync(join(ROOT, 'specs', 'federation.yaml'), join(outside, 'federation.yaml'))
  for (const part of ['common', 'ee', 'ua'])
    cpSync(join(ROOT, 'specs', part), join(outside, part), {
      recursive: true,
      filter: (s) => !/\.(ts|json|md)$/.test(s),
    })
  const { code, stdout } = await sild(
    'check',
    '--only',
    'lint,diff',
    '--federation',
    join(outside, 'federation.yaml'),
  )
  expect(stdout).toMatch(/^ {2}diff +- skipped: not a git repository: no base to diff against/m)
  expect(stdout).toMatch(/^check passed/m)
  expect(code).toBe(0)
})

test(
  'splits the scenarios into shards that sild merge joins into the whole run',
  async () => {
    const reports = [1, 2].map((i) => join(dir, `shard-${i}.json`))
    for (const [i, report] of reports.entries()) {
      const { code } = await sild(
        'check',
        '--only',
        'scenarios',
        '--shard',
        `${i + 1}/2`,
        '--report',
        `json=${report}`,
      )
      expect(code).toBe(0)
    }
    const shards = reports.map((r) => JSON.parse(readFileSync(r, 'utf8')) as RunReport)
    expect(shards.map((s) => s.shard)).toEqual([
      { index: 1, total: 2 },
      { index: 2, total: 2 },
    ])
    const ids = shards.flatMap((s) => s.scenarios.map((x) => x.id)).sort()
    const bundled = readdirSync(join(ROOT, 'scenarios'))
      .filter((f) => f.endsWith('.arazzo.yaml'))
      .map((f) => f.replace(/\.arazzo\.yaml$/, ''))
      .sort()
    expect(ids).toEqual(bundled)
    const merged = join(dir, 'merged.json')
    const { code } = await sild('merge', ...reports, '--report', `json=${merged}`)
    expect(code).toBe(0)
    expect((JSON.parse(readFileSync(merged, 'utf8')) as RunReport).complete).toBe(true)
  },
  SLOW,
)

test('refuses an unknown gate and a scenario-run report without the scenarios gate, with exit 2', async () => {
  expect((await sild('check', '--only', 'lint,typecheck')).code).toBe(2)
  const { code, stderr } = await sild(
    'check',
    '--only',
    'lint',
    '--report',
    `json=${join(dir, 'r.json')}`,
  )
  expect(code).toBe(2)
  expect(stderr).toMatch(/--report json=… is the scenario run's report/)
})

const strings = (node: unknown): string[] =>
  typeof node === 'string'
    ? [node]
    : Array.isArray(node)
      ? node.flatMap(strings)
      : node && typeof node === 'object'
        ? Object.values(node).flatMap(strings)
        : []

test.each(['github-actions.yml', 'gitlab-ci.yml'])(
  'the %s example calls sild with options it has',
  async (name) => {
    const program = new Command()
    for (const entry of commands) (await entry.load())(program, () => {})
    const calls = strings(parse(readFileSync(join(ROOT, 'examples', 'ci', name), 'utf8')))
      .filter((s) => s.includes('npx sild '))
      .map((s) => s.slice(s.indexOf('npx sild ') + 'npx sild '.length).split(/\s+/))
    expect(calls.map((c) => c[0])).toEqual(expect.arrayContaining(['check', 'merge']))
    for (const [name, ...args] of calls) {
      const command = program.commands.find((c) => c.name() === name)
      expect(command, `sild ${name}`).toBeDefined()
      const known = command?.options.map((o) => o.long) ?? []
      for (const option of args.filter((a) => a.startsWith('--')))
        expect(known, `sild ${name} ${option}`).toContain(option)
    }
  },
)
