import type { OpenApiDocument } from '../../../specs/openapi/index.ts'
import {
  SUBSCHEMA_KEYWORDS,
  SUBSCHEMA_LIST_KEYWORDS,
  SUBSCHEMA_MAP_KEYWORDS,
} from '../../../specs/openapi/schema-keywords.ts'

type Json = Record<string, unknown>

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** True for OpenAPI 3.0.x documents, whose schemas are a JSON Schema draft 4 dialect. */
export const isOpenApi30 = (document: unknown): boolean =>
  isObject(document) && typeof document.openapi === 'string' && document.openapi.startsWith('3.0')

/**
 * Rewrites an OpenAPI 3.0 schema in JSON Schema 2020-12 terms (the dialect of OpenAPI 3.1):
 * `nullable: true` becomes a `'null'` type, boolean `exclusiveMinimum`/`exclusiveMaximum` become
 * numbers. Returns a copy; shared and circular subschemas stay shared and circular.
 */
export const schemaFrom30 = (schema: unknown, seen = new Map<object, unknown>()): unknown => {
  if (Array.isArray(schema)) return schema.map((s) => schemaFrom30(s, seen))
  if (!isObject(schema)) return schema
  const done = seen.get(schema)
  if (done) return done
  const out: Json = {}
  seen.set(schema, out)
  for (const [key, value] of Object.entries(schema)) {
    if (SUBSCHEMA_KEYWORDS.includes(key)) out[key] = schemaFrom30(value, seen)
    else if (SUBSCHEMA_LIST_KEYWORDS.includes(key) && Array.isArray(value))
      out[key] = value.map((s) => schemaFrom30(s, seen))
    else if (SUBSCHEMA_MAP_KEYWORDS.includes(key) && isObject(value))
      out[key] = Object.fromEntries(
        Object.entries(value).map(([name, s]) => [name, schemaFrom30(s, seen)]),
      )
    else out[key] = value
  }
  rewriteBounds(out, 'exclusiveMinimum', 'minimum')
  rewriteBounds(out, 'exclusiveMaximum', 'maximum')
  if ('nullable' in out) {
    const nullable = out.nullable === true
    delete out.nullable
    if (nullable) makeNullable(out)
  }
  return out
}

const rewriteBounds = (schema: Json, exclusive: string, inclusive: string) => {
  if (typeof schema[exclusive] !== 'boolean') return
  if (schema[exclusive] === true && typeof schema[inclusive] === 'number') {
    schema[exclusive] = schema[inclusive]
    delete schema[inclusive]
  } else {
    delete schema[exclusive]
  }
}

const makeNullable = (schema: Json) => {
  if (Array.isArray(schema.enum) && !schema.enum.includes(null))
    schema.enum = [...schema.enum, null]
  if (typeof schema.type === 'string') schema.type = [schema.type, 'null']
  else if (Array.isArray(schema.type)) {
    if (!schema.type.includes('null')) schema.type = [...schema.type, 'null']
  } else if (!Array.isArray(schema.enum)) {
    // No type to widen (a $ref or a combinator): allow null next to whatever the schema allows.
    const rest = { ...schema }
    for (const key of Object.keys(schema)) delete schema[key]
    schema.anyOf = [rest, { type: 'null' }]
  }
}

/**
 * An OpenAPI 3.0 document with every schema rewritten by `schemaFrom30`, so it compares with a
 * 3.1 document on equal terms. Documents of other versions are returned as they are.
 */
export const normalizeDocument = (document: OpenApiDocument): OpenApiDocument => {
  if (!isOpenApi30(document)) return document
  const seen = new Map<object, unknown>()
  const walk = (node: unknown, inSchemas: boolean): unknown => {
    if (Array.isArray(node)) return node.map((n) => walk(n, false))
    if (!isObject(node)) return node
    const out: Json = {}
    for (const [key, value] of Object.entries(node)) {
      if (inSchemas) out[key] = schemaFrom30(value, seen)
      else if (key === 'schema' && isObject(value)) out[key] = schemaFrom30(value, seen)
      else out[key] = walk(value, key === 'schemas')
    }
    return out
  }
  return walk(document, false) as OpenApiDocument
}
