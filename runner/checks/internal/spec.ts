import { isFormatName, type FormatName } from '../../../specs/formats/index.ts'
import {
  derefLocal,
  escapePointer,
  resolvePointer,
  type OperationModel,
  type ResponseModel,
  type SpecModel,
} from '../../../specs/openapi/index.ts'
import { mediaType, providerResponse, type Diagnostic } from '../../../specs/openapi/validator.ts'
import type { ExchangeContext } from '../types.ts'
import { headerOf } from './exchange.ts'

const diagnostics = new WeakMap<ExchangeContext, Diagnostic[]>()

/**
 * The validator's verdict on the response, computed once per exchange and shared by the
 * contract checks, each of which reports its own kind of diagnostic.
 */
export const responseDiagnostics = (ctx: ExchangeContext): Diagnostic[] => {
  let found = diagnostics.get(ctx)
  if (!found) {
    const response = ctx.exchange.response
    found = response
      ? ctx.validator.validateResponse(ctx.operation, {
          status: response.status,
          headers: { get: (name) => headerOf(response.headers, name) ?? null },
          body: response.body,
          contentType: headerOf(response.headers, 'content-type') ?? null,
        })
      : []
    diagnostics.set(ctx, found)
  }
  return found
}

/**
 * The response object the spec declares for a provider's answer with a status: exact, then `4XX`,
 * then `default`, leaving out those declared only for the security servers' faults.
 */
export const declaredResponse = (
  operation: OperationModel,
  status: number,
): ResponseModel | undefined => providerResponse(operation, status)

/** The identifier format a schema declares (`format: ee-personal-code`), following `$ref`s. */
export const declaredFormat = (
  spec: SpecModel,
  schemaPointer: string | undefined,
): FormatName | undefined => {
  if (!schemaPointer) return undefined
  let bySpec = formatCache.get(spec)
  if (!bySpec) formatCache.set(spec, (bySpec = new Map()))
  if (bySpec.has(schemaPointer)) return bySpec.get(schemaPointer)
  const { value } = derefLocal(
    spec.document,
    resolvePointer(spec.document, schemaPointer),
    schemaPointer,
  )
  const format: unknown = value?.format
  const found = typeof format === 'string' && isFormatName(format) ? format : undefined
  bySpec.set(schemaPointer, found)
  return found
}

const formatCache = new WeakMap<SpecModel, Map<string, FormatName | undefined>>()

/**
 * The top-level properties of a response body's schema that declare an identifier format, by name,
 * for the media type the response came with. Looks through `$ref` and `allOf`.
 */
export const topLevelIdentifierFields = (
  spec: SpecModel,
  response: ResponseModel,
  contentType: string | undefined,
): ReadonlyMap<string, FormatName> => {
  const type = mediaType(contentType)
  const pointer = type === undefined ? undefined : response.content[type]
  if (!pointer) return NONE
  // A spec's schemas do not change while it is loaded: walk each body schema once (and look up
  // each declared format once, above).
  let bySpec = identifierFieldCache.get(spec)
  if (!bySpec) identifierFieldCache.set(spec, (bySpec = new Map()))
  let fields = bySpec.get(pointer)
  if (!fields) bySpec.set(pointer, (fields = identifierFieldsAt(spec, pointer)))
  return fields
}

const NONE: ReadonlyMap<string, FormatName> = new Map()
const identifierFieldCache = new WeakMap<SpecModel, Map<string, ReadonlyMap<string, FormatName>>>()

const identifierFieldsAt = (spec: SpecModel, pointer: string): ReadonlyMap<string, FormatName> => {
  const fields = new Map<string, FormatName>()
  const visit = (at: string, depth: number): void => {
    const { value: schema, pointer: resolved } = derefLocal(
      spec.document,
      resolvePointer(spec.document, at),
      at,
    )
    if (!schema || depth > 8) return
    for (const name of Object.keys(schema.properties ?? {})) {
      const format = declaredFormat(spec, `${resolved}/properties/${escapePointer(name)}`)
      if (format) fields.set(name, format)
    }
    const allOf: unknown = schema.allOf
    if (Array.isArray(allOf)) allOf.forEach((_, i) => visit(`${resolved}/allOf/${i}`, depth + 1))
  }
  visit(pointer, 0)
  return fields
}

/** The value a diagnostic's `body/a/0/b` path points at. */
export const valueAtBodyPath = (body: unknown, path: string): unknown => {
  let node = body
  for (const segment of path.split('/').slice(1)) {
    if (node === null || typeof node !== 'object') return undefined
    node = (node as Record<string, unknown>)[segment.replace(/~1/g, '/').replace(/~0/g, '~')]
  }
  return node
}
