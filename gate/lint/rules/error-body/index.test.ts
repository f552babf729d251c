import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { lintSpecs } from '../../index.ts'
import { errorBodyKind } from './index.ts'

const dir = mkdtempSync(join(tmpdir(), 'sild-lint-errors-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test("recognises problem details, the X-Road error body and an API's own error object", () => {
  expect(errorBodyKind({ properties: { type: {}, title: {}, status: {}, detail: {} } })).toBe(
    'problem',
  )
  expect(
    errorBodyKind({ allOf: [{ properties: { type: {} } }, { properties: { message: {} } }] }),
  ).toBe('xroad')
  expect(errorBodyKind({ properties: { title: {}, detail: {} } })).toBe('problem')
  expect(errorBodyKind({ properties: { status: {}, error: {} } })).toBe('own')
  expect(errorBodyKind({ type: 'string' })).toBeUndefined()
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
              schema: { type: string }
        '503':
          description: down
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

test("holds a federation's services to a documented error body, never pointing at Sild's files", async () => {
  const messages = await errorBodies('sild.yaml', spec(', x-sild-service: x'))
  expect(messages).toEqual([
    "GET /x: response 404 has no JSON error body; document the error body: RFC 9457 problem details (application/problem+json with type, title, status) or the API's own error object",
    "GET /x: response 500 declares no error fields; document the error body: RFC 9457 problem details (application/problem+json with type, title, status) or the API's own error object",
  ])
  expect(messages.join('\n')).not.toMatch(/specs\//)
})

test('leaves the error conventions of other APIs alone', async () => {
  expect(await errorBodies('other.yaml', spec(''))).toEqual([])
})
