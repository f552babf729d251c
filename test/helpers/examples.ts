import {
  derefLocal,
  resolvePointer,
  type OpenApiDocument,
  type OperationModel,
  type SpecModel,
} from '../../specs/openapi/index.ts'
import { findScalar } from './world.ts'

/** A request built from a spec's own examples, ready for `app.request(path, init)`. */
export type ExampleRequest = {
  /** Which examples it was built from, e.g. `personalCode=mariTamm body=approve`. */
  label: string
  method: string
  /** Path and query string. */
  path: string
  headers: Record<string, string>
  body?: string
}

type Named = { name: string; value: unknown }

/** Where a parameter without examples takes its value from when the spec gives none. */
export type ExampleFallback = (name: string) => unknown

/**
 * The requests an operation's examples describe: one per example of the parameter or request body
 * with the most examples, the others cycling through theirs, so every example is sent once. A
 * parameter without examples takes a value from the operation's response examples, else from
 * `fallback` (the world seed); an optional one without either is left out.
 */
export const exampleRequests = (
  spec: SpecModel,
  operation: OperationModel,
  fallback: ExampleFallback = () => undefined,
): ExampleRequest[] => {
  const { document } = spec
  const params = parameterObjects(document, operation).map(
    ({ name, in: where, required, examples }) => {
      if (examples.length > 0) return { name, in: where, examples }
      const value = findInResponses(document, operation, name) ?? fallback(name)
      if (value === undefined && required) {
        throw new Error(
          `${operation.operationId}: no example for the required ${where} parameter ${name}`,
        )
      }
      return { name, in: where, examples: value === undefined ? [] : [{ name: 'derived', value }] }
    },
  )
  const body = requestBodyExamples(document, operation)
  if (operation.requestBody?.required && body.examples.length === 0) {
    throw new Error(`${operation.operationId}: the request body has no example`)
  }
  const count = Math.max(1, body.examples.length, ...params.map((p) => p.examples.length))
  return Array.from({ length: count }, (_, i) => {
    const label: string[] = []
    let path = operation.pathTemplate
    const query = new URLSearchParams()
    const headers: Record<string, string> = { accept: 'application/json' }
    for (const param of params) {
      const example = param.examples[i % param.examples.length]
      if (!example) continue
      if (param.examples.length > 1) label.push(`${param.name}=${example.name}`)
      const values = Array.isArray(example.value) ? example.value : [example.value]
      if (param.in === 'path')
        path = path.replace(`{${param.name}}`, encodeURIComponent(String(example.value)))
      if (param.in === 'query') for (const v of values) query.append(param.name, String(v))
      if (param.in === 'header') headers[param.name] = values.map(String).join(', ')
    }
    const bodyExample = body.examples[i % body.examples.length]
    if (bodyExample && body.mediaType) {
      label.push(`body=${bodyExample.name}`)
      headers['content-type'] = body.mediaType
    }
    const search = query.toString()
    return {
      label: label.join(' ') || 'its example',
      method: operation.method,
      path: search ? `${path}?${search}` : path,
      headers,
      ...(bodyExample ? { body: JSON.stringify(bodyExample.value) } : {}),
    }
  })
}

/** One named example of an operation's request body. */
export const requestBodyExample = (spec: SpecModel, operationId: string, name: string): unknown => {
  const operation = spec.operation(operationId)
  const found =
    operation && requestBodyExamples(spec.document, operation).examples.find((e) => e.name === name)
  if (!found) throw new Error(`${spec.id} ${operationId} has no request body example "${name}"`)
  return structuredClone(found.value)
}

/** Whether the operation wants `Authorization: Bearer …` (its own `security`, else the document's). */
export const requiresBearer = (spec: SpecModel, operation: OperationModel): boolean => {
  const op = resolvePointer(spec.document, operation.pointer)
  const requirements: Array<Record<string, unknown>> = op?.security ?? spec.document.security ?? []
  const schemes = spec.document.components?.securitySchemes ?? {}
  return requirements.some((requirement) =>
    Object.keys(requirement).some((name) => {
      const scheme = derefLocal(spec.document, schemes[name], '').value
      return scheme?.type === 'http' && String(scheme.scheme).toLowerCase() === 'bearer'
    }),
  )
}

const examplesIn = (document: OpenApiDocument, holder: OpenApiDocument | undefined): Named[] => {
  if (!holder) return []
  if (holder.examples && typeof holder.examples === 'object') {
    if (Array.isArray(holder.examples)) {
      return holder.examples.map((value: unknown, i: number) => ({ name: `#${i}`, value }))
    }
    return Object.entries<unknown>(holder.examples).map(([name, example]) => ({
      name,
      value: derefLocal(document, example, '').value?.value,
    }))
  }
  return holder.example === undefined ? [] : [{ name: 'example', value: holder.example }]
}

const parameterObjects = (document: OpenApiDocument, operation: OperationModel) => {
  const op = resolvePointer(document, operation.pointer)
  const item = resolvePointer(
    document,
    operation.pointer.slice(0, operation.pointer.lastIndexOf('/')),
  )
  const merged = new Map<string, OpenApiDocument>()
  for (const raw of [...(item?.parameters ?? []), ...(op?.parameters ?? [])]) {
    const parameter = derefLocal(document, raw, '').value
    if (parameter?.name && parameter.in) merged.set(`${parameter.in}:${parameter.name}`, parameter)
  }
  return [...merged.values()].map((parameter) => {
    const schema = derefLocal(document, parameter.schema, '').value
    const own = examplesIn(document, parameter)
    return {
      name: String(parameter.name),
      in: String(parameter.in),
      required: parameter.in === 'path' || parameter.required === true,
      examples: own.length > 0 ? own : examplesIn(document, schema),
    }
  })
}

const requestBodyExamples = (document: OpenApiDocument, operation: OperationModel) => {
  const op = resolvePointer(document, operation.pointer)
  const body = derefLocal(document, op?.requestBody, '').value
  for (const [mediaType, media] of Object.entries<OpenApiDocument>(body?.content ?? {})) {
    const examples = examplesIn(document, media)
    if (examples.length > 0) return { mediaType, examples }
  }
  return { mediaType: undefined, examples: [] as Named[] }
}

/** A value stored under `name` in one of the operation's success response examples. */
const findInResponses = (document: OpenApiDocument, operation: OperationModel, name: string) => {
  const op = resolvePointer(document, operation.pointer)
  for (const [status, raw] of Object.entries<unknown>(op?.responses ?? {})) {
    if (!status.startsWith('2')) continue
    const response = derefLocal(document, raw, '').value
    for (const media of Object.values<OpenApiDocument>(response?.content ?? {})) {
      for (const example of examplesIn(document, media)) {
        const value = findScalar(example.value, name)
        if (value !== undefined) return value
      }
    }
  }
  return undefined
}
