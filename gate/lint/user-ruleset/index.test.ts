import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, expect, test } from 'vitest'
import { lintSpecs } from '../index.ts'
import { findRulesetFile, loadUserRuleset } from './index.ts'

const RULESETS = fileURLToPath(
  new URL('../../../test/fixtures/specs-lint/ruleset/', import.meta.url),
)
const dir = mkdtempSync(join(tmpdir(), 'sild-rulesets-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const write = (name: string, text: string) => {
  const file = join(dir, name)
  writeFileSync(file, text)
  return file
}

test('finds the ruleset file Spectral would find', () => {
  expect(findRulesetFile(RULESETS)).toBe(join(RULESETS, '.spectral.yaml'))
  expect(findRulesetFile(dir)).toBeUndefined()
})

test('turns core function names, formats and built-in extends into what Spectral runs', async () => {
  const ruleset = (await loadUserRuleset(join(RULESETS, 'custom.yaml'))) as {
    extends: Array<unknown>
    formats: Array<unknown>
    rules: Record<string, { then: { function: unknown } }>
  }
  expect(ruleset.formats.every((f) => typeof f === 'function')).toBe(true)
  expect(typeof ruleset.rules['operation-id-prefix']?.then.function).toBe('function')
  expect(ruleset.extends).toHaveLength(2)
})

test('runs a custom function from functionsDir on the specs', async () => {
  const spec = write(
    'x.yaml',
    `openapi: 3.1.0\ninfo: { title: t, version: '1' }\npaths:\n  /x:\n    get:\n      operationId: xGet\n      responses: { '200': { description: ok } }\n`,
  )
  const { findings } = await lintSpecs([spec], { rulesetFile: join(RULESETS, 'custom.yaml') })
  expect(
    findings
      .filter((f) => f.rule === 'operation-id-prefix')
      .map((f) => `${f.line}:${f.column} ${f.message}`),
  ).toEqual(['6:20 xGet starts with x'])
})

test('names an unknown function where it is written', async () => {
  const file = write(
    'unknown.yaml',
    'rules:\n  r:\n    given: $\n    then:\n      function: noSuchFunction\n',
  )
  await expect(loadUserRuleset(file)).rejects.toMatchObject({
    message: 'unknown Spectral function "noSuchFunction"',
    location: { line: 5, column: 7 },
  })
})

test('does not fetch remote or package rulesets', async () => {
  const remote = write('remote.yaml', 'extends: https://example.com/ruleset.yaml\n')
  await expect(loadUserRuleset(remote)).rejects.toThrow(
    /Sild loads built-in and local rulesets only/,
  )
  const pkg = write('package.yaml', 'extends: "@acme/spectral-ruleset"\n')
  await expect(loadUserRuleset(pkg)).rejects.toThrow(/cannot extend "@acme\/spectral-ruleset"/)
})

test('loads a JS ruleset as its default export', async () => {
  const file = write('ruleset.mjs', "export default { rules: { 'info-contact': 'off' } }\n")
  expect(await loadUserRuleset(file)).toEqual({ rules: { 'info-contact': 'off' } })
})
