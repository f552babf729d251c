import { expect, test } from 'vitest'
import { compareDocuments } from '../index.ts'

const api = (operation: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  openapi: '3.1.0',
  info: { title: 't', version: '1' },
  paths: {
    '/things': {
      get: { operationId: 'listThings', responses: { '200': { description: 'ok' } }, ...operation },
    },
  },
  components: {
    securitySchemes: {
      key: { type: 'apiKey', in: 'header', name: 'X-Key' },
      oauth: {
        type: 'oauth2',
        flows: {
          clientCredentials: {
            tokenUrl: 'https://t.example/token',
            scopes: { read: 'r', write: 'w' },
          },
        },
      },
    },
  },
  ...extra,
})

const classify = (before: Record<string, unknown>, after: Record<string, unknown>) =>
  compareDocuments(before, after).classified.map((c) => `${c.rule} ${c.breaks.join('+')}`.trim())

test('adding an alternative security requirement keeps old clients working', () => {
  expect(
    classify(
      api({ security: [{ key: [] }] }),
      api({ security: [{ key: [] }, { oauth: ['read'] }] }),
    ),
  ).toEqual(['security-relaxed'])
})

test('asking for one more scope breaks clients', () => {
  expect(
    classify(
      api({ security: [{ oauth: ['read'] }] }),
      api({ security: [{ oauth: ['read', 'write'] }] }),
    ),
  ).toEqual(['security-changed clients'])
})

test('requiring credentials where none were needed breaks clients; dropping them does not', () => {
  expect(classify(api({}), api({ security: [{ key: [] }] }))).toEqual(['security-changed clients'])
  expect(classify(api({ security: [{ key: [] }] }), api({ security: [] }))).toEqual([
    'security-relaxed',
  ])
  expect(classify(api({ security: [{ key: [] }] }), api({ security: [{}, { key: [] }] }))).toEqual([
    'security-relaxed',
  ])
})

const body = (side: 'request' | 'response', schema: Record<string, unknown>) =>
  side === 'request'
    ? api({ requestBody: { content: { 'application/json': { schema } } } })
    : api({
        responses: { '200': { description: 'ok', content: { 'application/json': { schema } } } },
      })

test('a type that now also allows null breaks clients reading it, not clients sending it', () => {
  const before = { type: 'object', properties: { a: { type: 'string' } } }
  const after = { type: 'object', properties: { a: { type: ['string', 'null'] } } }
  expect(classify(body('request', before), body('request', after))).toEqual([
    'request-type-widened',
  ])
  expect(classify(body('response', before), body('response', after))).toEqual([
    'response-type-widened clients',
  ])
})

test('integer to number widens, number to integer narrows', () => {
  const schema = (type: string) => ({ type: 'object', properties: { n: { type } } })
  expect(classify(body('request', schema('integer')), body('request', schema('number')))).toEqual([
    'request-type-widened',
  ])
  expect(classify(body('response', schema('number')), body('response', schema('integer')))).toEqual(
    ['response-type-narrowed providers'],
  )
})

test('closing an object to unknown properties breaks clients that send more', () => {
  const open = { type: 'object', properties: { a: { type: 'string' } } }
  expect(
    classify(body('request', open), body('request', { ...open, additionalProperties: false })),
  ).toEqual(['request-constraint-tightened clients'])
})

test('removing a request property breaks clients only where the object is closed', () => {
  const before = { type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' } } }
  const after = { type: 'object', properties: { a: { type: 'string' } } }
  expect(classify(body('request', before), body('request', after))).toEqual([
    'request-property-removed',
  ])
  expect(
    classify(body('request', before), body('request', { ...after, additionalProperties: false })),
  ).toContain('request-property-removed clients')
})

test('a multipleOf that divides the old one widens; a multiple of it narrows', () => {
  const schema = (multipleOf: number) => ({
    type: 'object',
    properties: { n: { type: 'number', multipleOf } },
  })
  expect(classify(body('request', schema(0.5)), body('request', schema(0.25)))).toEqual([
    'request-constraint-relaxed',
  ])
  expect(classify(body('request', schema(0.5)), body('request', schema(1)))).toEqual([
    'request-constraint-tightened clients',
  ])
})

test('a default value that changes is not breaking but is reported', () => {
  const schema = (d: number) => ({
    type: 'object',
    properties: { n: { type: 'integer', default: d } },
  })
  expect(classify(body('request', schema(10)), body('request', schema(20)))).toEqual([
    'request-default-changed',
  ])
})

const withPath = (template: string, operation: Record<string, unknown>) => ({
  openapi: '3.1.0',
  info: { title: 't', version: '1' },
  paths: { [template]: { get: { responses: { '200': { description: 'ok' } }, ...operation } } },
})

test('declaring a path parameter the URL template already had is no change to clients', () => {
  const id = { name: 'id', in: 'path', required: true, schema: { type: 'string' } }
  expect(
    classify(withPath('/things/{id}', {}), withPath('/things/{id}', { parameters: [id] })),
  ).toEqual(['path-parameter-declared'])
})

test('a success status that became another breaks clients and providers', () => {
  const created = { responses: { '201': { description: 'created' } } }
  expect(classify(withPath('/things', {}), withPath('/things', created))).toContain(
    'response-success-status-changed clients+providers',
  )
})

test('a free response string narrowed to an enum breaks providers', () => {
  const body = (schema: Record<string, unknown>) => ({
    responses: {
      '200': { description: 'ok', content: { 'application/json': { schema } } },
    },
  })
  const before = body({ type: 'object', properties: { state: { type: 'string' } } })
  const after = body({
    type: 'object',
    properties: { state: { type: 'string', enum: ['a', 'b'] } },
  })
  expect(classify(withPath('/things', before), withPath('/things', after))).toEqual([
    'response-enum-added providers',
  ])
})

test('removing every security requirement and the scheme relaxes, and never says undefined', () => {
  const before = api({ security: [{ oauth: ['read'] }] })
  const after = { ...api({}), components: {} }
  const { classified } = compareDocuments(before, after)
  expect(classified.map((c) => `${c.rule} ${c.breaks.join('+')}`.trim()).sort()).toEqual([
    'annotation-changed',
    'security-relaxed',
  ])
  expect(classified.map((c) => c.message).join('\n')).not.toMatch(/undefined/)
})

test('an OAuth scope added to a scheme asks nothing of clients; one removed refuses them', () => {
  const scopes = (s: Record<string, string>) => ({
    ...api({}),
    components: {
      securitySchemes: {
        oauth: {
          type: 'oauth2',
          flows: { clientCredentials: { tokenUrl: 'https://t.example/token', scopes: s } },
        },
      },
    },
  })
  expect(classify(scopes({ read: 'r' }), scopes({ read: 'r', write: 'w' }))).toEqual([
    'annotation-changed',
  ])
  expect(classify(scopes({ read: 'r', write: 'w' }), scopes({ read: 'r' }))).toEqual([
    'security-scheme-changed clients',
  ])
})

test('a new webhook is not breaking; a removed one breaks its subscribers', () => {
  const hook = {
    post: {
      requestBody: { content: { 'application/json': { schema: {} } } },
      responses: { '200': { description: 'ok' } },
    },
  }
  expect(classify(api({}), api({}, { webhooks: { created: hook } }))).toEqual(['webhook-added'])
  expect(classify(api({}, { webhooks: { created: hook } }), api({}))).toEqual([
    'webhook-removed clients',
  ])
})

test('a moved base path breaks clients; a new host alone does not', () => {
  const at = (url: string) => api({}, { servers: [{ url }] })
  expect(classify(at('https://a.example/api/v1'), at('https://a.example/api/v2'))).toEqual([
    'server-base-path-changed clients',
  ])
  expect(classify(at('https://a.example/api/v1'), at('https://b.example/api/v1'))).toEqual([
    'servers-changed',
  ])
})
