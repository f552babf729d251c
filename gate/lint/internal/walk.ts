// Traversals of a resolved OpenAPI document shared by Sild's lint rules. Spectral hands the rules
// the document with its $refs resolved (JS references, possibly circular), so every walk keeps a
// visited set.

import {
  SUBSCHEMA_KEYWORDS,
  SUBSCHEMA_LIST_KEYWORDS,
  SUBSCHEMA_MAP_KEYWORDS,
} from '../../../specs/openapi/schema-keywords.ts'

export type Json = Record<string, unknown>
export type Path = Array<string | number>

export const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']

export type OperationSite = {
  method: string
  pathTemplate: string
  operation: Json
  path: Path
  /** Parameters of the path item and of the operation (the operation's win), with their paths. */
  parameters: Array<{ parameter: Json; path: Path }>
}

/** `GET /persons/{id}`: how messages name an operation. */
export const operationLabel = (site: { method: string; pathTemplate: string }): string =>
  `${site.method.toUpperCase()} ${site.pathTemplate}`

/** Every operation under `paths`, in document order. */
export const operationsOf = (document: unknown): OperationSite[] => {
  const paths = isObject(document) && isObject(document.paths) ? document.paths : {}
  const out: OperationSite[] = []
  for (const [pathTemplate, item] of Object.entries(paths)) {
    if (!isObject(item)) continue
    for (const method of HTTP_METHODS) {
      const operation = item[method]
      if (!isObject(operation)) continue
      const byKey = new Map<string, { parameter: Json; path: Path }>()
      const collect = (list: unknown, base: Path) => {
        if (!Array.isArray(list)) return
        list.forEach((parameter, i) => {
          if (isObject(parameter))
            byKey.set(`${String(parameter.in)}:${String(parameter.name)}`, {
              parameter,
              path: [...base, i],
            })
        })
      }
      collect(item.parameters, ['paths', pathTemplate, 'parameters'])
      collect(operation.parameters, ['paths', pathTemplate, method, 'parameters'])
      out.push({
        method,
        pathTemplate,
        operation,
        path: ['paths', pathTemplate, method],
        parameters: [...byKey.values()],
      })
    }
  }
  return out
}

/** A schema met while walking: where it is, and the property name it describes (if any). */
export type SchemaSite = { schema: Json; path: Path; propertyName?: string }

/**
 * Calls `visit` once for every schema object reachable from the document (each object once, at
 * the first path it is met by), including subschemas, and for the non-schema objects that carry
 * a `schema` (parameters, headers, media types) through `visitHolder`.
 */
export const walkDocument = (
  document: unknown,
  visit: (site: SchemaSite) => void,
  visitHolder: (holder: Json, path: Path) => void = () => {},
): void => {
  const seen = new WeakSet<object>()
  const schema = (node: unknown, path: Path, propertyName?: string) => {
    if (!isObject(node) || seen.has(node)) return
    seen.add(node)
    visit({ schema: node, path, propertyName })
    for (const key of SUBSCHEMA_KEYWORDS) schema(node[key], [...path, key])
    for (const key of SUBSCHEMA_LIST_KEYWORDS) {
      const list = node[key]
      if (Array.isArray(list)) list.forEach((s, i) => schema(s, [...path, key, i]))
    }
    for (const key of SUBSCHEMA_MAP_KEYWORDS) {
      const map = node[key]
      if (isObject(map))
        for (const [name, s] of Object.entries(map))
          schema(s, [...path, key, name], key === 'properties' ? name : undefined)
    }
  }
  const other = (node: unknown, path: Path, inSchemas: boolean) => {
    if (Array.isArray(node)) {
      node.forEach((n, i) => other(n, [...path, i], false))
      return
    }
    if (!isObject(node) || seen.has(node)) return
    seen.add(node)
    if (isObject(node.schema)) visitHolder(node, path)
    for (const [key, value] of Object.entries(node)) {
      if (inSchemas) schema(value, [...path, key])
      else if (key === 'schema')
        schema(value, [...path, key], typeof node.name === 'string' ? node.name : undefined)
      else if (key !== 'examples' && key !== 'example')
        other(value, [...path, key], key === 'schemas' && path.length === 1)
    }
  }
  other(document, [], false)
}
