import { bundle, ResolverError, type FileInfo } from '@apidevtools/json-schema-ref-parser'
import { readFile } from 'node:fs/promises'
import { realpathSync } from 'node:fs'
import { basename, dirname, extname, isAbsolute, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadSourceFile, SildInputError, type LoadedSource } from '../source-file/index.ts'

// OpenAPI documents are free-form JSON; their shape is checked by the linter, not the type system.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type OpenApiDocument = Record<string, any>

export type ParameterLocation = 'path' | 'query' | 'header' | 'cookie'

export type ParameterModel = {
  name: string
  in: ParameterLocation
  required: boolean
  /** JSON pointer to the parameter's schema in the bundled document. */
  schemaPointer?: string
}

export type ResponseModel = {
  status: string
  /** Media type → JSON pointer of its schema (absent when the media type has no schema). */
  content: Record<string, string | undefined>
  headers: Array<{ name: string; required: boolean; schemaPointer?: string }>
  /**
   * Declared only for what the security servers answer (`x-sild-security-server-fault`): a
   * provider's own answer with this status is undeclared.
   */
  securityServerFault?: true
}

export type OperationModel = {
  operationId: string
  method: string
  pathTemplate: string
  /** JSON pointer of the operation object. */
  pointer: string
  summary?: string
  parameters: ParameterModel[]
  requestBody?: { required: boolean; content: Record<string, string | undefined> }
  responses: Record<string, ResponseModel>
  /** Returns personal data (`x-sild-personal-data`): Trembita wants a purpose for it. */
  personalData: boolean
  /** Header names (lower case) its security requirements use: `authorization`, API-key headers. */
  securityHeaders: string[]
  /** Some security requirement must be met: none of its alternatives is empty. */
  secured: boolean
  /** Declares OpenAPI callbacks, which a mock would call back. */
  callbacks: boolean
}

export type SpecModel = {
  file: string
  /** `info.x-sild-service`, or the file's base name. */
  id: string
  title: string
  version: string
  /** Self-contained: external `$ref`s are bundled in. */
  document: OpenApiDocument
  operations: OperationModel[]
  operation(operationId: string): OperationModel | undefined
  /** Finds the operation for a method and path; literal segments win over templated ones. */
  match(
    method: string,
    path: string,
  ): { operation: OperationModel; pathParams: Record<string, string> } | undefined
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const

const cache = new Map<string, Promise<SpecModel>>()

/** Loads, bundles and indexes an OpenAPI 3.x document; cached per file. */
export const loadSpec = (file: string): Promise<SpecModel> => {
  const key = resolve(file)
  let spec = cache.get(key)
  if (!spec) {
    spec = buildSpec(key)
    cache.set(key, spec)
    spec.catch(() => cache.delete(key))
  }
  return spec
}

const buildSpec = async (file: string): Promise<SpecModel> => {
  const source = loadSourceFile(file)
  const raw = source.value as OpenApiDocument
  if (
    !raw ||
    typeof raw !== 'object' ||
    typeof raw.openapi !== 'string' ||
    !raw.openapi.startsWith('3.')
  ) {
    throw new SildInputError(
      'not an OpenAPI 3.x document (no "openapi: 3.x" field)',
      source.locate(['openapi']),
      'Sild reads OpenAPI 3.0 and 3.1 documents.',
    )
  }
  let document: OpenApiDocument
  const roots = [PROJECT_ROOT, process.cwd(), dirname(file)]
  try {
    document = (await bundle(file, structuredClone(raw), {
      resolve: { http: false, file: confinedFiles(roots) },
    })) as OpenApiDocument
  } catch (error) {
    const outside = refusedRef(error)
    if (outside) {
      throw new SildInputError(
        `$ref to ${outside} leads outside the spec's folder, the project and the current directory`,
        source.locate(externalRefPath(raw, file, outside) ?? []),
        'Reference files by a relative path inside the folder of the spec (or of the project).',
      )
    }
    throw new SildInputError(
      `cannot resolve a $ref: ${(error as Error).message.split('\n')[0]}`,
      source.locate(
        externalRefPath(raw, file, String((error as { source?: unknown }).source)) ?? [],
      ),
      'Check the $ref paths; they are relative to the document that contains them.',
    )
  }
  return indexSpec(file, document, source)
}

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url))

const OUTSIDE = 'sild: $ref outside the allowed folders: '

const isInside = (root: string, file: string): boolean => {
  const rel = relative(root, file)
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))
}

const realOrSelf = (path: string): string => {
  try {
    return realpathSync(path)
  } catch {
    return path
  }
}

/**
 * json-schema-ref-parser's file resolver, confined to `roots`: a spec that a partner or a pull
 * request supplies must not pull /etc/passwd or a CI secret into the bundled document, which the
 * getOpenAPI metaservice and the reports show.
 */
const confinedFiles = (roots: string[]) => ({
  order: 100,
  canRead: (file: FileInfo) => !/^[a-z][a-z0-9+.-]+:/i.test(file.url) || /^file:/i.test(file.url),
  read: async (file: FileInfo): Promise<Buffer> => {
    const path = filePathOf(file.url)
    const real = realOrSelf(path)
    if (!roots.some((root) => isInside(realOrSelf(root), real))) {
      // A ResolverError is the one kind the bundler passes on with its message intact.
      throw new ResolverError(new Error(`${OUTSIDE}${path}`), path)
    }
    return readFile(path)
  },
})

const filePathOf = (url: string): string => {
  if (/^file:/i.test(url)) return fileURLToPath(url)
  try {
    return decodeURI(url)
  } catch {
    return url
  }
}

const refusedRef = (error: unknown): string | undefined => {
  const message = String((error as Error)?.message ?? '')
  const at = message.indexOf(OUTSIDE)
  return at < 0 ? undefined : (message.slice(at + OUTSIDE.length).split('\n')[0] ?? '')
}

/** Where in the document the refused file is referenced, when the document itself names it. */
const externalRefPath = (
  value: unknown,
  file: string,
  target: string,
  path: Array<string | number> = [],
): Array<string | number> | undefined => {
  if (!value || typeof value !== 'object') return undefined
  const ref = (value as { $ref?: unknown }).$ref
  if (typeof ref === 'string' && !ref.startsWith('#')) {
    const named = ref.split('#')[0] ?? ''
    const refFile = /^file:/i.test(named) ? fileURLToPath(named) : resolve(dirname(file), named)
    if (refFile === target) return [...path, '$ref']
  }
  for (const [key, child] of Object.entries(value)) {
    const found = externalRefPath(child, file, target, [
      ...path,
      Array.isArray(value) ? Number(key) : key,
    ])
    if (found) return found
  }
  return undefined
}

/** Indexes an already bundled document (also used for documents that are not files). */
export const indexSpec = (
  file: string,
  document: OpenApiDocument,
  source?: LoadedSource,
): SpecModel => {
  const operations: OperationModel[] = []
  const routes: Array<{
    operation: OperationModel
    regex: RegExp
    names: string[]
    literal: number
  }> = []
  const seen = new Map<string, string>()
  for (const [pathTemplate, item] of Object.entries<OpenApiDocument>(document.paths ?? {})) {
    for (const method of METHODS) {
      const op = item?.[method]
      if (!op) continue
      const pointer = `/paths/${escapePointer(pathTemplate)}/${method}`
      const operationId =
        typeof op.operationId === 'string'
          ? op.operationId
          : `${method.toUpperCase()} ${pathTemplate}`
      const previous = seen.get(operationId)
      if (previous && source) {
        throw new SildInputError(
          `duplicate operationId "${operationId}" (also at ${previous})`,
          source.locate([...pointer.split('/').slice(1).map(unescapePointer), 'operationId']),
          'Every operationId must be unique within its document.',
        )
      }
      seen.set(operationId, `${method.toUpperCase()} ${pathTemplate}`)
      const operation: OperationModel = {
        operationId,
        method: method.toUpperCase(),
        pathTemplate,
        pointer,
        summary: op.summary,
        parameters: parametersOf(document, item, op, pointer),
        requestBody: requestBodyOf(document, op.requestBody, `${pointer}/requestBody`),
        responses: responsesOf(document, op.responses ?? {}, `${pointer}/responses`),
        personalData: op['x-sild-personal-data'] === true,
        securityHeaders: securityHeadersOf(document, op.security ?? document.security),
        secured: isSecured(op.security ?? document.security),
        callbacks: op.callbacks !== undefined && Object.keys(op.callbacks ?? {}).length > 0,
      }
      operations.push(operation)
      const { regex, names, literal } = compileTemplate(pathTemplate)
      routes.push({ operation, regex, names, literal })
    }
  }
  routes.sort((a, b) => b.literal - a.literal)
  const byId = new Map(operations.map((o) => [o.operationId, o]))
  const info = document.info ?? {}
  return {
    file,
    id:
      typeof info['x-sild-service'] === 'string'
        ? info['x-sild-service']
        : basename(file, extname(file)),
    title: String(info.title ?? basename(file)),
    version: String(info.version ?? ''),
    document,
    operations,
    operation: (id) => byId.get(id),
    match: (method, path) => {
      const upper = method.toUpperCase()
      for (const route of routes) {
        if (route.operation.method !== upper) continue
        const m = route.regex.exec(path)
        if (!m) continue
        const pathParams: Record<string, string> = {}
        route.names.forEach((name, i) => {
          pathParams[name] = safeDecode(m[i + 1] ?? '')
        })
        return { operation: route.operation, pathParams }
      }
      return undefined
    },
  }
}

/** Follows a local `$ref` chain and returns the target and its pointer. */
export const derefLocal = (
  document: OpenApiDocument,
  value: unknown,
  pointer: string,
): { value: OpenApiDocument | undefined; pointer: string } => {
  let current = value as OpenApiDocument | undefined
  let at = pointer
  for (let hops = 0; current && typeof current.$ref === 'string' && hops < 32; hops++) {
    const ref: string = current.$ref
    if (!ref.startsWith('#')) break
    at = ref.slice(1)
    current = resolvePointer(document, at)
  }
  return { value: current, pointer: at }
}

export const resolvePointer = (document: unknown, pointer: string): OpenApiDocument | undefined => {
  let node: unknown = document
  for (const segment of pointer.split('/').slice(1).map(unescapePointer)) {
    if (node === null || typeof node !== 'object') return undefined
    node = (node as Record<string, unknown>)[segment]
  }
  return node as OpenApiDocument | undefined
}

export const escapePointer = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1')
const unescapePointer = (s: string): string => s.replace(/~1/g, '/').replace(/~0/g, '~')

const parametersOf = (
  document: OpenApiDocument,
  item: OpenApiDocument,
  op: OpenApiDocument,
  pointer: string,
): ParameterModel[] => {
  const itemPointer = pointer.slice(0, pointer.lastIndexOf('/'))
  const collect = (list: unknown, base: string) =>
    (Array.isArray(list) ? list : []).map((p, i) => derefLocal(document, p, `${base}/${i}`))
  const merged = new Map<string, ParameterModel>()
  for (const { value, pointer: at } of [
    ...collect(item.parameters, `${itemPointer}/parameters`),
    ...collect(op.parameters, `${pointer}/parameters`),
  ]) {
    if (!value?.name || !value.in) continue
    merged.set(`${value.in}:${value.name}`, {
      name: value.name,
      in: value.in,
      required: value.in === 'path' || value.required === true,
      schemaPointer: value.schema ? `${at}/schema` : undefined,
    })
  }
  return [...merged.values()]
}

const contentOf = (content: unknown, base: string): Record<string, string | undefined> =>
  Object.fromEntries(
    Object.entries((content ?? {}) as Record<string, OpenApiDocument>).map(([type, media]) => [
      type.toLowerCase(),
      media?.schema ? `${base}/content/${escapePointer(type)}/schema` : undefined,
    ]),
  )

const requestBodyOf = (document: OpenApiDocument, body: unknown, pointer: string) => {
  if (!body) return undefined
  const { value, pointer: at } = derefLocal(document, body, pointer)
  if (!value) return undefined
  return { required: value.required === true, content: contentOf(value.content, at) }
}

const responsesOf = (
  document: OpenApiDocument,
  responses: Record<string, unknown>,
  pointer: string,
): Record<string, ResponseModel> =>
  Object.fromEntries(
    Object.entries(responses).map(([status, response]) => {
      const { value, pointer: at } = derefLocal(
        document,
        response,
        `${pointer}/${escapePointer(status)}`,
      )
      const headers = Object.entries((value?.headers ?? {}) as Record<string, unknown>).map(
        ([name, h]) => {
          const { value: header, pointer: hp } = derefLocal(
            document,
            h,
            `${at}/headers/${escapePointer(name)}`,
          )
          return {
            name,
            required: header?.required === true,
            schemaPointer: header?.schema ? `${hp}/schema` : undefined,
          }
        },
      )
      return [
        status,
        {
          status,
          content: contentOf(value?.content, at),
          headers,
          ...(value?.['x-sild-security-server-fault'] === true
            ? { securityServerFault: true as const }
            : {}),
        },
      ]
    }),
  )

const isSecured = (requirements: unknown): boolean =>
  Array.isArray(requirements) &&
  requirements.length > 0 &&
  requirements.every((r) => r && typeof r === 'object' && Object.keys(r).length > 0)

const securityHeadersOf = (document: OpenApiDocument, requirements: unknown): string[] => {
  const schemes = (document.components?.securitySchemes ?? {}) as Record<string, OpenApiDocument>
  const names = new Set<string>()
  for (const requirement of Array.isArray(requirements) ? requirements : []) {
    for (const name of Object.keys(requirement ?? {})) {
      const scheme = derefLocal(
        document,
        schemes[name],
        `/components/securitySchemes/${escapePointer(name)}`,
      ).value
      if (scheme?.type === 'http' || scheme?.type === 'oauth2' || scheme?.type === 'openIdConnect')
        names.add('authorization')
      if (scheme?.type === 'apiKey' && scheme.in === 'header' && typeof scheme.name === 'string')
        names.add(scheme.name.toLowerCase())
    }
  }
  return [...names]
}

const compileTemplate = (template: string) => {
  const names: string[] = []
  let literal = 0
  const source = template
    .split('/')
    .map((segment) => {
      if (!segment.includes('{')) {
        literal += 1
        return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      }
      return segment.replace(
        /\{([^}]+)\}|([^{]+)/g,
        (_, name: string | undefined, text: string | undefined) => {
          if (name) {
            names.push(name)
            return '([^/]+)'
          }
          return (text ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
        },
      )
    })
    .join('/')
    // A template that ends in a slash matches the path with or without it, like one that does not.
    .replace(/\/$/, '')
  return { regex: new RegExp(`^${source}/?$`), names, literal }
}

const safeDecode = (s: string): string => {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}
