import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, test } from 'vitest'

// An input that is not there is a mistake on the command line (exit 2, one message), never a
// finding (exit 1) nor a silent pass.

const SILD = fileURLToPath(new URL('../bin/sild.js', import.meta.url))
const SPEC = `openapi: 3.1.0
info: { title: Things, version: '1' }
paths:
  /things:
    get:
      operationId: listThings
      responses:
        '200': { description: ok }
`

let repo: string
beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'sild-missing-inputs-'))
  mkdirSync(join(repo, 'api'))
  writeFileSync(join(repo, 'api', 'things.yaml'), SPEC)
  writeFileSync(join(repo, 'api', 'old.yaml'), SPEC.replace('Things', 'Old things'))
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'ignore' })
  git('init', '-q', '-b', 'main')
  git('config', 'user.email', 'ci@example.test')
  git('config', 'user.name', 'CI')
  git('add', '.')
  git('commit', '-q', '-m', 'specs')
  rmSync(join(repo, 'api', 'old.yaml'))
})
afterAll(() => rmSync(repo, { recursive: true, force: true }))

const sild = (...args: string[]) => {
  const r = spawnSync(process.execPath, [SILD, ...args], {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

const oneMessage = (stderr: string) => {
  expect(stderr.match(/^sild: /gm)).toHaveLength(1)
  expect(stderr).not.toMatch(/\n\s+at /)
}

test('sild lint of a file that does not exist exits 2 with one message, not a finding', () => {
  const { code, stdout, stderr } = sild('lint', 'missing.yaml')
  expect(stderr).toMatch(/^sild: spec file not found: missing\.yaml\n {2}Check the path/)
  oneMessage(stderr)
  expect(stdout).toBe('')
  expect(code).toBe(2)
})

test('sild lint names every missing file in its one message and lints none', () => {
  const { code, stdout, stderr } = sild('lint', 'api/things.yaml', 'a.yaml', 'b.yaml')
  expect(stderr).toMatch(/^sild: spec file not found: a\.yaml, b\.yaml/)
  oneMessage(stderr)
  expect(stdout).toBe('')
  expect(code).toBe(2)
})

test('sild diff of a missing file exits 2', () => {
  const { code, stderr } = sild('diff', 'missing.yaml', 'api/things.yaml')
  expect(stderr).toMatch(/^sild: file not found: missing\.yaml/)
  oneMessage(stderr)
  expect(code).toBe(2)
})

test('sild diff --base of a file in neither the working tree nor the revision exits 2', () => {
  const { code, stdout, stderr } = sild('diff', '--base', 'HEAD', 'api/missing.yaml')
  expect(stderr).toMatch(
    /^sild: spec file not found, neither in the working tree nor at HEAD: api\/missing\.yaml/,
  )
  oneMessage(stderr)
  expect(stdout).toBe('')
  expect(code).toBe(2)
})

test('sild diff --base of a file deleted since the revision reports the spec removed', () => {
  const { code, stdout } = sild('diff', '--base', 'HEAD', 'api/old.yaml', 'api/things.yaml')
  expect(stdout).toMatch(
    /^BREAKING +HEAD:api\/old\.yaml:1:1 spec-removed {2}spec api\/old\.yaml removed/m,
  )
  expect(code).toBe(1)
})

test('sild check with a scenario folder that does not exist exits 2', () => {
  const { code, stderr } = sild('check', '--only', 'lint', '--scenarios', 'nowhere')
  expect(stderr).toMatch(/^sild: scenario file or folder not found: nowhere/)
  oneMessage(stderr)
  expect(code).toBe(2)
})

test('sild check with a federation file that does not exist exits 2', () => {
  const { code, stderr } = sild('check', '--federation', 'nowhere.yaml')
  expect(stderr).toMatch(/^sild: file not found: .*nowhere\.yaml/)
  oneMessage(stderr)
  expect(code).toBe(2)
})

test('sild check points at the sild.config.yaml line naming a scenario folder that does not exist', () => {
  const sub = join(repo, 'configured')
  mkdirSync(sub, { recursive: true })
  writeFileSync(join(sub, 'things.yaml'), SPEC)
  writeFileSync(join(sub, 'sild.config.yaml'), 'specs: ["*.yaml"]\nscenarios:\n  - flows\n')
  const r = spawnSync(process.execPath, [SILD, 'check', '--only', 'lint'], {
    cwd: sub,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  })
  expect(r.stderr).toMatch(
    /^sild: sild\.config\.yaml:3:5: sild\.config\.yaml: scenarios names flows, which does not exist/,
  )
  expect(r.status).toBe(2)
})
