import { execFileSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { Change } from '../gate/diff/index.ts'
import type { LintFinding } from '../gate/lint/index.ts'
import { sild } from './helpers/cli.ts'

const fixture = (path: string) => fileURLToPath(new URL(`./fixtures/${path}`, import.meta.url))
const CORPUS = fixture('specs-diff')
const LINT = fixture('specs-lint')

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sild-lint-diff-'))
})
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

type DiffJson = { breaking: Change[]; nonBreaking: Change[] }

const diffJson = async (oldFile: string, newFile: string, ...args: string[]) => {
  const outcome = await sild('diff', oldFile, newFile, '--format', 'json', ...args)
  return { ...outcome, json: JSON.parse(outcome.stdout) as DiffJson }
}

const rules = (changes: Change[]) => [...new Set(changes.map((c) => c.rule))].sort()

type Expectation = {
  breaking?: string[]
  nonBreaking?: string[]
  /** Who the breaking changes break, when it matters for the case. */
  breaks?: Array<'clients' | 'providers'>
}

// Each case of test/fixtures/specs-diff/cases is base.yaml with one change.
const CORPUS_CASES: Record<string, Expectation> = {
  // Breaking: removed operation, path or method.
  'operation-removed': { breaking: ['operation-removed'], breaks: ['clients'] },
  'path-removed': { breaking: ['path-removed'], breaks: ['clients'] },
  'method-changed': { breaking: ['operation-removed'], nonBreaking: ['operation-added'] },
  // Breaking: added required parameter or request property.
  'parameter-added-required': {
    breaking: ['request-parameter-added-required'],
    breaks: ['clients'],
  },
  'parameter-became-required': { breaking: ['request-parameter-became-required'] },
  'request-property-added-required': {
    breaking: ['request-property-added-required'],
    breaks: ['clients'],
  },
  'request-property-became-required': { breaking: ['request-property-became-required'] },
  // Breaking: removed or narrowed response property, enum value or status.
  'response-property-removed': { breaking: ['response-property-removed'], breaks: ['clients'] },
  'response-property-became-optional': {
    breaking: ['response-property-became-optional'],
    breaks: ['clients'],
  },
  'response-property-narrowed': {
    breaking: ['response-constraint-tightened'],
    breaks: ['providers'],
  },
  'response-property-became-required': {
    breaking: ['response-property-became-required'],
    breaks: ['providers'],
  },
  'response-enum-value-removed': {
    breaking: ['response-enum-value-removed'],
    breaks: ['providers'],
  },
  'response-status-removed': { breaking: ['response-status-removed'], breaks: ['providers'] },
  // Breaking: type or format change.
  'parameter-type-changed': {
    breaking: ['request-type-changed'],
    nonBreaking: ['request-constraint-relaxed'],
    breaks: ['clients'],
  },
  'response-format-changed': {
    breaking: ['response-format-changed'],
    breaks: ['clients', 'providers'],
  },
  'request-format-added': { breaking: ['request-format-added'], breaks: ['clients'] },
  // Breaking: tightened constraints.
  'parameter-constraint-tightened': {
    breaking: ['request-constraint-tightened'],
    breaks: ['clients'],
  },
  'request-pattern-added': { breaking: ['request-constraint-tightened'] },
  'request-minimum-raised': { breaking: ['request-constraint-tightened'] },
  'request-enum-value-removed': { breaking: ['request-enum-value-removed'], breaks: ['clients'] },
  'request-media-type-removed': {
    breaking: ['request-media-type-removed'],
    nonBreaking: ['request-media-type-added'],
  },
  // Breaking: changed security.
  'security-changed': { breaking: ['security-changed'], breaks: ['clients'] },
  'operation-security-changed': { breaking: ['security-changed'] },
  'security-scheme-changed': { breaking: ['security-scheme-changed'] },
  // Breaking for Sild's callers: Arazzo steps name operations; Trembita wants purpose ids.
  'operation-id-changed': { breaking: ['operation-id-changed'] },
  'personal-data-flag-added': { breaking: ['personal-data-flag-added'] },
  // Non-breaking.
  'operation-added': { nonBreaking: ['operation-added'] },
  'path-added': { nonBreaking: ['path-added'] },
  'parameter-added-optional': { nonBreaking: ['request-parameter-added'] },
  'request-property-added-optional': { nonBreaking: ['request-property-added'] },
  'response-property-added': { nonBreaking: ['response-property-added'] },
  'response-status-added': { nonBreaking: ['response-status-added'] },
  'request-enum-value-added': { nonBreaking: ['request-enum-value-added'] },
  'response-enum-value-added': { nonBreaking: ['response-enum-value-added'] },
  'parameter-constraint-relaxed': { nonBreaking: ['request-constraint-relaxed'] },
  'request-property-became-optional': { nonBreaking: ['request-property-became-optional'] },
  'parameter-type-widened': { nonBreaking: ['request-type-widened'] },
  'operation-deprecated': { nonBreaking: ['operation-deprecated'] },
  // Only look breaking.
  'path-parameter-renamed': { nonBreaking: ['path-parameter-renamed'] },
  'inline-schema-to-ref': {},
  'all-of-split': {},
  reordered: {},
  'parameter-moved-to-path-item': {},
  'documentation-changed': { nonBreaking: ['annotation-changed'] },
}

// Pairs with their own old side.
const OTHER_PAIRS: Array<[string, string, string, Expectation]> = [
  [
    '3.0 nullable to 3.1 type arrays',
    'specs-diff/openapi-30/old.yaml',
    'specs-diff/openapi-30/new.yaml',
    { nonBreaking: ['document-metadata-changed'] },
  ],
  ['YAML to JSON', 'specs-diff/base.yaml', 'specs-diff/cases/as-json.json', {}],
  ['schemas moved to another file', 'specs-diff/base.yaml', 'specs-diff/split/openapi.yaml', {}],
  [
    '$refs across files',
    'specs-multifile/v1/openapi.yaml',
    'specs-multifile/v2/openapi.yaml',
    {
      breaking: ['request-property-added-required', 'response-enum-value-removed'],
      nonBreaking: ['annotation-changed', 'document-metadata-changed', 'response-property-added'],
    },
  ],
  [
    'oneOf and allOf',
    'specs-polymorphic/v1.yaml',
    'specs-polymorphic/v2.yaml',
    {
      breaking: [
        'request-enum-value-removed',
        'response-enum-value-removed',
        'response-variant-added',
      ],
      nonBreaking: ['annotation-changed', 'document-metadata-changed', 'request-variant-added'],
    },
  ],
  [
    'a JSON spec',
    'specs-json/v1.json',
    'specs-json/v2.json',
    {
      breaking: ['request-enum-value-removed'],
      nonBreaking: ['document-metadata-changed', 'response-property-added'],
    },
  ],
]

const expectClassified = (json: DiffJson, expectation: Expectation) => {
  expect(rules(json.breaking)).toEqual([...(expectation.breaking ?? [])].sort())
  expect(rules(json.nonBreaking)).toEqual([...(expectation.nonBreaking ?? [])].sort())
  if (expectation.breaks)
    expect([...new Set(json.breaking.flatMap((c) => c.breaks))].sort()).toEqual(
      [...expectation.breaks].sort(),
    )
  for (const c of json.breaking) expect(c.breaks.length).toBeGreaterThan(0)
  for (const c of json.nonBreaking) expect(c.breaks).toEqual([])
}

test('the diff corpus holds at least 25 pairs, breaking and not', () => {
  const pairs = Object.keys(CORPUS_CASES).length + OTHER_PAIRS.length
  expect(pairs).toBeGreaterThanOrEqual(25)
  expect(Object.values(CORPUS_CASES).filter((e) => e.breaking).length).toBeGreaterThanOrEqual(15)
  expect(Object.values(CORPUS_CASES).filter((e) => !e.breaking).length).toBeGreaterThanOrEqual(10)
})

test.each(Object.entries(CORPUS_CASES))(
  'classifies %s and exits by it',
  async (name, expectation) => {
    const { code, json } = await diffJson(
      join(CORPUS, 'base.yaml'),
      join(CORPUS, 'cases', `${name}.yaml`),
    )
    expectClassified(json, expectation)
    expect(code).toBe(expectation.breaking ? 1 : 0)
  },
)

test.each(OTHER_PAIRS)('classifies %s', async (_name, oldFile, newFile, expectation) => {
  const { code, json } = await diffJson(fixture(oldFile), fixture(newFile))
  expectClassified(json, expectation)
  expect(code).toBe(expectation.breaking ? 1 : 0)
})

test('--fail-on any fails on a non-breaking change, --fail-on none never fails', async () => {
  const oldFile = join(CORPUS, 'base.yaml')
  const added = join(CORPUS, 'cases', 'operation-added.yaml')
  const removed = join(CORPUS, 'cases', 'operation-removed.yaml')
  expect((await sild('diff', oldFile, added)).code).toBe(0)
  expect((await sild('diff', oldFile, added, '--fail-on', 'any')).code).toBe(1)
  expect((await sild('diff', oldFile, oldFile, '--fail-on', 'any')).code).toBe(0)
  expect((await sild('diff', oldFile, removed, '--fail-on', 'none')).code).toBe(0)
})

test('locates a change in the new spec and a removal where it was in the old one', async () => {
  const { json } = await diffJson(
    join(CORPUS, 'base.yaml'),
    join(CORPUS, 'cases', 'response-enum-value-removed.yaml'),
  )
  // The Person schema is shared: one change, reached by the three operations that use it.
  expect(json.breaking).toHaveLength(1)
  const change = json.breaking[0] as Change
  expect(change.operations?.map((o) => o.operationId)).toEqual([
    'searchPersons',
    'registerPerson',
    'getPerson',
  ])
  expect(change.location.pointer).toBe(
    '/paths/~1persons/get/responses/200/content/application~1json/schema/properties/items/items/properties/status/enum/1',
  )
  expect(change.location).toMatchObject({
    file: expect.stringMatching(/response-enum-value-removed\.yaml$/),
    line: 79,
  })
  expect(change.was).toMatchObject({
    file: expect.stringMatching(/base\.yaml$/),
    line: 80,
    column: 47,
  })
  expect(change.message).toContain('no longer allows "deceased"')
})

test('locates a change in a $ref-ed file at its line', async () => {
  const { json } = await diffJson(
    fixture('specs-multifile/v1/openapi.yaml'),
    fixture('specs-multifile/v2/openapi.yaml'),
  )
  const enumChange = json.breaking.find((c) => c.rule === 'response-enum-value-removed') as Change
  expect(enumChange.location.file).toMatch(/specs-multifile\/v2\/schemas\/book\.yaml$/)
  expect(enumChange.location.line).toBe(10)
  const required = json.breaking.find((c) => c.rule === 'request-property-added-required') as Change
  expect(required.location).toMatchObject({
    file: expect.stringMatching(/v2\/paths\/loans\.yaml$/),
    line: 12,
  })
})

test('prints the text report with file:line, rule and whom a change breaks', async () => {
  const { code, stdout } = await sild(
    'diff',
    join(CORPUS, 'base.yaml'),
    join(CORPUS, 'cases', 'response-status-removed.yaml'),
  )
  expect(code).toBe(1)
  expect(stdout).toMatch(
    /^BREAKING +\S+response-status-removed\.yaml:\d+:\d+ response-status-removed {2}GET \/persons\/\{personalCode\}: response 404 removed.*\(breaks providers\)$/m,
  )
  expect(stdout).toMatch(/1 breaking change, 0 non-breaking/)
})

test('writes Markdown and SARIF for the diff', async () => {
  const oldFile = join(CORPUS, 'base.yaml')
  const newFile = join(CORPUS, 'cases', 'parameter-added-required.yaml')
  const markdown = await sild('diff', oldFile, newFile, '--format', 'markdown')
  expect(markdown.stdout).toContain('| `request-parameter-added-required` |')
  const sarifFile = join(dir, 'diff.sarif')
  expect(
    (await sild('diff', oldFile, newFile, '--format', 'sarif', '--output', sarifFile)).code,
  ).toBe(1)
  const sarif = JSON.parse(readFileSync(sarifFile, 'utf8'))
  const [result] = sarif.runs[0].results
  expect(result).toMatchObject({
    ruleId: 'diff/request-parameter-added-required',
    level: 'error',
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: 'test/fixtures/specs-diff/cases/parameter-added-required.yaml' },
          region: { startLine: 20 },
        },
      },
    ],
  })
})

test('refuses a diff without two specs and a file that is not OpenAPI 3, with exit 2', async () => {
  const one = await sild('diff', join(CORPUS, 'base.yaml'))
  expect(one.code).toBe(2)
  expect(one.stderr).toMatch(/needs two specs, got 1/)
  const notOpenApi = await sild('diff', join(LINT, 'federation.yaml'), join(CORPUS, 'base.yaml'))
  expect(notOpenApi.code).toBe(2)
  expect(notOpenApi.stderr).toMatch(/federation\.yaml:\d+:\d+: .*not an OpenAPI 3\.x document/)
  const missing = await sild('diff', join(CORPUS, 'nope.yaml'), join(CORPUS, 'base.yaml'))
  expect(missing.code).toBe(2)
  expect(missing.stderr).not.toMatch(/\n\s+at /)
})

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })

const scratchRepo = (name: string) => {
  const repo = join(dir, name)
  cpSync(join(CORPUS, 'base.yaml'), join(repo, 'specs', 'persons.yaml'))
  git(repo, 'init', '-q', '-b', 'main')
  git(repo, 'config', 'user.email', 'ci@example.test')
  git(repo, 'config', 'user.name', 'CI')
  git(repo, 'add', '.')
  git(repo, 'commit', '-q', '-m', 'persons register')
  return repo
}

test('diff --base compares the working tree with a git revision', async () => {
  const repo = scratchRepo('base-ref')
  const spec = join(repo, 'specs', 'persons.yaml')
  writeFileSync(spec, readFileSync(join(CORPUS, 'cases', 'request-enum-value-removed.yaml')))
  const { code, stdout } = await sild('diff', '--base', 'main', spec, '--format', 'json')
  expect(code).toBe(1)
  const json = JSON.parse(stdout) as DiffJson
  expect(rules(json.breaking)).toEqual(['request-enum-value-removed'])
  expect(json.breaking[0]?.was?.file).toBe('main:specs/persons.yaml')
  const unknown = await sild('diff', '--base', 'no-such-branch', spec)
  expect(unknown.code).toBe(2)
  expect(unknown.stderr).toMatch(/unknown git revision "no-such-branch"/)
})

test('diff --base counts a spec that did not exist at the revision as added', async () => {
  const repo = scratchRepo('added-spec')
  const added = join(repo, 'specs', 'residence.yaml')
  cpSync(join(CORPUS, 'cases', 'path-added.yaml'), added)
  const { code, stdout } = await sild('diff', '--base', 'main', added, '--format', 'json')
  expect(code).toBe(0)
  expect(rules((JSON.parse(stdout) as DiffJson).nonBreaking)).toEqual(['spec-added'])
})

// ---------------------------------------------------------------------------------------------
// lint

const lintJson = async (...args: string[]) => {
  const outcome = await sild('lint', ...args, '--format', 'json')
  return {
    ...outcome,
    findings: (JSON.parse(outcome.stdout) as { findings: LintFinding[] }).findings,
  }
}

const at = (f: LintFinding) => `${f.file.split('/').slice(-1)[0]}:${f.line}:${f.column} ${f.rule}`

test('lints every bundled spec, the metaservices included, without a single problem', async () => {
  const { code, findings, stdout } = await lintJson()
  expect(findings).toEqual([])
  expect(code).toBe(0)
  const { specs } = JSON.parse(stdout) as { specs: string[] }
  expect(specs).toHaveLength(11)
  expect(specs).toContain('specs/xroad/get-openapi.yaml')
})

test('finds a broken example, a missing operationId and a malformed identifier at file:line:column', async () => {
  const { code, findings } = await lintJson(join(LINT, 'bad-register.yaml'))
  expect(code).toBe(1)
  const errors = findings.filter((f) => f.severity === 'error').map(at)
  expect(errors).toEqual([
    'bad-register.yaml:20:22 sild-example-identifiers',
    'bad-register.yaml:33:32 oas3-valid-media-example',
    'bad-register.yaml:34:15 sild-error-body',
    'bad-register.yaml:37:9 operation-operationId',
    'bad-register.yaml:54:29 sild-unknown-identifier-format',
  ])
  const identifier = findings.find((f) => f.rule === 'sild-example-identifiers') as LintFinding
  expect(identifier.message).toMatch(/"48001013547" is not a valid ee-personal-code: check digit 7/)
  expect(findings.map(at)).toContain('bad-register.yaml:42:18 sild-identifier-format')
})

test("checks the federation's X-Road and Trembita naming where it is written", async () => {
  const { findings } = await lintJson('--federation', join(LINT, 'federation.yaml'))
  const naming = findings.filter((f) => f.file.endsWith('federation.yaml')).map(at)
  expect(naming).toEqual([
    'federation.yaml:11:9 sild-member-code',
    'federation.yaml:16:17 sild-identifier-charset',
    'federation.yaml:33:17 sild-trembita-service-code',
  ])
})

test('lints a spec that follows every rule without errors or Sild warnings', async () => {
  const { code, findings } = await lintJson(join(LINT, 'good-register.yaml'))
  expect(code).toBe(0)
  expect(findings.filter((f) => f.severity === 'error' || f.rule.startsWith('sild-'))).toEqual([])
  expect(
    (await sild('lint', join(LINT, 'good-register.yaml'), '--fail-severity', 'warn')).code,
  ).toBe(1)
})

test('lints specs of other shapes: $refs across files, oneOf/allOf, JSON', async () => {
  const { code, findings } = await lintJson(
    fixture('specs-multifile/v1/openapi.yaml'),
    fixture('specs-polymorphic/v1.yaml'),
    fixture('specs-json/v1.json'),
  )
  expect(findings.filter((f) => f.severity === 'error')).toEqual([])
  expect(code).toBe(0)
})

test('reports a problem in a $ref-ed file at its own line', async () => {
  const { code, findings } = await lintJson(join(LINT, 'split', 'openapi.yaml'))
  expect(code).toBe(1)
  expect(findings.filter((f) => f.severity === 'error').map(at)).toEqual([
    'person.yaml:11:17 sild-example-identifiers',
  ])
})

test('writes lint findings as JUnit and SARIF', async () => {
  const bad = join(LINT, 'bad-register.yaml')
  const junit = await sild('lint', bad, '--format', 'junit')
  expect(junit.stdout).toMatch(
    /<testcase classname="lint" name="test\/fixtures\/specs-lint\/bad-register\.yaml">\s*<failure message="5 problems at or above error"/,
  )
  expect(junit.stdout).toContain('20:22 error sild-example-identifiers')
  const sarif = JSON.parse((await sild('lint', bad, '--format', 'sarif')).stdout)
  const result = sarif.runs[0].results.find(
    (r: { ruleId: string }) => r.ruleId === 'lint/operation-operationId',
  )
  expect(result.locations[0].physicalLocation).toMatchObject({
    artifactLocation: { uri: 'test/fixtures/specs-lint/bad-register.yaml', uriBaseId: '%SRCROOT%' },
    region: { startLine: 37, startColumn: 9 },
  })
  expect(result.level).toBe('error')
})

test("applies the user's Spectral ruleset on top of Sild's", async () => {
  const { findings } = await lintJson(
    join(LINT, 'bad-register.yaml'),
    '--ruleset',
    join(LINT, 'ruleset', '.spectral.yaml'),
  )
  const names = new Set(findings.map((f) => f.rule))
  expect(names.has('sild-error-body')).toBe(false)
  expect(names.has('info-contact')).toBe(false)
  expect(findings.filter((f) => f.rule === 'operation-summary').map(at)).toEqual([
    'bad-register.yaml:9:9 operation-summary',
  ])
})

test('reports a file that is not OpenAPI 3 as one located finding, not a stop', async () => {
  const { code, stdout, stderr } = await sild('lint', join(LINT, 'federation.yaml'))
  expect(code).toBe(1)
  expect(stdout).toMatch(/federation\.yaml:\d+:\d+ .*sild-unreadable-spec/)
  expect(stdout).toMatch(/not an OpenAPI 3\.x document/)
  expect(stderr).toBe('')
})
