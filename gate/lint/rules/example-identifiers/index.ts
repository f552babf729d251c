import { createRulesetFunction, type IFunctionResult } from '@stoplight/spectral-core'
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import {
  addIdentifierFormats,
  formats,
  isFormatName,
  type FormatName,
} from '../../../../specs/formats/index.ts'
import { isOpenApi30, schemaFrom30 } from '../../../diff/normalize/index.ts'
import { isObject, walkDocument, type Json, type Path } from '../../internal/walk.ts'

type Sample = { value: unknown; path: Path; schema: Json; field?: string }

/**
 * Every example whose schema names an identifier format must pass that format's check digit.
 * Spectral's own example rules check the rest of the schema but skip formats they do not know,
 * so a malformed `ee-personal-code` in an example would otherwise go unnoticed, and the mocks
 * would serve it.
 */
export const exampleIdentifiers = createRulesetFunction<unknown, null>(
  { input: null, options: null },
  function exampleIdentifiers(document, _options, context) {
    if (!isObject(document)) return []
    const is30 = isOpenApi30(document)
    const samples: Sample[] = []
    walkDocument(
      document,
      ({ schema, path }) => {
        if ('example' in schema)
          samples.push({ value: schema.example, path: [...path, 'example'], schema })
        if ('default' in schema)
          samples.push({ value: schema.default, path: [...path, 'default'], schema })
        if (Array.isArray(schema.examples))
          schema.examples.forEach((value, i) =>
            samples.push({ value, path: [...path, 'examples', i], schema }),
          )
      },
      (holder, path) => samples.push(...holderSamples(holder, path)),
    )
    const results: IFunctionResult[] = []
    for (const sample of samples) results.push(...byFieldName(sample))
    for (const sample of samples) {
      // Only an identifier format can fail here: a schema naming none needs no validator.
      if (!namesIdentifierFormat(sample.schema)) continue
      const validate = compile(sample.schema, is30)
      if (!validate || validate(sample.value)) continue
      for (const error of validate.errors ?? []) {
        const name = String((error.params as { format?: unknown }).format ?? '')
        if (error.keyword !== 'format' || !isFormatName(name)) continue
        const segments = error.instancePath
          .split('/')
          .slice(1)
          .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
        const value = valueAt(sample.value, segments)
        const verdict = typeof value === 'string' ? formats[name].validate(value) : undefined
        const reason = verdict && !verdict.valid ? verdict.reason : 'not a string'
        results.push({
          message: `example ${JSON.stringify(value)} is not a valid ${name}: ${reason}; use a real one such as ${JSON.stringify(formats[name].example)}`,
          path: [...sample.path, ...segments],
        })
      }
    }
    return results
  },
)

// Real domain specs name identifiers rather than declare Sild's formats: an X-tee service's
// `identityCode: 38302250123` is a personal code whatever its schema says.
const FIELD_FORMATS: Record<string, FormatName> = {
  identitycode: 'ee-personal-code',
  isikukood: 'ee-personal-code',
  personalcode: 'ee-personal-code',
  personalidcode: 'ee-personal-code',
  registrycode: 'ee-registry-code',
  registrikood: 'ee-registry-code',
  rnokpp: 'ua-rnokpp',
  ipn: 'ua-rnokpp',
  edrpou: 'ua-edrpou',
  edrpoucode: 'ua-edrpou',
  unzr: 'ua-unzr',
}

const formatOfField = (name: unknown): FormatName | undefined =>
  typeof name === 'string' ? FIELD_FORMATS[name.toLowerCase().replace(/[-_.\s]/g, '')] : undefined

const declaresIdentifierFormat = (schema: unknown) =>
  isObject(schema) && typeof schema.format === 'string' && isFormatName(schema.format)

/** Identifier values found by the name of their field, in an example and its nested objects. */
const byFieldName = (sample: Sample): IFunctionResult[] => {
  const out: IFunctionResult[] = []
  const check = (field: unknown, value: unknown, path: Path) => {
    const name = formatOfField(field)
    if (!name || (typeof value !== 'string' && typeof value !== 'number')) return
    const text = String(value)
    if (text === '') return
    const verdict = formats[name].validate(text)
    if (!verdict.valid)
      out.push({
        message: `example ${JSON.stringify(value)} of "${String(field)}" is not a valid ${name}: ${verdict.reason}; use a real one such as ${JSON.stringify(formats[name].example)}`,
        path,
      })
  }
  // The example of a property schema: the field is the property's name.
  const at = sample.path
  const own =
    sample.field ??
    (at.length >= 3 && at[at.length - 3] === 'properties' ? at[at.length - 2] : undefined)
  if (own !== undefined && !declaresIdentifierFormat(sample.schema)) check(own, sample.value, at)
  const visit = (value: unknown, path: Path, depth: number) => {
    if (depth > 8 || value === null || typeof value !== 'object') return
    for (const [key, child] of Object.entries(value)) {
      if (Array.isArray(value)) visit(child, [...path, Number(key)], depth + 1)
      else if (child !== null && typeof child === 'object') visit(child, [...path, key], depth + 1)
      else if (!declaresIdentifierFormat(propertySchema(sample.schema, key)))
        check(key, child, [...path, key])
    }
  }
  visit(sample.value, at, 0)
  return out
}

const propertySchema = (schema: unknown, key: string): unknown =>
  isObject(schema) && isObject(schema.properties) ? schema.properties[key] : undefined

const holderSamples = (holder: Json, path: Path): Sample[] => {
  const schema = holder.schema as Json
  const out: Sample[] = []
  // A parameter's examples are values of the field it names.
  const field = typeof holder.name === 'string' && 'in' in holder ? holder.name : undefined
  if ('example' in holder)
    out.push({
      value: holder.example,
      path: [...path, 'example'],
      schema,
      ...(field ? { field } : {}),
    })
  if (isObject(holder.examples)) {
    for (const [name, example] of Object.entries(holder.examples)) {
      if (isObject(example) && 'value' in example)
        out.push({
          value: example.value,
          path: [...path, 'examples', name, 'value'],
          schema,
          ...(field ? { field } : {}),
        })
    }
  }
  return out
}

const ajv = addIdentifierFormats(
  new Ajv2020({ strict: false, allErrors: true, validateSchema: false, logger: false }),
)
addFormats.default(ajv)
const compiled = new WeakMap<Json, ValidateFunction | null>()

const namesFormat = new WeakMap<object, boolean>()

/** Whether an identifier format is named anywhere in the schema (resolved, perhaps circular). */
const namesIdentifierFormat = (schema: unknown, seen = new Set<object>()): boolean => {
  if (schema === null || typeof schema !== 'object' || seen.has(schema)) return false
  const known = namesFormat.get(schema)
  if (known !== undefined) return known
  seen.add(schema)
  const format = (schema as Json).format
  const found =
    (typeof format === 'string' && isFormatName(format)) ||
    Object.values(schema).some((child) => namesIdentifierFormat(child, seen))
  // A partial answer inside a cycle must not be remembered as the whole one.
  if (found || seen.size === 1) namesFormat.set(schema, found)
  return found
}

// A schema Spectral could not resolve (a circular or remote $ref) cannot be compiled; Spectral's
// own rules report those, so the example is skipped here.
const compile = (schema: Json, is30: boolean): ValidateFunction | null => {
  let fn = compiled.get(schema)
  if (fn === undefined) {
    try {
      const {
        $id: _id,
        $schema: _dialect,
        ...rest
      } = (is30 ? schemaFrom30(schema) : schema) as Json
      fn = ajv.compile(rest)
    } catch {
      fn = null
    }
    compiled.set(schema, fn)
  }
  return fn
}

const valueAt = (value: unknown, segments: string[]): unknown => {
  let node = value
  for (const segment of segments) {
    if (node === null || typeof node !== 'object') return undefined
    node = (node as Record<string, unknown>)[segment]
  }
  return node
}
