import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { atLeast, countSeverities, lintSpecs, type LintFinding } from './index.ts'

const dir = mkdtempSync(join(tmpdir(), 'sild-lint-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const write = (name: string, text: string) => {
  const file = join(dir, name)
  writeFileSync(file, text)
  return file
}

test('orders severities for --fail-severity', () => {
  expect(atLeast('error', 'warn')).toBe(true)
  expect(atLeast('warn', 'warn')).toBe(true)
  expect(atLeast('info', 'warn')).toBe(false)
  expect(countSeverities([{ severity: 'warn' }, { severity: 'warn' }] as LintFinding[])).toEqual({
    error: 0,
    warn: 2,
    info: 0,
    hint: 0,
  })
})

test('does not follow a remote $ref: it is a finding, not a download', async () => {
  const spec = write(
    'remote.yaml',
    `openapi: 3.1.0
info: { title: t, version: '1' }
paths:
  /x:
    get:
      operationId: getX
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: { $ref: 'https://schemas.example.invalid/x.json' }
              example: {}
`,
  )
  const { findings } = await lintSpecs([spec])
  const ref = findings.find((f) => f.rule === 'invalid-ref')
  expect(ref?.message).toMatch(
    /remote reference https:\/\/schemas\.example\.invalid\/x\.json is not followed/,
  )
  expect(ref?.line).toBe(12)
})

test('reports a problem in a file two specs share once', async () => {
  write(
    'shared.yaml',
    `type: object\nproperties:\n  code: { type: string, format: ee-personal-code }\nexample: { code: '38001085719' }\n`,
  )
  const spec = (id: string) =>
    `openapi: 3.1.0
info: { title: ${id}, version: '1' }
paths:
  /${id}:
    get:
      operationId: get${id}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: { $ref: './shared.yaml' }
`
  const { findings } = await lintSpecs([write('a.yaml', spec('a')), write('b.yaml', spec('b'))])
  expect(
    findings
      .filter((f) => f.rule === 'sild-example-identifiers')
      .map((f) => `${f.file.split('/').pop()}:${f.line}`),
  ).toEqual(['shared.yaml:4'])
})

test('keeps linting after a file that does not parse and a Swagger 2.0 file, each one finding at its place', async () => {
  const broken = write(
    'duplicate-key.yaml',
    `openapi: 3.1.0
info: { title: t, version: '1' }
paths:
  /x:
    get:
      responses: { '200': { description: ok } }
  /x:
    get:
      responses: { '200': { description: ok } }
`,
  )
  const swagger = write(
    'swagger.yaml',
    `swagger: '2.0'\ninfo: { title: t, version: '1' }\npaths: {}\n`,
  )
  const good = write(
    'good.yaml',
    `openapi: 3.1.0
info: { title: t, version: '1' }
paths:
  /y:
    get:
      responses: { '200': { description: ok } }
`,
  )
  const { findings } = await lintSpecs([broken, swagger, good])
  const unreadable = findings.filter((f) => f.rule === 'sild-unreadable-spec')
  expect(unreadable.map((f) => [f.file, f.line])).toEqual([
    [broken, 7],
    [swagger, 1],
  ])
  expect(unreadable[1]?.message).toMatch(/^Swagger 2\.0 document/)
  // The good file was linted: Spectral's rule on the missing operationId fires there.
  expect(findings.some((f) => f.file === good && f.rule === 'operation-operationId')).toBe(true)
})
