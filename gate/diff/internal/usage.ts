import type { OpenApiDocument } from '../../../specs/openapi/index.ts'
import { pointerToPath } from '../../../specs/source-file/index.ts'

export type Json = Record<string, unknown>
export type UsagePath = ReadonlyArray<string | number>

export const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** Follows local `$ref`s in a bundled document. */
export const deref = (document: OpenApiDocument, value: unknown): unknown => {
  let node = value
  for (let hops = 0; hops < 32 && isObject(node) && typeof node.$ref === 'string'; hops++) {
    const ref = node.$ref
    if (!ref.startsWith('#')) break
    let target: unknown = document
    for (const segment of pointerToPath(ref.slice(1))) {
      target = Array.isArray(target)
        ? target[Number(segment)]
        : isObject(target)
          ? target[segment]
          : undefined
    }
    if (target === undefined) break
    node = target
  }
  return node
}

/** Parameters of an operation as api-smart-diff lists them: its own, then its path item's. */
export const mergedParameters = (
  document: OpenApiDocument,
  pathTemplate: string,
  method: string,
): Json[] => {
  const item = deref(document, document.paths?.[pathTemplate])
  if (!isObject(item)) return []
  const op = deref(document, item[method])
  const list = (value: unknown) =>
    (Array.isArray(value) ? value : []).map((p) => deref(document, p)).filter(isObject)
  return [...list(isObject(op) ? op.parameters : undefined), ...list(item.parameters)]
}

/** The value at a usage path of a bundled document (through $refs and merged parameters). */
export const usageValue = (document: OpenApiDocument, path: UsagePath): unknown => {
  let node: unknown = document
  for (let i = 0; i < path.length; i++) {
    const segment = path[i] as string | number
    if (segment === 'parameters' && i === 3 && path[0] === 'paths' && i + 1 < path.length) {
      node = mergedParameters(document, String(path[1]), String(path[2]))[Number(path[i + 1])]
      i++
      continue
    }
    node = deref(document, node)
    node = Array.isArray(node)
      ? node[Number(segment)]
      : isObject(node)
        ? node[String(segment)]
        : undefined
    if (node === undefined) return undefined
  }
  return deref(document, node)
}

const template = (path: string) => path.replace(/\{[^}]*\}/g, '{}')

/**
 * Maps a usage path of the old document to the new one: a path whose parameters were renamed
 * (`/persons/{id}` → `/persons/{personalCode}`) and parameters that moved in the list.
 */
export const toNewPath = (
  path: UsagePath,
  oldDoc: OpenApiDocument,
  newDoc: OpenApiDocument,
  added?: { value: unknown },
): Array<string | number> => {
  const out = [...path]
  if (added && typeof out[out.length - 1] === 'number') {
    // An added array item: api-smart-diff counts it after the old items; find it among the new.
    const parent =
      out[3] === 'parameters' && out.length === 5 ? undefined : usageValue(newDoc, out.slice(0, -1))
    if (Array.isArray(parent)) {
      const index = parent.findIndex(
        (v) => JSON.stringify(deref(newDoc, v)) === JSON.stringify(added.value),
      )
      if (index >= 0) out[out.length - 1] = index
    }
  }
  if (out[0] !== 'paths' || out.length < 2) return out
  const oldTemplate = String(out[1])
  const paths = isObject(newDoc.paths) ? newDoc.paths : {}
  if (!(oldTemplate in paths)) {
    const renamed = Object.keys(paths).find((p) => template(p) === template(oldTemplate))
    if (renamed) out[1] = renamed
  }
  if (out[3] === 'parameters' && out.length > 4) {
    const method = String(out[2])
    const before =
      added && out.length === 5 && isObject(added.value)
        ? added.value
        : mergedParameters(oldDoc, oldTemplate, method)[Number(out[4])]
    if (before) {
      const after = mergedParameters(newDoc, String(out[1]), method)
      const oldPathParams: string[] = oldTemplate.match(/\{[^}]*\}/g) ?? []
      const newPathParams: string[] = String(out[1]).match(/\{[^}]*\}/g) ?? []
      const renamedTo = (name: unknown) => {
        const position = oldPathParams.indexOf(`{${String(name)}}`)
        return position >= 0 ? newPathParams[position]?.slice(1, -1) : undefined
      }
      const index = after.findIndex(
        (p) =>
          p.in === before.in &&
          (p.name === before.name || (before.in === 'path' && p.name === renamedTo(before.name))),
      )
      if (index >= 0) out[4] = index
    }
  }
  return out
}

/**
 * The document with every local `$ref` replaced by a copy of what it names, so each operation
 * carries its schemas inline (api-smart-diff merges `allOf` only in inline schemas). A `$ref`
 * that would recurse into itself stays a `$ref`.
 */
export const inlineRefs = (document: OpenApiDocument): OpenApiDocument => {
  const open: string[] = []
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit)
    if (!isObject(node)) return node
    const ref = node.$ref
    if (typeof ref === 'string' && ref.startsWith('#') && !open.includes(ref)) {
      const target = deref(document, { $ref: ref })
      if (target !== undefined && !(isObject(target) && target.$ref === ref)) {
        open.push(ref)
        const inlined = visit(target)
        open.pop()
        const { $ref: _ref, ...siblings } = node
        return Object.keys(siblings).length && isObject(inlined)
          ? { ...inlined, ...(visit(siblings) as Json) }
          : inlined
      }
    }
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, visit(v)]))
  }
  return { ...document, paths: visit(document.paths ?? {}) as Json }
}
