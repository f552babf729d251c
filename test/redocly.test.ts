import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { peerRuns, type PeerRun } from '../runner/scenario/peer-servers.ts'
import { findScenarioFiles, loadScenarios, type Scenario } from '../runner/scenario/index.ts'
import { loadFederation } from '../specs/federation/index.ts'
import { startServe, type ServeProcess } from './helpers/serve-process.ts'

// Redocly's own tools read every bundled scenario as a partner engineer's would: its linter with
// its default rules, and its Arazzo runner `respect` against a real `sild serve`.
const ROOT = fileURLToPath(new URL('..', import.meta.url))
const REDOCLY = join(ROOT, 'node_modules/@redocly/cli/bin/cli.js')
const files = findScenarioFiles()
// The conformance profiles' scenarios, which `sild run --partner` runs against a partner's services.
const profileFiles = findScenarioFiles([join(ROOT, 'specs/partner/profiles')])

type Outcome = { code: number | null; output: string }
const redocly = (args: string[]): Promise<Outcome> =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, [REDOCLY, ...args], {
      cwd: ROOT,
      env: {
        ...process.env,
        NO_COLOR: '1',
        REDOCLY_TELEMETRY: 'off',
        REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
      },
    })
    let output = ''
    child.stdout.on('data', (c) => (output += c))
    child.stderr.on('data', (c) => (output += c))
    child.on('exit', (code) => resolve({ code, output }))
  })

/** What failed, without Redocly's banners and tables. */
const failures = (output: string) =>
  output
    .split('\n')
    .filter((l) => /✗|error|Reason|Expected|Workflow name|stepId/i.test(l) && !/[║╔╚]/.test(l))
    .join('\n')

test('redocly lint passes every bundled scenario and profile with its default rules', async () => {
  expect(profileFiles.length).toBeGreaterThanOrEqual(4)
  const { code, output } = await redocly([
    'lint',
    ...[...files, ...profileFiles].map((f) => relative(ROOT, f)),
  ])
  expect(failures(output)).toBe('')
  expect(code).toBe(0)
}, 60_000)

/**
 * One Respect invocation per calling instance and set of scenarios whose sources map alike: a
 * peer runner sends each source to one URL, and the caller's instance decides which.
 */
// Respect mostly waits on answers: a few files per process run side by side finish sooner.
const FILES_PER_INVOCATION = 7

type Invocation = {
  instance: string
  files: string[]
  workflowIds: string[]
  servers: Record<string, string>
}
const invocations = (scenarios: Scenario[], runs: Map<Scenario, PeerRun[]>): Invocation[] => {
  const out: Invocation[] = []
  for (const scenario of scenarios) {
    const all = runs.get(scenario) ?? []
    for (const run of all) {
      const fits = (i: Invocation) =>
        i.instance === run.instance &&
        i.files.length < FILES_PER_INVOCATION &&
        Object.entries(run.servers).every(([name, url]) => (i.servers[name] ?? url) === url) &&
        !i.workflowIds.some((id) => run.workflowIds.includes(id))
      let target = out.find(fits)
      if (!target)
        out.push((target = { instance: run.instance, files: [], workflowIds: [], servers: {} }))
      target.files.push(scenario.file)
      target.workflowIds.push(...run.workflowIds)
      Object.assign(target.servers, run.servers)
    }
  }
  return out
}

let serving: ServeProcess | undefined
let dir: string
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sild-respect-'))
  serving = await startServe(dir)
}, 40_000)
afterAll(async () => {
  await serving?.stop('SIGTERM')
  rmSync(dir, { recursive: true, force: true })
})

test('redocly respect runs every bundled scenario green against sild serve', async () => {
  const federation = loadFederation()
  const scenarios = await loadScenarios(files, { federation })
  const { securityServers, services } = serving!.ready
  const runs = new Map(
    scenarios.map((s) => [s, peerRuns(s, federation, securityServers, services)] as const),
  )
  const planned = invocations(scenarios, runs)
  // Every workflow of every scenario is in exactly one invocation.
  expect(planned.flatMap((i) => i.workflowIds).length).toBe(
    scenarios.reduce((n, s) => n + s.workflows.length, 0),
  )
  const results = await Promise.all(
    planned.map(async (i) => {
      const { code, output } = await redocly([
        'respect',
        ...i.files.map((f) => relative(ROOT, f)),
        ...Object.entries(i.servers).flatMap(([name, url]) => ['--server', `${name}=${url}`]),
        ...i.workflowIds.flatMap((id) => ['--workflow', id]),
      ])
      return {
        instance: i.instance,
        files: i.files.length,
        code,
        failed: code === 0 ? '' : failures(output),
      }
    }),
  )
  expect(results.filter((r) => r.code !== 0)).toEqual([])
}, 170_000)

test('the ready file carries the command that prints the respect commands for a scenario', async () => {
  const { sild } = await import('./helpers/cli.ts')
  const command = serving!.ready.respect
  expect(command).toBe(`npx sild servers --ready-file ${serving!.readyFile} SCENARIO…`)
  const args = command!
    .replace('npx sild ', '')
    .replace('SCENARIO…', 'scenarios/no-access-right.arazzo.yaml')
  const { code, stdout } = await sild(...args.split(' '))
  expect(code).toBe(0)
  expect(stdout).toContain(`npx redocly respect scenarios/no-access-right.arazzo.yaml --server `)
})

test('sild servers prints the respect command for each calling instance of a scenario', async () => {
  const { sild } = await import('./helpers/cli.ts')
  const { code, stdout } = await sild(
    'servers',
    'scenarios/malformed-client-header.arazzo.yaml',
    '--ready-file',
    serving!.readyFile,
  )
  expect(code).toBe(0)
  const ee = serving!.ready.securityServers['ee-test']
  const ua = serving!.ready.securityServers['SEVDEIR-TEST']
  expect(stdout.split('\n').filter((l) => l.startsWith('npx'))).toEqual([
    `npx redocly respect scenarios/malformed-client-header.arazzo.yaml --server population-register=${ee}/r1/ee-test/GOV/70008440/rr/population --workflow truncatedXroadClient --workflow missingXroadClient --workflow forbiddenCharacterInXroadClient`,
    `npx redocly respect scenarios/malformed-client-header.arazzo.yaml --server legal-entities=${ua}/restapi --workflow memberLevelUxpClient`,
  ])
})
