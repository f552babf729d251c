import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { SildInputError, type JsonPath } from '../../../specs/source-file/index.ts'
import extensionsSchema from '../x-sild.schema.json' with { type: 'json' }
import type { Locator } from './locator.ts'
import { didYouMean } from './suggest.ts'

const ARAZZO_HINT =
  'See https://spec.openapis.org/arazzo/v1.0.1 for the structure of an Arazzo document.'
export type Validators = { arazzo: ValidateFunction; extensions: ValidateFunction }
let validators: Validators | undefined

/** Where the build writes the validators, compiled ahead, beside this module (bin/build.js). */
export const PREBUILT_VALIDATORS = 'arazzo-validators.cjs'

const compile = (): Validators => {
  // Compiling the OAI's schema is most of a small run's start-up: the package ships it compiled.
  // From the sources (no build) it is compiled here, the same way the build does.
  const prebuilt = fileURLToPath(new URL(`./${PREBUILT_VALIDATORS}`, import.meta.url))
  if (existsSync(prebuilt)) return createRequire(import.meta.url)(prebuilt) as Validators
  return compileValidators()
}

/** The validators compiled here and now, as a run from the sources has them. */
export const compileValidators = (): Validators => {
  const { ajv, schemas } = validatorAjv(false)
  return { arazzo: ajv.compile(schemas.arazzo), extensions: ajv.compile(schemas.extensions) }
}

/** The two validators as the source of a CommonJS module, for the build to write. */
export const prebuiltValidatorsSource = async (): Promise<string> => {
  const { default: standaloneCode } = await import('ajv/dist/standalone/index.js')
  const { ajv, schemas } = validatorAjv(true)
  ajv.addSchema(schemas.arazzo).addSchema(schemas.extensions)
  return standaloneCode.default(ajv, {
    arazzo: schemas.arazzo.$id,
    extensions: schemas.extensions.$id,
  })
}

const validatorAjv = (keepSource: boolean) => {
  // Unoptimised code compiles the large schema in about half the time and validates as fast.
  const ajv = new Ajv2020({
    allErrors: true,
    strict: false,
    verbose: true,
    code: { optimize: false, source: keepSource },
    // The OAI's schema and Sild's extension schema are fixed and held valid by their tests;
    // checking them against the meta-schema on every run would compile the meta-schema first.
    validateSchema: false,
  })
  addFormats.default(ajv)
  const schemas = arazzoSchemas()
  for (const schema of schemas.jsonSchema) if (!ajv.getSchema(schema.$id)) ajv.addSchema(schema)
  return { ajv, schemas }
}

/**
 * The schemas a document is validated against: the draft 2020-12 vocabulary the OAI's schema
 * refers to, the OAI's Arazzo 1.0 schema (corrected), and Sild's extensions. The official schema
 * ships with Spectral; reading it from there keeps it the OAI's, not a copy.
 */
export const arazzoSchemas = () => {
  const root = join(
    dirname(createRequire(import.meta.url).resolve('@stoplight/spectral-rulesets/package.json')),
    'dist/arazzo/schemas',
  )
  const read = (file: string) =>
    JSON.parse(readFileSync(join(root, file), 'utf8')) as { $id: string }
  return {
    jsonSchema: [
      'json-schema/draft-2020-12/validation.json',
      'json-schema/draft-2020-12/index.json',
    ].map(read),
    arazzo: withKnownBugsFixed(read('arazzo/v1.0/index.json')),
    extensions: extensionsSchema as { $id: string },
  }
}

type SchemaNode = Record<string, unknown>

/**
 * The official schema rejects two constructs the specification allows, so it is corrected in
 * memory, at exactly these places: a criterion's `type` may be a criterion expression type object
 * (https://github.com/OAI/Arazzo-Specification/issues/336), and a `retry` failure action may
 * leave out `retryAfter` (https://github.com/OAI/Arazzo-Specification/issues/342).
 */
export const withKnownBugsFixed = <T extends { $id: string }>(schema: T): T => {
  const defs = (schema as unknown as { $defs: Record<string, SchemaNode> }).$defs
  const criterion = defs['criterion-object']
  const branches = criterion?.anyOf as SchemaNode[] | undefined
  const typeObject = branches?.findIndex(
    (b) => b.$ref === '#/$defs/criterion-expression-type-object',
  )
  if (branches && typeObject !== undefined && typeObject >= 0) {
    branches[typeObject] = {
      type: 'object',
      properties: { type: { $ref: '#/$defs/criterion-expression-type-object' } },
    }
  }
  const failure = defs['failure-action-object']
  if (Array.isArray(failure?.allOf)) {
    failure.allOf = (failure.allOf as SchemaNode[]).filter(
      (rule) => !JSON.stringify(rule.then ?? {}).includes('"retryAfter"'),
    )
  }
  return schema
}

/** Throws one SildInputError at the first violation of the official Arazzo 1.0 schema. */
export const assertArazzoDocument = (document: unknown, locate: Locator): void => {
  validators ??= compile()
  if (validators.arazzo(document)) return
  throw toError(
    validators.arazzo.errors ?? [],
    document,
    locate,
    'invalid Arazzo document',
    ARAZZO_HINT,
  )
}

/** Throws one SildInputError at the first misuse of an `x-sild-*` key. */
export const assertSildExtensions = (document: unknown, locate: Locator): void => {
  validators ??= compile()
  if (validators.extensions(document)) return
  throw toError(
    validators.extensions.errors ?? [],
    document,
    locate,
    'invalid Sild extension',
    EXTENSIONS_HINT,
  )
}

type Finding = { path: string[]; owner: string; message: string; unknownProperty: boolean }

const toError = (
  errors: ErrorObject[],
  document: unknown,
  locate: Locator,
  what: string,
  hint: string,
): SildInputError => {
  const findings = explain(errors, document)
  // An unknown key usually is the misspelt required one: report the cause, not the symptom.
  const withUnknown = new Set(findings.filter((f) => f.unknownProperty).map((f) => f.owner))
  const kept = findings.filter((f) => f.unknownProperty || !withUnknown.has(f.owner))
  const located = kept.map((f) => ({
    ...f,
    at: f.unknownProperty ? locate.key(f.path) : locate.value(f.path),
  }))
  located.sort(
    (a, b) => a.at.line - b.at.line || a.at.column - b.at.column || b.path.length - a.path.length,
  )
  const first = located[0]
  if (!first) return new SildInputError(what, locate.value([]), hint)
  const where = first.path.length ? ` at ${first.path.join('.')}` : ''
  return new SildInputError(`${what}: ${first.message}${where}`, first.at, hint)
}

// Where each extension may appear, read from the schema so the message cannot drift from it.
const EXTENSION_HOMES: Record<string, string> = (() => {
  const defs = extensionsSchema.$defs as Record<string, { properties?: object }>
  const homes: Record<string, string[]> = {}
  for (const [def, kind] of [
    ['info', 'the info object'],
    ['sourceDescription', 'a source description'],
    ['workflow', 'a workflow'],
    ['step', 'a step'],
  ] as const) {
    for (const key of Object.keys(defs[def]?.properties ?? {}).filter((k) =>
      k.startsWith('x-sild-'),
    )) {
      ;(homes[key] ??= []).push(kind)
    }
  }
  return Object.fromEntries(Object.entries(homes).map(([key, kinds]) => [key, kinds.join(' or ')]))
})()

const EXTENSIONS_HINT = `Sild's extensions: ${Object.entries(EXTENSION_HOMES)
  .map(([key, home]) => `${key} on ${home}`)
  .join(', ')} (runner/scenario/x-sild.schema.json).`

const WRAPPERS = new Set(['oneOf', 'anyOf', 'allOf', 'if', '$ref', '$dynamicRef'])
const STEP = /^\/workflows\/\d+\/steps\/\d+$/
const LIST_ITEM =
  /^(.*\/(?:parameters|onSuccess|onFailure|successActions|failureActions)\/\d+)(?:\/.*)?$/

const explain = (errors: ErrorObject[], document: unknown): Finding[] => {
  const findings: Finding[] = []
  const explained = new Set<string>()
  for (const error of errors) {
    const special = error.keyword === 'oneOf' ? explainOneOf(error, document) : undefined
    if (special && !explained.has(error.instancePath)) {
      explained.add(error.instancePath)
      findings.push({
        path: split(error.instancePath),
        owner: error.instancePath,
        message: special,
        unknownProperty: false,
      })
    }
  }
  for (const error of errors) {
    if (WRAPPERS.has(error.keyword)) continue
    if (
      error.keyword === 'required' &&
      explained.has(error.instancePath) &&
      error.schemaPath.includes('/oneOf/')
    )
      continue
    if (isOtherBranch(error, document)) continue
    findings.push(describe(error))
  }
  return findings
}

// Arazzo's step target and goto target are oneOf's whose branch errors read as nonsense on their own.
const explainOneOf = (error: ErrorObject, document: unknown): string | undefined => {
  const node = at(document, error.instancePath)
  if (!isObject(node)) return undefined
  if (STEP.test(error.instancePath)) {
    const present = ['operationId', 'operationPath', 'workflowId'].filter((k) => k in node)
    if (present.length === 1) return undefined
    return `a step needs exactly one of operationId, operationPath or workflowId${
      present.length ? ` (it has ${present.join(' and ')})` : ''
    }`
  }
  if (node.type === 'goto' && !('reference' in node)) {
    const present = ['stepId', 'workflowId'].filter((k) => k in node)
    if (present.length === 1) return undefined
    return `a goto action needs exactly one of stepId or workflowId${present.length ? ' (it has both)' : ''}`
  }
  return undefined
}

// Parameters and actions may be written inline or as `{ reference }`; errors from the form the
// author did not use are noise.
const isOtherBranch = (error: ErrorObject, document: unknown): boolean => {
  const item = LIST_ITEM.exec(error.instancePath)?.[1]
  if (item === undefined) return false
  const node = at(document, item)
  if (!isObject(node)) return false
  const property = unknownPropertyOf(error)
  if ('reference' in node) {
    if (error.keyword === 'required') {
      return (error.params as { missingProperty: string }).missingProperty !== 'reference'
    }
    return property === 'reference' || property === 'value'
  }
  if (error.keyword === 'required') {
    return (error.params as { missingProperty: string }).missingProperty === 'reference'
  }
  return property !== undefined && error.schemaPath.includes('reusable-object')
}

const describe = (error: ErrorObject): Finding => {
  const path = split(error.instancePath)
  const params = error.params as Record<string, unknown>
  const property = unknownPropertyOf(error)
  if (property !== undefined) {
    const known = Object.keys(
      (error.parentSchema as { properties?: object } | undefined)?.properties ?? {},
    )
    const home = EXTENSION_HOMES[property]
    const message = !property.startsWith('x-sild-')
      ? `unknown property "${property}"${didYouMean(property, known)}`
      : home
        ? `"${property}" does not belong on ${kindOf(path)}; it goes on ${home}`
        : `unknown Sild extension "${property}"${didYouMean(property, Object.keys(EXTENSION_HOMES))}`
    return { path: [...path, property], owner: error.instancePath, message, unknownProperty: true }
  }
  const message =
    error.instancePath === '/arazzo' && error.keyword === 'pattern'
      ? 'must be an Arazzo 1.0.x version such as 1.0.1 (Sild reads Arazzo 1.0 documents)'
      : messageOf(error, params)
  return { path, owner: error.instancePath, message, unknownProperty: false }
}

const messageOf = (error: ErrorObject, params: Record<string, unknown>): string => {
  // Sild's own schema words its messages with the ajv-errors style `errorMessage` annotation.
  const custom = (error.parentSchema as { errorMessage?: unknown } | undefined)?.errorMessage
  if (typeof custom === 'string') return custom
  switch (error.keyword) {
    case 'required':
      return `missing required property "${String(params.missingProperty)}"`
    case 'dependentRequired':
      return `"${String(params.property)}" needs "${String(params.missingProperty)}" next to it`
    case 'enum':
      return `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`
    case 'const':
      return `must be ${JSON.stringify(params.allowedValue)}`
    case 'pattern':
      return `does not match the pattern ${String(params.pattern)}`
    case 'type':
      return `must be ${Array.isArray(params.type) ? params.type.join(' or ') : String(params.type)}`
    case 'minItems':
      return `must have at least ${String(params.limit)} item${params.limit === 1 ? '' : 's'}`
    case 'uniqueItems':
      return `must not repeat an item (items ${String(params.j)} and ${String(params.i)} are equal)`
    case 'false schema':
      return 'is not allowed here'
    default:
      return error.message ?? error.keyword
  }
}

const unknownPropertyOf = (error: ErrorObject): string | undefined => {
  if (error.keyword === 'unevaluatedProperties') {
    return String((error.params as { unevaluatedProperty: string }).unevaluatedProperty)
  }
  if (error.keyword === 'additionalProperties') {
    return String((error.params as { additionalProperty: string }).additionalProperty)
  }
  return undefined
}

const kindOf = (path: JsonPath): string => {
  const last = path[path.length - 2]
  if (path.length === 0) return 'the document'
  if (path.length === 1 && path[0] === 'info') return 'info'
  if (last === 'sourceDescriptions') return 'a source description'
  if (last === 'workflows') return 'a workflow'
  if (last === 'steps') return 'a step'
  return 'this object'
}

const split = (pointer: string): string[] =>
  pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))

const at = (document: unknown, pointer: string): unknown =>
  split(pointer).reduce<unknown>(
    (node, key) =>
      isObject(node) || Array.isArray(node) ? (node as Record<string, unknown>)[key] : undefined,
    document,
  )

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
