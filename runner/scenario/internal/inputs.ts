import { SildInputError } from '../../../specs/source-file/index.ts'
import type { ElementPath } from '../types.ts'
import type { Context, RawWorkflow } from './context.ts'
import { didYouMean, listOf } from './suggest.ts'

/** Input values from a partner file: by workflowId, or `'*'` for every workflow that declares them. */
export type InputOverrides = Record<string, Record<string, unknown>>

type Schema = Record<string, unknown>

const PREFIX = '#/components/inputs/'

/** The workflow's `inputs` schema with `$ref`s to `#/components/inputs/…` inlined (the executor gets one self-contained schema). */
export const inputsSchemaOf = (
  ctx: Context,
  raw: RawWorkflow,
  path: ElementPath,
): Schema | undefined =>
  raw.inputs === undefined ? undefined : (inline(ctx, raw.inputs, [...path, 'inputs'], 0) as Schema)

const inline = (ctx: Context, node: unknown, path: ElementPath, depth: number): unknown => {
  if (Array.isArray(node)) return node.map((item, i) => inline(ctx, item, [...path, i], depth))
  if (node === null || typeof node !== 'object') return node
  const record = node as Schema
  const ref = record.$ref
  if (typeof ref === 'string' && ref.startsWith(PREFIX)) {
    const name = ref.slice(PREFIX.length)
    const inputs = (ctx.doc.components?.inputs ?? {}) as Schema
    if (!Object.hasOwn(inputs, name)) {
      const known = Object.keys(inputs)
      ctx.fail(
        `unknown component "${name}" in components.inputs${didYouMean(name, known)}; known: ${listOf(known)}`,
        [...path, '$ref'],
        'Declare the schema under components.inputs or fix the $ref.',
        PREFIX.length,
      )
    }
    if (depth > 16) {
      ctx.fail(
        `components.inputs.${name} refers to itself`,
        [...path, '$ref'],
        'Break the $ref loop in components.inputs.',
      )
    }
    const { $ref: _, ...rest } = record
    const target = inline(ctx, inputs[name], ['components', 'inputs', name], depth + 1) as Schema
    return Object.keys(rest).length
      ? { allOf: [target], ...(inline(ctx, rest, path, depth) as Schema) }
      : target
  }
  return Object.fromEntries(
    Object.entries(record).map(([k, v]) => [k, inline(ctx, v, [...path, k], depth)]),
  )
}

/** The input names a workflow declares: the `properties` of its inputs schema (and of its `allOf` parts). */
export const declaredInputs = (ctx: Context, raw: RawWorkflow): string[] => {
  const index = ctx.doc.workflows.indexOf(raw)
  return Object.keys(propertiesOf(inputsSchemaOf(ctx, raw, ['workflows', index])))
}

export const propertiesOf = (schema: Schema | undefined): Record<string, Schema> => {
  if (!schema) return {}
  const own = (schema.properties ?? {}) as Record<string, Schema>
  const parts = Array.isArray(schema.allOf) ? (schema.allOf as Schema[]) : []
  return Object.assign({}, ...parts.map(propertiesOf), own) as Record<string, Schema>
}

/** The `default` of each input, replaced by the overrides (`'*'` first, then the workflow's own). */
export const inputDefaults = (
  workflowId: string,
  schema: Schema | undefined,
  overrides: InputOverrides,
): Record<string, unknown> => {
  const properties = propertiesOf(schema)
  const names = Object.keys(properties)
  const values: Record<string, unknown> = {}
  for (const [name, property] of Object.entries(properties)) {
    if (property && typeof property === 'object' && 'default' in property) {
      values[name] = structuredClone(property.default)
    }
  }
  for (const [name, value] of Object.entries(overrides['*'] ?? {})) {
    if (names.includes(name)) values[name] = coerce(structuredClone(value), properties[name])
  }
  for (const [name, value] of Object.entries(overrides[workflowId] ?? {})) {
    if (!names.includes(name)) {
      throw new SildInputError(
        `input override "${name}" for workflow "${workflowId}": the workflow has no such input${didYouMean(name, names)}; its inputs: ${listOf(names)}`,
        undefined,
        'Overrides replace the defaults of inputs the workflow declares; fix the name in the partner file.',
      )
    }
    values[name] = structuredClone(value)
  }
  return values
}

// A value given on the command line is text; an input declared as a number or boolean gets one.
const coerce = (value: unknown, property: Schema | undefined): unknown => {
  if (typeof value !== 'string' || !property) return value
  const type = property.type
  if (
    (type === 'number' || type === 'integer') &&
    value.trim() !== '' &&
    !Number.isNaN(Number(value))
  )
    return Number(value)
  if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true'
  return value
}
