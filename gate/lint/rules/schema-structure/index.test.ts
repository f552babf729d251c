import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { lintSpecs } from '../../index.ts'

const dir = mkdtempSync(join(tmpdir(), 'sild-lint-structure-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const structure = async (name: string, yaml: string) => {
  const file = join(dir, name)
  writeFileSync(file, yaml)
  const { findings } = await lintSpecs([file])
  return findings
    .filter((f) => f.rule === 'sild-schema-structure')
    .map((f) => `${f.line} ${f.message}`)
}

const spec = (openapi: string) => `openapi: ${openapi}
info: { title: t, version: '1' }
paths: {}
components:
  schemas:
    Person:
      type: object
      required: [name, personalCode]
      properties:
        name: { type: string }
        nickname:
          nullable: true
    Composed:
      allOf:
        - { $ref: '#/components/schemas/Person' }
      required: [extra]
`

test('finds a required property that is never defined, and nullable without type in 3.0', async () => {
  expect(await structure('a.yaml', spec('3.0.3'))).toEqual([
    '8 required property "personalCode" is not defined in properties; define it, or remove it from required',
    '12 nullable without type has no effect in OpenAPI 3.0; add the type it makes nullable',
  ])
})

test('leaves nullable to 3.1, where it is not a keyword, and composed schemas alone', async () => {
  expect(await structure('b.yaml', spec('3.1.0'))).toEqual([
    '8 required property "personalCode" is not defined in properties; define it, or remove it from required',
  ])
})
