import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml'
import type { JsonPath, SourceLocation } from '../../../specs/source-file/index.ts'

/** Finds places in a scenario file, 1-based, for error messages. */
export type Locator = {
  /**
   * The value at `path` (a scalar's own text, not its key), or its nearest existing ancestor.
   * `offset` moves into a one-line scalar, so an error inside a runtime expression can point at
   * the character it is about.
   */
  value(path: JsonPath, offset?: number): SourceLocation
  /** The key of the map entry at `path` (for an unknown or misplaced key). */
  key(path: JsonPath): SourceLocation
}

// The text is parsed again only when something has to be located, which is the error path.
export const locator = (text: string, file: string): Locator => {
  let parsed: { contents: unknown; lineCounter: LineCounter } | undefined
  const find = (path: JsonPath, offset: number, key: boolean): SourceLocation => {
    if (!parsed) {
      const lineCounter = new LineCounter()
      parsed = { contents: parseDocument(text, { lineCounter }).contents, lineCounter }
    }
    const { node, complete } = walk(parsed.contents, path, key)
    const { line, col } = parsed.lineCounter.linePos(startOf(node, complete ? offset : 0, text))
    return { file, line, column: col }
  }
  return {
    value: (path, offset = 0) => find(path, offset, false),
    key: (path) => find(path, 0, true),
  }
}

const walk = (
  root: unknown,
  path: JsonPath,
  key: boolean,
): { node: Node | null; complete: boolean } => {
  let node = (root as Node | null) ?? null
  for (const [i, segment] of path.entries()) {
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => (isScalar(p.key) ? String(p.key.value) : p.key) === String(segment),
      )
      if (!pair) return { node, complete: false }
      const last = i === path.length - 1
      // `key:` with nothing after it has no value node; the key is the best place then.
      node = ((last && key ? null : (pair.value as Node | null)) ?? (pair.key as Node)) || node
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)] as Node | undefined
      if (!item) return { node, complete: false }
      node = item
    } else {
      return { node, complete: false }
    }
  }
  return { node, complete: true }
}

const startOf = (node: Node | null, offset: number, text: string): number => {
  const start = node?.range?.[0] ?? 0
  if (!offset || !isScalar(node) || typeof node.value !== 'string') return start
  const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE'
  if (!quoted && node.type !== 'PLAIN') return start
  const from = start + (quoted ? 1 : 0)
  // Only when the source spells the value verbatim up to the offset (no escapes, no folding).
  const written = text.slice(from, from + offset)
  return written === node.value.slice(0, offset) && !written.includes('\n') ? from + offset : start
}
