import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { lintSpecs } from '../../index.ts'
import { formatForName } from './index.ts'

const dir = mkdtempSync(join(tmpdir(), 'sild-lint-ids-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('names a format by the field name, whole or by its ending', () => {
  expect(formatForName('personalCode')).toBe('ee-personal-code')
  expect(formatForName('founder_personal_code')).toBe('ee-personal-code')
  expect(formatForName('registrikood')).toBe('ee-registry-code')
  expect(formatForName('ownerEdrpou')).toBe('ua-edrpou')
  expect(formatForName('unzr')).toBe('ua-unzr')
  expect(formatForName('personalCodes')).toBeUndefined()
  expect(formatForName('name')).toBeUndefined()
})

const findings = async (name: string, yaml: string) => {
  const file = join(dir, name)
  writeFileSync(file, yaml)
  const result = await lintSpecs([file])
  return result.findings
    .filter(
      (f) => f.rule === 'sild-identifier-format' || f.rule === 'sild-unknown-identifier-format',
    )
    .map((f) => `${f.rule} ${f.severity} ${f.line}:${f.column}`)
}

test('warns about identifiers without their format and errs on an unknown one', async () => {
  const found = await findings(
    'ids.yaml',
    `openapi: 3.1.0
info: { title: t, version: '1' }
paths:
  /companies:
    get:
      operationId: list
      parameters:
        - { name: edrpou, in: query, schema: { type: string } }
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  founderPersonalCode: { type: string, format: ee-personal-code }
                  boardPersonalCode: { type: string, pattern: '^[0-9]{11}$' }
                  registryCode: { type: string, format: ua-edrpou }
                  rnokpp: { type: string, format: ua_rnokpp }
                  unzr: { type: object, properties: { value: { type: string } } }
`,
  )
  expect(found).toEqual([
    'sild-identifier-format warn 8:45',
    'sild-identifier-format warn 18:37',
    'sild-identifier-format warn 19:57',
    'sild-unknown-identifier-format error 20:51',
  ])
})
