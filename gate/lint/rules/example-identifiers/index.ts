import { createRulesetFunction, type IFunctionResult } from '@stoplight/spectral-core'
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { addIdentifierFormats, formats, isFormatName } from '../../../../specs/formats/index.ts'
import { isOpenApi30, schemaFrom30 } from '../../../diff/normalize/index.ts'
import { isObject, walkDocument, type Json, type Path } from '../../internal/walk.ts'

type Sample = { value: unknown; path: Path; schema: Json }

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
    for (const sample of samples) {
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

const holderSamples = (holder: Json, path: Path): Sample[] => {
  const schema = holder.schema as Json
  const out: Sample[] = []
  if ('example' in holder) out.push({ value: holder.example, path: [...path, 'example'], schema })
  if (isObject(holder.examples)) {
    for (const [name, example] of Object.entries(holder.examples)) {
      if (isObject(example) && 'value' in example)
        out.push({ value: example.value, path: [...path, 'examples', name, 'value'], schema })
    }
  }
  return out
}

const ajv = addIdentifierFormats(
  new Ajv2020({ strict: false, allErrors: true, validateSchema: false, logger: false }),
)
addFormats.default(ajv)
const compiled = new WeakMap<Json, ValidateFunction | null>()

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
