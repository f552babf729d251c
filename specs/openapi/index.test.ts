import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'
import { SildInputError } from '../source-file/index.ts'
import { indexSpec, loadSpec, resolvePointer } from './index.ts'
import { specValidator } from './validator.ts'

const fixture = fileURLToPath(new URL('./fixtures/people.yaml', import.meta.url))

test('bundles external problem refs into a self-contained document', async () => {
  const spec = await loadSpec(fixture)
  expect(JSON.stringify(spec.document)).not.toContain('problem.yaml')
  const notFound = spec.operation('getPerson')?.responses['404']
  expect(notFound?.content['application/problem+json']).toBeDefined()
  expect(
    resolvePointer(spec.document, notFound?.content['application/problem+json'] ?? ''),
  ).toMatchObject({ type: 'object' })
})

test('matches literal path segments before templated ones', async () => {
  const spec = await loadSpec(fixture)
  expect(spec.match('GET', '/persons/search')?.operation.operationId).toBe('searchPersons')
  expect(spec.match('GET', '/persons/38001085718')).toMatchObject({
    operation: { operationId: 'getPerson' },
    pathParams: { personalCode: '38001085718' },
  })
  expect(spec.match('DELETE', '/persons/38001085718')).toBeUndefined()
  expect(spec.operation('getPerson')?.personalData).toBe(true)
})

test('matches a path template that ends in a slash with and without the slash, never with two', () => {
  const ok = { '200': { description: 'ok' } }
  const spec = indexSpec('consent.yaml', {
    openapi: '3.0.3',
    info: { title: 'Consent', version: '1' },
    paths: {
      '/config/policies/': { get: { operationId: 'listPolicies', responses: ok } },
      '/config/policy/{policyId}/': { get: { operationId: 'readPolicy', responses: ok } },
    },
  })
  expect(spec.match('GET', '/config/policies/')?.operation.operationId).toBe('listPolicies')
  expect(spec.match('GET', '/config/policies')?.operation.operationId).toBe('listPolicies')
  expect(spec.match('GET', '/config/policies//')).toBeUndefined()
  expect(spec.match('GET', '/config/policy/p-1/')).toMatchObject({
    operation: { operationId: 'readPolicy' },
    pathParams: { policyId: 'p-1' },
  })
})

test('rejects a path parameter with a wrong check digit, naming the format and reason', async () => {
  const spec = await loadSpec(fixture)
  const op = spec.operation('getPerson')!
  const diagnostics = specValidator(spec).validateRequest(op, {
    pathParams: { personalCode: '38001085719' },
    query: new URLSearchParams(),
    headers: new Headers(),
    body: undefined,
  })
  expect(diagnostics).toEqual([
    expect.objectContaining({
      code: 'format',
      format: 'ee-personal-code',
      path: 'path.personalCode',
    }),
  ])
  expect(diagnostics[0]?.message).toMatch(/check digit/)
})

test('coerces query parameters before validating them', async () => {
  const spec = await loadSpec(fixture)
  const op = spec.operation('getPerson')!
  const validate = (fields: string) =>
    specValidator(spec).validateRequest(op, {
      pathParams: { personalCode: '38001085718' },
      query: new URLSearchParams({ fields }),
      headers: new Headers(),
      body: undefined,
    })
  expect(validate('3')).toEqual([])
  expect(validate('0')).toHaveLength(1)
})

test('requires a declared request body with a declared content type', async () => {
  const spec = await loadSpec(fixture)
  const op = spec.operation('createPerson')!
  const base = { pathParams: {}, query: new URLSearchParams(), headers: new Headers() }
  expect(specValidator(spec).validateRequest(op, { ...base, body: undefined })[0]?.code).toBe(
    'required',
  )
  expect(
    specValidator(spec).validateRequest(op, { ...base, body: 'x', contentType: 'text/plain' })[0]
      ?.code,
  ).toBe('content-type')
  expect(
    specValidator(spec).validateRequest(op, {
      ...base,
      body: {},
      contentType: 'application/json',
    })[0]?.path,
  ).toBe('body/personalCode')
})

test('flags an undeclared status, a missing required header and a body off its schema', async () => {
  const spec = await loadSpec(fixture)
  const op = spec.operation('getPerson')!
  const v = specValidator(spec)
  expect(v.validateResponse(op, { status: 500, headers: new Headers(), body: {} })[0]?.code).toBe(
    'status',
  )
  const diagnostics = v.validateResponse(op, {
    status: 200,
    headers: new Headers(),
    body: { personalCode: '38001085719' },
    contentType: 'application/json; charset=utf-8',
  })
  expect(diagnostics.map((d) => d.path).sort()).toEqual([
    'body/name',
    'body/personalCode',
    'header.x-trace',
  ])
  expect(
    v.validateResponse(op, {
      status: 404,
      headers: new Headers(),
      body: { type: 'urn:sild:problem:not-found', title: 'Not found', status: 404 },
      contentType: 'application/problem+json',
    }),
  ).toEqual([])
})

const refSpec = (ref: string) => `openapi: 3.1.0
info: { title: Refs, version: '1' }
paths:
  /x:
    get:
      operationId: getX
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: { $ref: '${ref}' }
`

test('refuses a $ref that leads out of the spec folder, naming where it is', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sild-refs-'))
  try {
    mkdirSync(join(dir, 'spec'))
    writeFileSync(join(dir, 'secret.yaml'), 'x: the secret\n')
    writeFileSync(join(dir, 'spec', 'up.yaml'), refSpec('../secret.yaml#/x'))
    writeFileSync(join(dir, 'spec', 'absolute.yaml'), refSpec(join(dir, 'secret.yaml')))
    symlinkSync(join(dir, 'secret.yaml'), join(dir, 'spec', 'link.yaml'))
    writeFileSync(join(dir, 'spec', 'through-link.yaml'), refSpec('./link.yaml#/x'))
    for (const name of ['up', 'absolute', 'through-link']) {
      const error = await loadSpec(join(dir, 'spec', `${name}.yaml`)).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(SildInputError)
      expect((error as SildInputError).message).toMatch(
        /^\$ref to .* leads outside the spec's folder/,
      )
      expect((error as SildInputError).location?.line).toBe(12)
    }
    writeFileSync(join(dir, 'spec', 'schema.yaml'), 'x: { type: string }\n')
    writeFileSync(join(dir, 'spec', 'inside.yaml'), refSpec('./schema.yaml#/x'))
    const inside = await loadSpec(join(dir, 'spec', 'inside.yaml'))
    expect(JSON.stringify(inside.document)).toContain('"type":"string"')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
