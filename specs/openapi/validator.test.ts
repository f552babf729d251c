import { expect, test } from 'vitest'
import { indexSpec, type OpenApiDocument } from './index.ts'
import { specValidator, type ResponseInput } from './validator.ts'

const STATES = Array.from({ length: 15 }, (_, i) => `state-${i + 1}`)

const document: OpenApiDocument = {
  openapi: '3.1.0',
  info: { title: 'Validator messages', version: '1.0.0' },
  paths: {
    '/persons': {
      get: {
        operationId: 'searchPersons',
        parameters: [{ name: 'status', in: 'query', schema: { enum: ['alive', 'deceased'] } }],
        responses: {
          '200': {
            description: 'Matches',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    status: { enum: ['alive', 'deceased'] },
                    kind: { const: 'person' },
                    state: { enum: STATES },
                  },
                },
              },
            },
          },
          '400': {
            description: 'A problem',
            content: {
              'application/problem+json': {
                schema: {
                  type: 'object',
                  required: ['type', 'title'],
                  properties: { type: { type: 'string' }, title: { type: 'string' } },
                },
              },
            },
          },
        },
      },
    },
  },
}

const spec = indexSpec('messages.openapi.json', document)
const validator = specValidator(spec)
const operation = spec.operation('searchPersons')!

const response = (input: Partial<ResponseInput>): string[] =>
  validator
    .validateResponse(operation, {
      status: 200,
      headers: { get: () => null },
      body: {},
      contentType: 'application/json',
      ...input,
    })
    .map((d) => d.message)

test('names the value sent and the allowed ones for an enum', () => {
  expect(response({ body: { status: 'ALIVE' } })).toEqual([
    'body/status: "ALIVE" is not one of "alive", "deceased"',
  ])
})

test('names the value sent and the one allowed for a const', () => {
  expect(response({ body: { kind: 'company' } })).toEqual(['body/kind: "company" is not "person"'])
})

test('lists at most twelve allowed values and counts the rest', () => {
  expect(response({ body: { state: 42 } })).toEqual([
    `body/state: 42 is not one of ${STATES.slice(0, 12)
      .map((s) => `"${s}"`)
      .join(', ')} and 3 more`,
  ])
})

test('names the value of a query parameter outside its enum', () => {
  const diagnostics = validator.validateRequest(operation, {
    pathParams: {},
    query: new URLSearchParams('status=ALIVE'),
    headers: { get: () => null },
    body: undefined,
  })
  expect(diagnostics.map((d) => d.message)).toEqual([
    'query.status: "ALIVE" is not one of "alive", "deceased"',
  ])
})

test('says a body under a JSON content type that is not JSON is not, quoting its start', () => {
  const page = `<html><head><title>Bad Gateway</title></head><body>${'-'.repeat(100)}</body></html>`
  expect(response({ body: page, contentType: 'application/json; charset=utf-8' })).toEqual([
    'body is not JSON although content-type is application/json: "<html><head><title>Bad Gateway</title></head><body>---------…"',
  ])
})

test('holds an error answer sent as text to the documented error shape when its body is JSON', () => {
  expect(
    response({ status: 400, body: '{"title":"Bad request"}', contentType: 'text/plain' }),
  ).toEqual([
    'content type text/plain is not one of application/problem+json',
    'body/type is required',
  ])
  expect(
    response({ status: 400, body: '{"type":"urn:x","title":"Bad"}', contentType: 'text/html' }),
  ).toEqual(['content type text/html is not one of application/problem+json'])
})

test('reads no shape into a successful answer sent under an undeclared type', () => {
  expect(response({ body: '{"status":"ALIVE"}', contentType: 'text/plain' })).toEqual([
    'content type text/plain is not one of application/json',
  ])
})
