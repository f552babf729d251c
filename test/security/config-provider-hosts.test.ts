import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { configuredProviderHosts } from '../../gate/project/index.ts'

// A project allows partner hosts once, in its sild.config.yaml, instead of repeating
// --allow-provider-host on every command; link-local and metadata addresses stay refused.

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const FIXTURE = join(ROOT, 'test/fixtures/broken-provider')
let dir: string

const SCENARIO = `arazzo: 1.0.1
info: { title: Read a person from a partner host, version: '1' }
sourceDescriptions:
  - { name: people, url: ./person-register.yaml, type: openapi }
workflows:
  - workflowId: read
    parameters:
      - { name: X-Road-Client, in: header, value: ee-test/GOV/70006317/portal }
    steps:
      - stepId: read
        operationId: getPerson
        parameters:
          - { name: personalCode, in: path, value: '48001013546' }
        successCriteria:
          - condition: $statusCode == 200
`

/** A project folder (a git work tree top) with a federation naming `provider`. */
const project = (name: string, provider: string, config?: string): string => {
  const root = join(dir, name)
  mkdirSync(join(root, '.git'), { recursive: true })
  copyFileSync(join(FIXTURE, 'person-register.yaml'), join(root, 'person-register.yaml'))
  writeFileSync(
    join(root, 'federation.yaml'),
    readFileSync(join(FIXTURE, 'federation.yaml'), 'utf8').replace(
      'provider: http://127.0.0.1:9',
      `provider: ${provider}`,
    ),
  )
  writeFileSync(join(root, 'read.arazzo.yaml'), SCENARIO)
  if (config !== undefined) writeFileSync(join(root, 'sild.config.yaml'), config)
  return root
}

const run = (cwd: string) =>
  spawnSync(
    process.execPath,
    [join(ROOT, 'bin/sild.js'), 'run', 'read.arazzo.yaml', '--federation', 'federation.yaml'],
    { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
  )

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sild-config-hosts-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('a private provider host is refused with exit 2 when no sild.config.yaml allows it', () => {
  const result = run(project('none', 'http://10.255.255.1:8080'))
  expect(result.status).toBe(2)
  expect(result.stderr).toMatch(/federation\.yaml:\d+:\d+: .*not loopback and not allowed/)
})

test('allowProviderHosts in sild.config.yaml lets sild run load a federation naming that host', () => {
  const root = project(
    'allowed',
    'http://10.255.255.1:8080',
    'allowProviderHosts: ["10.255.255.1:8080"]\n',
  )
  const result = run(root)
  // Loaded and run: the step fails on the unreachable host, not the policy.
  expect(result.stderr).not.toMatch(/not loopback and not allowed/)
  expect(result.status).toBe(1)
  expect(result.stdout).toMatch(/Scenarios 1 failed/)
})

test('sild.config.yaml is found from a folder below the project top', () => {
  const root = project('nested', 'http://10.0.0.7', 'allowProviderHosts: [10.0.0.7]\n')
  mkdirSync(join(root, 'docs/api'), { recursive: true })
  expect(configuredProviderHosts(join(root, 'docs/api'))).toEqual(['10.0.0.7'])
})

test('a sild.config.yaml above the project top is not read', () => {
  writeFileSync(join(dir, 'sild.config.yaml'), 'allowProviderHosts: [evil.example]\n')
  const root = project('outer', 'http://127.0.0.1:9')
  expect(configuredProviderHosts(root)).toEqual([])
})

test('sild.config.yaml cannot allow a metadata address', () => {
  const root = project(
    'metadata',
    'http://169.254.169.254/latest/meta-data/',
    'allowProviderHosts: ["169.254.169.254"]\n',
  )
  const result = run(root)
  expect(result.status).toBe(2)
  expect(result.stderr).toMatch(/federation\.yaml:\d+:\d+: /)
  expect(result.stderr).not.toMatch(/\n\s+at /)
})

test('a malformed allowProviderHosts is one located message and exit 2', () => {
  const root = project('malformed', 'http://127.0.0.1:9', 'allowProviderHosts: 10.0.0.5\n')
  const result = run(root)
  expect(result.status).toBe(2)
  expect(result.stderr).toMatch(
    /sild\.config\.yaml:1:\d+: .*"allowProviderHosts" must be a list of host or host:port names/,
  )
  expect(result.stderr).not.toMatch(/\n\s+at /)
})

test('points at the item of allowProviderHosts that is not a host name', () => {
  const root = project(
    'empty-item',
    'http://127.0.0.1:9',
    'allowProviderHosts:\n  - partner.test.example\n  - ""\n',
  )
  const result = run(root)
  expect(result.status).toBe(2)
  expect(result.stderr).toMatch(
    /sild\.config\.yaml:3:5: .*item 2 of "allowProviderHosts" is not a host or host:port name/,
  )
  expect(result.stderr).not.toMatch(/\n\s+at /)
})
