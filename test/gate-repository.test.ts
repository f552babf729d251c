import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, test } from 'vitest'

// A spec team's own repository, not Sild's: the gate must check the team's specs, never fall
// back to the sandbox's bundled ones.

const SILD = fileURLToPath(new URL('../bin/sild.js', import.meta.url))
const SLOW = 240_000

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sild-gate-repo-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })

const SPEC = `openapi: 3.1.0
info:
  title: Vehicle register
  version: '1.0'
  description: Vehicles registered in the country.
  contact: { name: Registry team, email: registry@example.test }
servers:
  - url: https://vehicles.example.test
tags:
  - name: vehicles
    description: Registered vehicles.
paths:
  /vehicles/{plate}:
    get:
      operationId: getVehicle
      summary: One vehicle
      description: The vehicle with this plate.
      tags: [vehicles]
      parameters:
        - name: plate
          in: path
          required: true
          description: The registration plate.
          schema: { type: string, example: 123ABC }
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
        '404':
          description: No such vehicle.
          content:
            application/problem+json:
              schema:
                type: object
                properties:
                  type: { type: string, example: about:blank }
                  title: { type: string, example: Not Found }
                  status: { type: integer, example: 404 }
  /vehicles:
    get:
      operationId: listVehicles
      summary: All vehicles
      description: Every registered vehicle.
      tags: [vehicles]
      responses:
        '200':
          description: The vehicles.
          content:
            application/json:
              schema:
                type: array
                items: { type: string, example: 123ABC }
`

/** A repository with the spec committed on main and a branch with one change. */
const repository = (
  name: string,
  change: (spec: string) => string,
  files: Record<string, string> = {},
) => {
  const repo = join(dir, name)
  mkdirSync(join(repo, 'api'), { recursive: true })
  // A vendored copy of someone else's spec must not be checked.
  mkdirSync(join(repo, 'node_modules', 'other'), { recursive: true })
  writeFileSync(join(repo, 'node_modules', 'other', 'openapi.yaml'), 'openapi: 3.1.0\n')
  writeFileSync(join(repo, 'api', 'vehicles.yaml'), SPEC)
  for (const [path, text] of Object.entries(files)) writeFileSync(join(repo, path), text)
  git(repo, 'init', '-q', '-b', 'main')
  git(repo, 'config', 'user.email', 'ci@example.test')
  git(repo, 'config', 'user.name', 'CI')
  git(repo, 'add', 'api', ...Object.keys(files))
  git(repo, 'commit', '-q', '-m', 'the vehicle register')
  writeFileSync(join(repo, 'api', 'vehicles.yaml'), change(SPEC))
  git(repo, 'commit', '-q', '-am', 'change the vehicle register')
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

const LIST_OPERATION = SPEC.slice(SPEC.indexOf('  /vehicles:\n'))

test(
  "fails the check of a team's repository whose latest commit removes an endpoint",
  () => {
    const repo = repository('removal', (spec) => spec.replace(LIST_OPERATION, ''))
    const { code, stdout, stderr } = sildIn(repo, 'check', '--base', 'HEAD~1')
    expect(stderr).toBe('')
    expect(stdout).toMatch(/Sild check of 1 spec found in /)
    expect(stdout).toMatch(/lint +✓ 0 errors, \d+ warnings? in 1 spec/)
    expect(stdout).toMatch(
      /api\/vehicles\.yaml:\d+:\d+ path-removed {2}GET \/vehicles: path \/vehicles removed/,
    )
    expect(stdout).toMatch(/scenarios +- skipped: the repository has no Arazzo scenarios/)
    expect(stdout).toMatch(/check failed: diff/)
    expect(code).toBe(1)
  },
  SLOW,
)

test(
  "passes the check of a team's repository whose latest commit only rewords a description",
  () => {
    const repo = repository('description', (spec) =>
      spec.replace('The vehicle with this plate.', 'The vehicle registered under this plate.'),
    )
    const { code, stdout, stderr } = sildIn(
      repo,
      'check',
      '--base',
      'HEAD~1',
      '--only',
      'lint,diff',
    )
    expect(stderr).toBe('')
    expect(stdout).toMatch(/diff +✓ 0 breaking changes, 1 non-breaking against HEAD~1/)
    expect(stdout).toMatch(/check passed/)
    expect(code).toBe(0)
  },
  SLOW,
)

test(
  'checks the specs sild.config.yaml names and diffs only those with --base',
  () => {
    const repo = repository('configured', (spec) => spec.replace(LIST_OPERATION, ''), {
      'sild.config.yaml': 'specs: ["api/**/*.yaml"]\n',
      'draft.yaml': SPEC.replace('Vehicle register', 'Draft'),
    })
    const diff = sildIn(repo, 'diff', '--base', 'HEAD~1')
    expect(diff.stderr).toBe('')
    expect(diff.stdout).toMatch(/api\/vehicles\.yaml/)
    expect(diff.stdout).not.toMatch(/draft\.yaml/)
    expect(diff.code).toBe(1)
    const lint = sildIn(repo, 'lint', '--format', 'json')
    expect(lint.stderr).toBe('')
    expect(JSON.parse(lint.stdout).specs).toEqual(['api/vehicles.yaml'])
  },
  SLOW,
)

test('refuses a repository without OpenAPI documents with exit 2 and what to write', () => {
  const repo = join(dir, 'empty')
  mkdirSync(repo, { recursive: true })
  git(repo, 'init', '-q', '-b', 'main')
  writeFileSync(join(repo, 'README.md'), '# nothing here\n')
  const { code, stderr } = sildIn(repo, 'check', '--only', 'lint')
  expect(stderr).toMatch(/^sild: no OpenAPI documents found in /)
  expect(stderr).toMatch(/sild\.config\.yaml/)
  expect(stderr).not.toMatch(/\n\s+at /)
  expect(code).toBe(2)
})

test('points at the line of a sild.config.yaml key it does not know', () => {
  const repo = join(dir, 'bad-config')
  mkdirSync(repo, { recursive: true })
  git(repo, 'init', '-q', '-b', 'main')
  writeFileSync(join(repo, 'sild.config.yaml'), 'specs: ["*.yaml"]\nspec-files: ["x"]\n')
  const { code, stderr } = sildIn(repo, 'lint')
  expect(stderr).toMatch(
    /^sild: sild\.config\.yaml:2:1: sild\.config\.yaml: unknown key "spec-files"/,
  )
  expect(code).toBe(2)
})

test(
  'sild init --ci names the repository specs in sild.config.yaml and writes a workflow',
  () => {
    const repo = repository('init-ci', (spec) =>
      spec.replace('One vehicle', 'One registered vehicle'),
    )
    const first = sildIn(repo, 'init', '--ci')
    expect(first.stderr).toBe('')
    expect(first.stdout).toBe('wrote sild.config.yaml\nwrote .github/workflows/sild.yml\n')
    expect(readFileSync(join(repo, 'sild.config.yaml'), 'utf8')).toMatch(
      /^specs:\n {2}- "api\/vehicles\.yaml"$/m,
    )
    expect(readFileSync(join(repo, '.github/workflows/sild.yml'), 'utf8')).toMatch(
      /npx sild check\n\s+--base "origin\/\$\{\{ github\.base_ref \|\| 'main' \}\}"/,
    )
    const lint = sildIn(repo, 'lint', '--format', 'json')
    expect(JSON.parse(lint.stdout).specs).toEqual(['api/vehicles.yaml'])
    const again = sildIn(repo, 'init', '--ci')
    expect(again.stderr).toMatch(/already exist; nothing was written/)
    expect(again.code).toBe(2)
  },
  SLOW,
)
