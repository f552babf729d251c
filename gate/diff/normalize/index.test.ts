import { expect, test } from 'vitest'
import { normalizeDocument, schemaFrom30 } from './index.ts'

test('rewrites nullable as a null type, also in enums', () => {
  expect(schemaFrom30({ type: 'string', nullable: true })).toEqual({ type: ['string', 'null'] })
  expect(schemaFrom30({ type: 'string', enum: ['a'], nullable: true })).toEqual({
    type: ['string', 'null'],
    enum: ['a', null],
  })
  expect(schemaFrom30({ type: 'string', nullable: false })).toEqual({ type: 'string' })
})

test('allows null next to a $ref that cannot take a type', () => {
  expect(schemaFrom30({ $ref: '#/components/schemas/A', nullable: true })).toEqual({
    anyOf: [{ $ref: '#/components/schemas/A' }, { type: 'null' }],
  })
})

test('turns boolean exclusive bounds into numbers', () => {
  expect(schemaFrom30({ type: 'number', minimum: 0, exclusiveMinimum: true })).toEqual({
    type: 'number',
    exclusiveMinimum: 0,
  })
  expect(schemaFrom30({ type: 'number', maximum: 9, exclusiveMaximum: false })).toEqual({
    type: 'number',
    maximum: 9,
  })
})

test('rewrites nested subschemas and keeps shared ones shared', () => {
  const shared = { type: 'integer', nullable: true }
  const out = schemaFrom30({
    type: 'object',
    properties: { a: shared, b: shared },
    items: { oneOf: [shared] },
  }) as { properties: { a: unknown; b: unknown } }
  expect(out.properties.a).toEqual({ type: ['integer', 'null'] })
  expect(out.properties.a).toBe(out.properties.b)
})

test('leaves a 3.1 document alone and rewrites every schema of a 3.0 one', () => {
  const v31 = { openapi: '3.1.0', paths: {} }
  expect(normalizeDocument(v31)).toBe(v31)
  const v30 = normalizeDocument({
    openapi: '3.0.3',
    paths: {
      '/a': {
        get: {
          parameters: [{ name: 'q', in: 'query', schema: { type: 'string', nullable: true } }],
          responses: {},
        },
      },
    },
    components: { schemas: { A: { type: 'number', nullable: true } } },
  })
  expect(v30.paths['/a'].get.parameters[0].schema).toEqual({ type: ['string', 'null'] })
  expect(v30.components.schemas.A).toEqual({ type: ['number', 'null'] })
})
