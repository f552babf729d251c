import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js'
import { SildInputError, type LoadedSource } from '../source-file/index.ts'

// The schemas are Sild's own, held valid by their test: checking them against the meta-schema on
// every start would compile the meta-schema first.
const ajv = new Ajv2020({ allErrors: true, strict: false, validateSchema: false })
const compiled = new WeakMap<object, ValidateFunction>()

/**
 * Validates a loaded YAML/JSON source against a JSON Schema and throws one SildInputError at the
 * most specific violation, with its file:line:column.
 */
export const assertMatchesSchema = (
  schema: object,
  source: LoadedSource,
  what: string,
  hint: string,
): void => {
  let validate = compiled.get(schema)
  if (!validate) {
    validate = ajv.compile(schema)
    compiled.set(schema, validate)
  }
  if (validate(source.value)) return
  const error = mostSpecific(validate.errors ?? [])
  if (!error) return
  const path = pathOf(error)
  throw new SildInputError(
    `${what}: ${describe(error)}${path.length ? ` at ${path.join('.')}` : ''}`,
    source.locate(path),
    hint,
  )
}

// The deepest error is the one a person can act on; anyOf/oneOf wrappers say less than their branches.
const mostSpecific = (errors: ErrorObject[]): ErrorObject | undefined =>
  [...errors]
    .filter((e) => !['anyOf', 'oneOf', 'if'].includes(e.keyword) || errors.length === 1)
    .sort((a, b) => pathOf(b).length - pathOf(a).length)[0] ?? errors[0]

const pathOf = (error: ErrorObject): string[] => {
  const segments = error.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
  if (error.keyword === 'additionalProperties') {
    segments.push(String((error.params as { additionalProperty: string }).additionalProperty))
  }
  return segments
}

const describe = (error: ErrorObject): string => {
  const params = error.params as Record<string, unknown>
  switch (error.keyword) {
    case 'required':
      return `missing required property "${String(params.missingProperty)}"`
    case 'additionalProperties':
      return `unknown property "${String(params.additionalProperty)}"`
    case 'enum':
      return `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`
    case 'const':
      return `must be ${JSON.stringify(params.allowedValue)}`
    case 'pattern':
      return `does not match the pattern ${String(params.pattern)}`
    case 'type':
      return `must be ${String(params.type)}`
    default:
      return error.message ?? error.keyword
  }
}
