import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { lintSpecs } from '../../index.ts'

const dir = mkdtempSync(join(tmpdir(), 'sild-lint-op-examples-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const lint = async (yaml: string) => {
  const file = join(dir, `spec-${Math.abs(hash(yaml))}.yaml`)
  writeFileSync(file, yaml)
  const { findings } = await lintSpecs([file])
  return findings.filter((f) => f.rule === 'sild-operation-examples').map((f) => f.message)
}

const hash = (s: string) => [...s].reduce((h, c) => (h * 31 + c.charCodeAt(0)) | 0, 0)

const doc = (operation: string) => `openapi: 3.1.0
info: { title: t, version: '1' }
paths:
  /things/{id}:
    post:
      operationId: addThing
${operation}`

test('asks for examples of success bodies, request bodies and required parameters', async () => {
  const messages = await lint(
    doc(`      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
        - { name: q, in: query, schema: { type: string } }
      requestBody:
        content:
          application/json:
            schema: { type: object }
      responses:
        '201':
          description: created
          content:
            application/json:
              schema: { type: object }
        '400':
          description: bad
          content:
            application/json:
              schema: { type: object }
`),
  )
  expect(messages).toEqual([
    'POST /things/{id}: required path parameter "id" has no example; add `examples` so scenarios made by sild init and the dashboard\'s Try-it form start from a realistic value',
    'POST /things/{id}: request body (application/json) has no example; add `examples` to show a valid request',
    'POST /things/{id}: response 201 (application/json) has no example; add `examples` so the mock answers with realistic data',
  ])
})

test("accepts examples on the schema, and a parameter's enum or default", async () => {
  const messages = await lint(
    doc(`      parameters:
        - { name: id, in: path, required: true, schema: { type: string, enum: [a, b] } }
      requestBody:
        content:
          application/json:
            schema: { type: object, example: { a: 1 } }
      responses:
        '201':
          description: created
          content:
            application/json:
              schema: { type: object, examples: [{ a: 1 }] }
`),
  )
  expect(messages).toEqual([])
})

test('accepts a body whose every field has an example, and never asks for one on an image', async () => {
  const messages = await lint(
    doc(`      parameters:
        - { name: id, in: path, required: true, schema: { type: string, example: t-1 } }
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                name: { type: string, example: Anna }
                tags: { type: array, items: { type: string, example: red } }
      responses:
        '200':
          description: the picture
          content:
            image/png:
              schema: { type: string, format: binary }
        '201':
          description: created
          content:
            application/json:
              schema:
                allOf:
                  - type: object
                    properties:
                      id: { type: string, example: t-1 }
`),
  )
  expect(messages).toEqual([])
})

test('still asks where one field of the body has nothing to generate from', async () => {
  const messages = await lint(
    doc(`      parameters:
        - { name: id, in: path, required: true, schema: { type: string, example: t-1 } }
      responses:
        '201':
          description: created
          content:
            application/problem+json:
              schema:
                type: object
                properties:
                  id: { type: string, example: t-1 }
                  note: { type: string }
`),
  )
  expect(messages).toEqual([
    'POST /things/{id}: response 201 (application/problem+json) has no example; add `examples` so the mock answers with realistic data',
  ])
})
