import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { addIdentifierFormats, formats, isFormatName } from '../formats/index.ts'
import type { OperationModel, ResponseModel, SpecModel } from './index.ts'

/** A violation of the spec, as data (never thrown). */
export type Diagnostic = {
  code: 'schema' | 'format' | 'required' | 'content-type' | 'status' | 'unknown-operation'
  severity: 'error' | 'warning'
  /** Where: `path.personalCode`, `query.birthDate`, `body/founders/0/personalCode`, `header.x-road-id`. */
  path: string
  message: string
  /** The identifier format that failed, when it was a format. */
  format?: string
}

/** What the validator reads of headers: a `Headers` object, or anything with its `get`. */
export type HeaderLookup = Pick<Headers, 'get'>

export type RequestInput = {
  pathParams: Record<string, string>
  query: URLSearchParams
  headers: HeaderLookup
  body: unknown
  contentType?: string | null
}

export type ResponseInput = {
  status: number
  headers: HeaderLookup
  body: unknown
  contentType?: string | null
}

export type SpecValidator = {
  validateRequest(operation: OperationModel, input: RequestInput): Diagnostic[]
  validateResponse(operation: OperationModel, input: ResponseInput): Diagnostic[]
}

const newAjv = (coerce: boolean) => {
  const ajv = new Ajv2020({
    strict: false,
    allErrors: true,
    coerceTypes: coerce ? 'array' : false,
    validateFormats: true,
    // A team's spec may name formats no one defines (GovStack writes `format: ""`): ajv ignores
    // them, as OpenAPI says a tool may; its console warning about each would bury the run's output.
    logger: false,
    // The document added below is an OpenAPI document, not a JSON Schema: the meta-schema has
    // nothing to say about it, and compiling the meta-schema per spec would only cost time.
    validateSchema: false,
  })
  addFormats.default(ajv)
  addIdentifierFormats(ajv)
  return ajv
}

const validators = new WeakMap<SpecModel, SpecValidator>()

/** Validates requests and responses of one spec with ajv and Sild's identifier formats. */
export const specValidator = (spec: SpecModel): SpecValidator => {
  let existing = validators.get(spec)
  if (existing) return existing
  const strictAjv = newAjv(false)
  const coercingAjv = newAjv(true)
  const id = `urn:sild:spec:${encodeURIComponent(spec.file)}`
  strictAjv.addSchema({ ...spec.document, $id: id }, id)
  coercingAjv.addSchema({ ...spec.document, $id: id }, id)
  const compiled = new Map<string, ValidateFunction>()
  const compile = (pointer: string, coerce: boolean): ValidateFunction => {
    const key = `${coerce}:${pointer}`
    let fn = compiled.get(key)
    if (!fn) {
      fn = (coerce ? coercingAjv : strictAjv).compile({ $ref: `${id}#${encodeURI(pointer)}` })
      compiled.set(key, fn)
    }
    return fn
  }

  existing = {
    validateRequest: (operation, input) => {
      const out: Diagnostic[] = []
      for (const param of operation.parameters) {
        const raw = readParam(param.in, param.name, input)
        const where = `${param.in}.${param.name}`
        if (raw === undefined) {
          if (param.required) {
            out.push({
              code: 'required',
              severity: 'error',
              path: where,
              message: `${where} is required`,
            })
          }
          continue
        }
        if (!param.schemaPointer) continue
        const holder = { value: raw as unknown }
        const fn = compile(param.schemaPointer, true)
        if (!fn(holder.value)) out.push(...toDiagnostics(fn.errors, where, holder.value))
      }
      const body = operation.requestBody
      if (body) {
        const type = mediaType(input.contentType)
        if (input.body === undefined) {
          if (body.required) {
            out.push({
              code: 'required',
              severity: 'error',
              path: 'body',
              message: 'request body is required',
            })
          }
        } else if (
          !type ||
          (!Object.hasOwn(body.content, type) && !Object.hasOwn(body.content, '*/*'))
        ) {
          out.push({
            code: 'content-type',
            severity: 'error',
            path: 'header.content-type',
            message: `content type ${type ?? '(none)'} is not one of ${Object.keys(body.content).join(', ')}`,
          })
        } else {
          const pointer = Object.hasOwn(body.content, type) ? body.content[type] : undefined
          if (pointer) {
            const fn = compile(pointer, false)
            if (!fn(input.body)) out.push(...toDiagnostics(fn.errors, 'body', input.body))
          }
        }
      }
      return out
    },
    validateResponse: (operation, input) => {
      const out: Diagnostic[] = []
      const response = providerResponse(operation, input.status)
      if (!response) {
        return [
          {
            code: 'status',
            severity: 'error',
            path: 'status',
            message: `status ${input.status} is not declared for ${operation.operationId} (declared: ${providerStatuses(operation).join(', ')})`,
          },
        ]
      }
      for (const header of response.headers) {
        const value = input.headers.get(header.name)
        if (value === null) {
          if (header.required) {
            out.push({
              code: 'required',
              severity: 'error',
              path: `header.${header.name.toLowerCase()}`,
              message: `response header ${header.name} is required`,
            })
          }
        } else if (header.schemaPointer) {
          const fn = compile(header.schemaPointer, true)
          if (!fn(value))
            out.push(...toDiagnostics(fn.errors, `header.${header.name.toLowerCase()}`, value))
        }
      }
      const types = Object.keys(response.content)
      if (types.length === 0) return out
      const type = mediaType(input.contentType)
      const match = type && (type in response.content ? type : types.find((t) => t === '*/*'))
      if (!match) {
        out.push({
          code: 'content-type',
          severity: 'error',
          path: 'header.content-type',
          message: `content type ${type ?? '(none)'} is not one of ${types.join(', ')}`,
        })
        // An error answer sent as text/plain or text/html is still held to the documented error
        // shape when its body is JSON: the wrong type is one finding, a wrong shape another.
        const json = input.status >= 400 ? jsonMediaType(types) : undefined
        const pointer = json === undefined ? undefined : response.content[json]
        const body = pointer === undefined ? undefined : readJson(input.body)
        if (pointer && body?.ok) {
          const fn = compile(pointer, false)
          if (!fn(body.value)) out.push(...toDiagnostics(fn.errors, 'body', body.value))
        }
        return out
      }
      const pointer = response.content[match]
      if (pointer) {
        const fn = compile(pointer, false)
        if (fn(input.body)) return out
        // The reader keeps a body that does not parse as its text: say so, not that it is no object.
        if (isJsonMediaType(type) && typeof input.body === 'string' && !readJson(input.body).ok) {
          out.push({
            code: 'schema',
            severity: 'error',
            path: 'body',
            message: `body is not JSON although content-type is ${type}: ${quoteStart(input.body)}`,
          })
        } else out.push(...toDiagnostics(fn.errors, 'body', input.body))
      }
      return out
    },
  }
  validators.set(spec, existing)
  return existing
}

/** `application/json; charset=utf-8` → `application/json`. */
export const mediaType = (contentType: string | null | undefined): string | undefined =>
  contentType ? contentType.split(';')[0]?.trim().toLowerCase() || undefined : undefined

/** Whether a media type is JSON: `application/json`, or any `+json` type such as problem+json. */
export const isJsonMediaType = (type: string): boolean =>
  /^[\w.+-]+\/(?:[\w.-]+\+)?json$/.test(type)

/** The first JSON media type among declared ones, if any. */
export const jsonMediaType = (types: readonly string[]): string | undefined =>
  types.find(isJsonMediaType)

/** A body as JSON: already parsed, or text that parses. */
export const readJson = (body: unknown): { ok: true; value: unknown } | { ok: false } => {
  if (typeof body !== 'string')
    return body === undefined ? { ok: false } : { ok: true, value: body }
  try {
    return { ok: true, value: JSON.parse(body) as unknown }
  } catch {
    return { ok: false }
  }
}

const QUOTED_START = 60

/** The start of a partner's text, quoted and escaped for a message. */
const quoteStart = (text: string): string =>
  text.length <= QUOTED_START
    ? JSON.stringify(text)
    : `${JSON.stringify(text.slice(0, QUOTED_START)).slice(0, -1)}…"`

/** A value for a message: JSON, cut to a readable length. */
const show = (value: unknown): string => {
  const text = value === undefined ? 'undefined' : JSON.stringify(value)
  return text.length <= QUOTED_START ? text : `${text.slice(0, QUOTED_START)}…`
}

const MAX_LISTED = 12

const showAll = (values: readonly unknown[]): string =>
  values.length <= MAX_LISTED
    ? values.map(show).join(', ')
    : `${values.slice(0, MAX_LISTED).map(show).join(', ')} and ${values.length - MAX_LISTED} more`

const readParam = (where: string, name: string, input: RequestInput): unknown => {
  switch (where) {
    case 'path':
      return input.pathParams[name]
    case 'query': {
      const all = input.query.getAll(name)
      return all.length === 0 ? undefined : all.length === 1 ? all[0] : all
    }
    case 'header':
      return input.headers.get(name) ?? undefined
    default:
      return undefined
  }
}

const toDiagnostics = (
  errors: ErrorObject[] | null | undefined,
  base: string,
  data: unknown,
): Diagnostic[] =>
  (errors ?? [])
    .filter(
      (e) =>
        (e.keyword !== 'if' && e.keyword !== 'anyOf' && e.keyword !== 'oneOf') ||
        (errors ?? []).length === 1,
    )
    .map((e) => {
      const path = `${base}${e.instancePath}`
      if (e.keyword === 'format') {
        const name = String((e.params as { format: string }).format)
        const value = valueAt(data, e.instancePath)
        const reason =
          isFormatName(name) && typeof value === 'string'
            ? (() => {
                const verdict = formats[name].validate(value)
                return verdict.valid ? 'invalid' : verdict.reason
              })()
            : `must be a valid ${name}`
        return {
          code: 'format',
          severity: 'error',
          path,
          format: name,
          message: `${path}: ${reason}`,
        }
      }
      if (e.keyword === 'required') {
        const missing = String((e.params as { missingProperty: string }).missingProperty)
        return {
          code: 'required',
          severity: 'error',
          path: `${path}/${missing}`,
          message: `${path}/${missing} is required`,
        }
      }
      if (e.keyword === 'enum' || e.keyword === 'const') {
        // The value sent and the ones allowed, so a partner sees at once what to change.
        const params = e.params as { allowedValues?: unknown[]; allowedValue?: unknown }
        const value = show(valueAt(data, e.instancePath))
        return {
          code: 'schema',
          severity: 'error',
          path,
          message:
            e.keyword === 'enum'
              ? `${path}: ${value} is not one of ${showAll(params.allowedValues ?? [])}`
              : `${path}: ${value} is not ${show(params.allowedValue)}`,
        }
      }
      if (e.keyword === 'additionalProperties') {
        const extra = String((e.params as { additionalProperty: string }).additionalProperty)
        return {
          code: 'schema',
          severity: 'error',
          path: `${path}/${extra}`,
          message: `${path}/${extra} is not allowed`,
        }
      }
      return {
        code: 'schema',
        severity: 'error',
        path,
        message: `${path} ${e.message ?? 'is invalid'}`,
      }
    })

const valueAt = (data: unknown, pointer: string): unknown => {
  let node = data
  for (const segment of pointer.split('/').slice(1)) {
    if (node === null || typeof node !== 'object') return undefined
    node = (node as Record<string, unknown>)[segment.replace(/~1/g, '/').replace(/~0/g, '~')]
  }
  return node
}

/**
 * The response the spec declares for a provider's answer with this status: exact, then `4XX`, then
 * `default`, leaving out those declared only for the security servers' faults.
 */
export const providerResponse = (
  operation: OperationModel,
  status: number,
): ResponseModel | undefined =>
  [
    operation.responses[String(status)],
    operation.responses[`${String(status)[0]}XX`],
    operation.responses.default,
  ].find((response) => response !== undefined && !response.securityServerFault)

/** The statuses a provider may answer the operation with. */
export const providerStatuses = (operation: OperationModel): string[] =>
  Object.values(operation.responses)
    .filter((response) => !response.securityServerFault)
    .map((response) => response.status)
