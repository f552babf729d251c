import { expect, test } from 'vitest'
import { indexSpec, type OpenApiDocument } from '../../specs/openapi/index.ts'
import { exampleRequests, requiresBearer } from './examples.ts'

const document: OpenApiDocument = {
  openapi: '3.1.0',
  info: { title: 'Example', version: '1' },
  components: { securitySchemes: { token: { type: 'http', scheme: 'bearer' } } },
  security: [{ token: [] }],
  paths: {
    '/persons/{code}': {
      get: {
        operationId: 'getPerson',
        security: [],
        parameters: [
          {
            name: 'code',
            in: 'path',
            required: true,
            schema: { type: 'string' },
            examples: { mari: { value: '48001013546' }, jaan: { value: '37605173650' } },
          },
          { name: 'lang', in: 'query', schema: { type: 'string' }, example: 'et' },
        ],
        responses: { '200': { description: 'ok' } },
      },
    },
    '/companies/{registryCode}': {
      get: {
        operationId: 'getCompany',
        parameters: [{ name: 'registryCode', in: 'path', required: true }],
        responses: {
          '200': {
            description: 'ok',
            content: {
              'application/json': {
                examples: { one: { value: { company: { registryCode: '12345678' } } } },
              },
            },
          },
        },
      },
    },
    '/applications/{applicationId}': {
      post: {
        operationId: 'decide',
        parameters: [{ name: 'applicationId', in: 'path', required: true }],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              examples: { approve: { value: { decision: 'approve' } } },
            },
          },
        },
        responses: { '200': { description: 'ok' } },
      },
    },
  },
}
const spec = indexSpec('example.yaml', document)
const op = (id: string) => spec.operation(id)!

test('sends every example once, with the optional parameters that have one', () => {
  expect(exampleRequests(spec, op('getPerson')).map((r) => [r.label, r.path])).toEqual([
    ['code=mari', '/persons/48001013546?lang=et'],
    ['code=jaan', '/persons/37605173650?lang=et'],
  ])
})

test('takes a parameter without examples from the response examples', () => {
  expect(exampleRequests(spec, op('getCompany')).map((r) => r.path)).toEqual([
    '/companies/12345678',
  ])
})

test('takes a parameter found nowhere in the spec from the fallback, with the body example', () => {
  const [request] = exampleRequests(spec, op('decide'), (name) =>
    name === 'applicationId' ? 'EE-APP-2026-0003' : undefined,
  )
  expect(request).toMatchObject({
    method: 'POST',
    path: '/applications/EE-APP-2026-0003',
    headers: { 'content-type': 'application/json' },
    body: '{"decision":"approve"}',
  })
})

test('refuses to invent a required parameter that has no example anywhere', () => {
  expect(() => exampleRequests(spec, op('decide'))).toThrow(/applicationId/)
})

test('asks for a bearer token where the document requires one and the operation does not lift it', () => {
  expect([requiresBearer(spec, op('getCompany')), requiresBearer(spec, op('getPerson'))]).toEqual([
    true,
    false,
  ])
})
