import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'
import { loadSpec, resolvePointer } from './index.ts'
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
