import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, test } from 'vitest'

// A spec team's repository with Arazzo scenarios and no federation: the scenario gate runs them
// against Prism mocks of the repository's own specs, behind a security server of their own.

const SILD = fileURLToPath(new URL('../bin/sild.js', import.meta.url))
const CONSENT = fileURLToPath(new URL('./fixtures/govstack/consent-openapi.yaml', import.meta.url))
const SLOW = 240_000

const SPEC = `openapi: 3.1.0
info: { title: Vehicle register, version: '1.0' }
paths:
  /vehicles/{plate}:
    get:
      operationId: getVehicle
      parameters:
        - { name: plate, in: path, required: true, schema: { type: string, example: 123ABC } }
      responses:
        '200':
          description: The vehicle.
          content:
            application/json:
              schema:
                type: object
                required: [plate, make]
                properties:
                  plate: { type: string, example: 123ABC }
                  make: { type: string, example: Volvo }
  /vehicles:
    get:
      operationId: listVehicles
      responses:
        '200':
          description: The plates.
          content:
            application/json:
              schema: { type: array, items: { type: string, example: 123ABC } }
`

const scenario = (make: string) => `arazzo: 1.0.1
info: { title: Read a vehicle, version: 1.0.0 }
sourceDescriptions:
  - { name: vehicles, url: ../api/vehicles.yaml, type: openapi }
workflows:
  - workflowId: readVehicle
    steps:
      - stepId: getVehicle
        operationId: $sourceDescriptions.vehicles.getVehicle
        parameters:
          - { name: plate, in: path, value: 123ABC }
        successCriteria:
          - condition: $statusCode == 200
          - condition: $response.body#/make == '${make}'
`

const CONSENT_SCENARIO = `arazzo: 1.0.1
info: { title: List the consent policies, version: 1.0.0 }
sourceDescriptions:
  - { name: consent, url: ../api/consent-openapi.yaml, type: openapi }
workflows:
  - workflowId: listPolicies
    steps:
      - stepId: policies
        operationId: $sourceDescriptions.consent.configPolicyList
        successCriteria:
          - condition: $statusCode == 200
          - context: $response.body
            condition: $.policies
            type: jsonpath
`

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sild-gate-scenarios-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })

/** A repository with its specs and scenarios committed, and no federation anywhere. */
const repository = (name: string, files: Record<string, string>) => {
  const repo = join(dir, name)
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(repo, path, '..'), { recursive: true })
    writeFileSync(join(repo, path), text)
  }
  git(repo, 'init', '-q', '-b', 'main')
  git(repo, 'config', 'user.email', 'ci@example.test')
  git(repo, 'config', 'user.name', 'CI')
  git(repo, 'add', '.')
  git(repo, 'commit', '-q', '-m', 'specs and scenarios')
  return repo
}

const sildIn = (repo: string, ...args: string[]) => {
  const result = spawnSync(process.execPath, [SILD, ...args], {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

test(
  "runs the repository's Arazzo scenarios against Prism mocks of its own specs, without a federation",
  () => {
    const repo = repository('passing', {
      'api/vehicles.yaml': SPEC,
      'scenarios/vehicles.arazzo.yaml': scenario('Volvo'),
    })
    const report = join(repo, 'out', 'check.xml')
    const { code, stdout, stderr } = sildIn(
      repo,
      'check',
      '--only',
      'scenarios',
      '--report',
      `junit=${report}`,
    )
    expect(stderr).toBe('')
    expect(stdout).toMatch(/scenarios +✓ 1 of 1 scenario passed/)
    expect(stdout).toMatch(/^check passed/m)
    // The scorecard is of Prism answering from the team's own spec, and says so.
    expect(stdout).toMatch(/repo-test +vehicles +\d \w/)
    expect(stdout).toMatch(/Every scorecard above was answered by Sild itself/)
    // Called through the mocked instance's security server, as a member of it.
    expect(readFileSync(report, 'utf8')).toMatch(/<testcase [^>]*name="[^"]*getVehicle/)
    expect(code).toBe(0)
  },
  SLOW,
)

test(
  'fails the scenario gate when the mocked spec answers other than the scenario expects',
  () => {
    const repo = repository('failing', {
      'api/vehicles.yaml': SPEC,
      'scenarios/vehicles.arazzo.yaml': scenario('Saab'),
    })
    const { code, stdout } = sildIn(repo, 'check', '--only', 'scenarios')
    expect(stdout).toMatch(/scenarios +✗ 0 of 1 scenario passed, 1 failed/)
    expect(stdout).toMatch(/✗ vehicles: step getVehicle failed: /)
    expect(stdout).toMatch(/^check failed: scenarios/m)
    expect(code).toBe(1)
  },
  SLOW,
)

test(
  'fails the scenario gate when a change removes the operation a scenario calls',
  () => {
    const repo = repository('removed', {
      'api/vehicles.yaml': SPEC,
      'scenarios/vehicles.arazzo.yaml': scenario('Volvo'),
    })
    writeFileSync(join(repo, 'api', 'vehicles.yaml'), SPEC.replace('getVehicle', 'readVehicle'))
    const { code, stdout } = sildIn(repo, 'check', '--only', 'scenarios')
    expect(stdout).toMatch(/✗ vehicles: cannot run against the changed specs: .*getVehicle/)
    expect(code).toBe(1)
  },
  SLOW,
)

test(
  "reaches GovStack Consent's trailing-slash paths mocked from the spec, and finds its example that breaks its schema",
  () => {
    const repo = repository('consent', {
      'api/consent-openapi.yaml': readFileSync(CONSENT, 'utf8'),
      'scenarios/consent.arazzo.yaml': CONSENT_SCENARIO,
    })
    const { code, stdout, stderr } = sildIn(repo, 'check', '--only', 'scenarios')
    // The route resolves: the mock answers 200 from the spec's examples, not 404.
    expect(stdout).toMatch(/listPolicies › policies {2}GET consent-openapi configPolicyList → 200/)
    // GovStack's example for dataRetentionPeriodDays is "" where the schema says integer: a real
    // defect of the spec, which the scenario gate reports against the answer the mock gave.
    expect(stdout).toMatch(
      /✗ consent: step policies failed: responseSchemaConformance: [^✗]*dataRetentionPeriodDays must be integer/,
    )
    expect(stderr).toBe('')
    expect(stdout).not.toMatch(/unknown format/)
    expect(code).toBe(1)
  },
  SLOW,
)
