import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { lintSpecs } from '../../index.ts'
import { errorBodyKind } from './index.ts'

const dir = mkdtempSync(join(tmpdir(), 'sild-lint-errors-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('recognises problem details and the X-Road error body, also composed with allOf', () => {
  expect(errorBodyKind({ properties: { type: {}, title: {}, status: {}, detail: {} } })).toBe(
    'problem',
  )
  expect(
    errorBodyKind({ allOf: [{ properties: { type: {} } }, { properties: { message: {} } }] }),
  ).toBe('xroad')
  expect(errorBodyKind({ properties: { code: {}, message: {} } })).toBeUndefined()
})

const spec = (service: string) => `openapi: 3.1.0
info: { title: t, version: '1'${service} }
paths:
  /x:
    get:
      operationId: getX
      responses:
        '200': { description: ok }
        '400':
          description: bad
          content:
            application/problem+json:
              schema:
                type: object
                properties: { type: { type: string }, title: { type: string }, status: { type: integer } }
        '404':
          description: none
        '500':
          description: failed
          content:
            application/json:
              schema: { type: object, properties: { code: { type: string }, message: { type: string } } }
`

const errorBodies = async (name: string, text: string) => {
  const file = join(dir, name)
  writeFileSync(file, text)
  return (await lintSpecs([file])).findings
    .filter((f) => f.rule === 'sild-error-body')
    .map((f) => f.message)
}

test("holds Sild's services to the documented error body", async () => {
  expect(await errorBodies('sild.yaml', spec(', x-sild-service: x'))).toEqual([
    'GET /x: response 404 has no JSON error body; answer with problem details (application/problem+json, $ref the responses of specs/common/problem.yaml)',
    'GET /x: response 500 does not use the documented error body; answer with problem details (application/problem+json, $ref the responses of specs/common/problem.yaml)',
  ])
})

test('leaves the error conventions of other APIs alone', async () => {
  expect(await errorBodies('other.yaml', spec(''))).toEqual([])
})
