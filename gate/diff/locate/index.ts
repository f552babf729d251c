import { dirname, resolve } from 'node:path'
import {
  loadSourceFile,
  pointerToPath,
  type LoadedSource,
  type SourceLocation,
} from '../../../specs/source-file/index.ts'

type Json = Record<string, unknown>
export type UsagePath = ReadonlyArray<string | number>

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** Parsed source files by absolute path, so one diff reads each file once. */
export type SourceCache = Map<string, LoadedSource>

const load = (cache: SourceCache, file: string): LoadedSource => {
  let source = cache.get(file)
  if (!source) {
    source = loadSourceFile(file)
    cache.set(file, source)
  }
  return source
}

type Cursor = { source: LoadedSource; at: Array<string | number>; node: unknown }

const valueAt = (value: unknown, path: Array<string | number>): unknown => {
  let node = value
  for (const segment of path) {
    if (Array.isArray(node)) node = node[Number(segment)]
    else if (isObject(node)) node = node[String(segment)]
    else return undefined
  }
  return node
}

// Follows a chain of $refs, local or into other files, to the object they name.
const follow = (cache: SourceCache, cursor: Cursor): Cursor => {
  let current = cursor
  for (
    let hops = 0;
    hops < 32 && isObject(current.node) && typeof current.node.$ref === 'string';
    hops++
  ) {
    const ref = current.node.$ref
    const hash = ref.indexOf('#')
    const target = hash < 0 ? ref : ref.slice(0, hash)
    const pointer = hash < 0 ? '' : ref.slice(hash + 1)
    if (/^[a-z]+:\/\//i.test(target)) break
    let source = current.source
    if (target) {
      try {
        source = load(cache, resolve(dirname(current.source.file), decodeURI(target)))
      } catch {
        break
      }
    }
    const at = pointerToPath(pointer)
    const node = valueAt(source.value, at)
    if (node === undefined) break
    current = { source, at, node }
  }
  return current
}

const step = (cache: SourceCache, cursor: Cursor, segment: string | number): Cursor | undefined => {
  const here = follow(cache, cursor)
  const child = (c: Cursor): Cursor | undefined => {
    const node = Array.isArray(c.node)
      ? c.node[Number(segment)]
      : isObject(c.node)
        ? c.node[String(segment)]
        : undefined
    return node === undefined ? undefined : { source: c.source, at: [...c.at, segment], node }
  }
  const direct = child(here)
  if (direct) return direct
  // api-smart-diff merges allOf parts into their schema: look for the key in the parts.
  if (isObject(here.node) && Array.isArray(here.node.allOf)) {
    for (const [i, part] of here.node.allOf.entries()) {
      const found = step(
        cache,
        { source: here.source, at: [...here.at, 'allOf', i], node: part },
        segment,
      )
      if (found) return found
    }
  }
  return undefined
}

/**
 * Where the value at a usage path of a spec is written: the path runs through the operation
 * (as api-smart-diff reports it, parameters of the path item after the operation's own), and is
 * followed through $refs into components and other files. When part of the path is not in the
 * sources, the position of its nearest ancestor is returned with `exact: false`.
 */
export const locateUsage = (
  cache: SourceCache,
  rootFile: string,
  path: UsagePath,
): SourceLocation & { exact: boolean } => {
  const root = load(cache, resolve(rootFile))
  let cursor: Cursor = { source: root, at: [], node: root.value }
  let exact = true
  for (let i = 0; i < path.length; i++) {
    const segment = path[i] as string | number
    if (segment === 'parameters' && i === 3 && path[0] === 'paths' && i + 1 < path.length) {
      const found = parameterAt(cache, cursor, Number(path[i + 1]))
      if (found) {
        cursor = found
        i++
        continue
      }
    }
    const next = step(cache, cursor, segment)
    if (!next) {
      exact = false
      break
    }
    cursor = next
  }
  const location = cursor.source.locate(cursor.at)
  return { ...location, exact }
}

// The k-th parameter of an operation as api-smart-diff counts them: the operation's own first,
// then those of its path item.
const parameterAt = (cache: SourceCache, operation: Cursor, k: number): Cursor | undefined => {
  const op = follow(cache, operation)
  const own = isObject(op.node) && Array.isArray(op.node.parameters) ? op.node.parameters : []
  if (k < own.length) return { source: op.source, at: [...op.at, 'parameters', k], node: own[k] }
  const item = valueAt(op.source.value, op.at.slice(0, -1))
  const shared = isObject(item) && Array.isArray(item.parameters) ? item.parameters : []
  const j = k - own.length
  if (j >= shared.length) return undefined
  return { source: op.source, at: [...op.at.slice(0, -1), 'parameters', j], node: shared[j] }
}
