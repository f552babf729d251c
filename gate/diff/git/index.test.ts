import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { diffAgainstRevision, findMergeBase, gitRoot, resolveRevision } from '../index.ts'

let repo: string
const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim()
const write = (path: string, text: string) => {
  mkdirSync(join(repo, path, '..'), { recursive: true })
  writeFileSync(join(repo, path), text)
}

const spec = (enumValues: string) => `openapi: 3.1.0
info: { title: t, version: '1' }
paths:
  /things:
    get:
      operationId: listThings
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: { $ref: '../schemas/thing.yaml' }
`
const thing = (values: string) =>
  `type: object\nproperties:\n  kind: { type: string, enum: [${values}] }\n`
const federation = (specs: string[]) => `version: sild.federation/v1
instances:
  - code: x
    protocol: xroad-rest
    securityServer: { member: GOV/1, code: ss }
    members:
      - class: GOV
        code: '1'
        subsystems:
          - code: s
            services:
${specs.map((s, i) => `              - { id: s${i}, code: c${i}, spec: ${s}, provider: mock }`).join('\n')}
`

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'sild-git-'))
  git('init', '-q', '-b', 'main')
  git('config', 'user.email', 'ci@example.test')
  git('config', 'user.name', 'CI')
  write('specs/api/things.yaml', spec('a, b'))
  write('specs/schemas/thing.yaml', thing('a, b'))
  write('specs/api/gone.yaml', spec('a'))
  write('specs/federation.yaml', federation(['api/things.yaml', 'api/gone.yaml']))
  git('add', '.')
  git('commit', '-q', '-m', 'one')
})
afterAll(() => rmSync(repo, { recursive: true, force: true }))

test('reads $ref-ed files at the revision too, so a change there is found', async () => {
  write('specs/schemas/thing.yaml', thing('a'))
  try {
    const result = await diffAgainstRevision({
      ref: 'main',
      specs: [join(repo, 'specs/api/things.yaml')],
      cwd: repo,
    })
    expect(result.breaking.map((c) => c.rule)).toEqual(['response-enum-value-removed'])
    expect(result.breaking[0]?.was?.file).toBe('main:specs/schemas/thing.yaml')
    expect(result.breaking[0]?.location.file).toBe('specs/schemas/thing.yaml')
  } finally {
    write('specs/schemas/thing.yaml', thing('a, b'))
  }
})

test('a spec the federation named at the revision that is gone now is a breaking removal', async () => {
  rmSync(join(repo, 'specs/api/gone.yaml'))
  write('specs/federation.yaml', federation(['api/things.yaml']))
  const result = await diffAgainstRevision({
    ref: 'main',
    specs: [join(repo, 'specs/api/things.yaml')],
    federationFile: join(repo, 'specs/federation.yaml'),
    cwd: repo,
  })
  expect(result.breaking.map((c) => [c.rule, c.spec])).toEqual([
    ['spec-removed', 'main:specs/api/gone.yaml'],
  ])
  expect(result.specs).toEqual(['specs/api/things.yaml', 'specs/api/gone.yaml'])
})

test('resolves revisions and merge bases, and refuses an unknown one', () => {
  expect(gitRoot(join(repo, 'specs'))).toBe(repo)
  const head = resolveRevision(repo, 'HEAD')
  expect(head).toMatch(/^[0-9a-f]{40}$/)
  expect(findMergeBase(repo, 'HEAD', 'main')).toBe(head)
  expect(findMergeBase(repo, 'HEAD', 'nope')).toBeUndefined()
  expect(() => resolveRevision(repo, 'nope')).toThrow(/unknown git revision "nope"/)
  expect(gitRoot(tmpdir())).toBeUndefined()
})
