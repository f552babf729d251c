import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { lintSpecs } from '../../index.ts'

const dir = mkdtempSync(join(tmpdir(), 'sild-lint-examples-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const lint = async (name: string, yaml: string) => {
  const file = join(dir, name)
  writeFileSync(file, yaml)
  const { findings } = await lintSpecs([file])
  return findings
    .filter((f) => f.rule === 'sild-example-identifiers')
    .map((f) => `${f.line}:${f.column} ${f.pointer}`)
}

const spec = (openapi: string, schemaExtra = '', mediaExample = '') => `openapi: ${openapi}
info: { title: t, version: '1' }
paths:
  /p/{code}:
    get:
      operationId: get
      parameters:
        - name: code
          in: path
          required: true
          schema: { type: string, format: ua-edrpou }
          example: '00015623'
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  rnokpp: { type: string, format: ua-rnokpp${schemaExtra} }
                  unzr: { type: string, format: ua-unzr, nullable: true }
${mediaExample}`

test('finds a wrong check digit in a parameter example, at the value', async () => {
  expect(await lint('param.yaml', spec('3.0.3'))).toEqual([
    '12:20 /paths/~1p~1{code}/get/parameters/0/example',
  ])
})

test('finds one inside a media example, pointing into the value', async () => {
  const found = await lint(
    'media.yaml',
    spec('3.0.3', '', `              example: { rnokpp: '1759013777', unzr: null }\n`),
  )
  expect(found).toContain(
    '23:34 /paths/~1p~1{code}/get/responses/200/content/application~1json/example/rnokpp',
  )
})

test("checks a schema's own example and a 3.1 examples list", async () => {
  const found = await lint('schema.yaml', spec('3.1.0', ", examples: ['1759013776', '1759013777']"))
  expect(found).toEqual([
    '12:20 /paths/~1p~1{code}/get/parameters/0/example',
    '21:87 /paths/~1p~1{code}/get/responses/200/content/application~1json/schema/properties/rnokpp/examples/1',
  ])
})

test('accepts valid identifiers and leaves other schema errors to Spectral', async () => {
  const valid = spec(
    '3.0.3',
    '',
    `              example: { rnokpp: '1759013776', unzr: 42 }\n`,
  ).replace("'00015623'", "'00015622'")
  expect(await lint('valid.yaml', valid)).toEqual([])
})

test('recognises identifier fields of real specs by name, numbers included', async () => {
  const file = join(dir, 'xtee.yaml')
  writeFileSync(
    file,
    `openapi: 3.0.3
info: { title: t, version: '1' }
paths:
  /persons:
    get:
      operationId: findPerson
      parameters:
        - name: isikukood
          in: query
          schema: { type: string }
          example: '38302250124'
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  identityCode: { type: integer, example: 38302250123 }
                  registrikood: { type: string }
              example: { registrikood: '10000000', owner: { rnokpp: '1234567890' } }
`,
  )
  const { findings } = await lintSpecs([file])
  const messages = findings
    .filter((f) => f.rule === 'sild-example-identifiers')
    .map((f) => f.message.split(';')[0])
  expect(messages).toEqual([
    'example "38302250124" of "isikukood" is not a valid ee-personal-code: check digit 4 does not match (expected 8)',
    'example 38302250123 of "identityCode" is not a valid ee-personal-code: check digit 3 does not match (expected 8)',
    'example "10000000" of "registrikood" is not a valid ee-registry-code: check digit 0 does not match (expected 1)',
    'example "1234567890" of "rnokpp" is not a valid ua-rnokpp: check digit 0 does not match (expected 9)',
  ])
})
