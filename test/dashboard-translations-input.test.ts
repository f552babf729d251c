import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { sild } from './helpers/cli.ts'
import { peopleFederation } from './helpers/people-federation.ts'

const dir = mkdtempSync(join(tmpdir(), 'sild-dashboard-translations-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const SPEC = `openapi: 3.0.3
info: { title: People, version: 1.0.0 }
paths:
  /people/{code}:
    get:
      operationId: getPerson
      parameters:
        - { name: code, in: path, required: true, schema: { type: string }, example: '1' }
      responses:
        '200':
          description: The person.
          content:
            application/json:
              schema: { type: object, properties: { name: { type: string } } }
              example: { name: Mari }
`

test('refuses a malformed translation file beside a spec when sild serve starts, at its line, with exit 2', async () => {
  writeFileSync(join(dir, 'people.yaml'), SPEC)
  writeFileSync(
    join(dir, 'people.i18n.yaml'),
    'title:\n  uk: Люди\noperations:\n  getPerson: Отримати особу\n',
  )
  writeFileSync(join(dir, 'federation.yaml'), peopleFederation(9))
  const { code, stderr } = await sild(
    'serve',
    '--federation',
    join(dir, 'federation.yaml'),
    '--port-base',
    '0',
  )
  expect(code).toBe(2)
  expect(stderr).toMatch(/people\.i18n\.yaml:4:3: expected a map of language → text/)
  expect(stderr).not.toMatch(/\n\s+at /)
})
