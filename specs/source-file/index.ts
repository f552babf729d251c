import { readFileSync, statSync } from 'node:fs'
import { relative } from 'node:path'
import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Node } from 'yaml'
import { escapeControl } from '../control-chars/index.ts'
import { prebuiltValue } from './prebuilt.ts'

/** A place in a file, 1-based, as editors and CI annotations expect it. */
export type SourceLocation = { file: string; line: number; column: number }

/**
 * Bad input from the user: a file, a flag, a reference. The CLI prints it as one block and exits 2.
 * Never thrown for Sild's own bugs.
 */
export class SildInputError extends Error {
  override readonly name = 'SildInputError'
  constructor(
    message: string,
    readonly location?: SourceLocation,
    readonly hint?: string,
  ) {
    super(message)
  }

  /** `file:line:column: message` plus the hint on its own line. */
  format(cwd = process.cwd()): string {
    const where = this.location
      ? `${displayPath(this.location.file, cwd)}:${this.location.line}:${this.location.column}: `
      : ''
    return printable(`${where}${this.message}${this.hint ? `\n  ${this.hint}` : ''}`)
  }
}

// A message quotes the user's file, which may hold terminal control sequences; shown escaped,
// they cannot move the cursor, recolour or retitle the terminal that prints the message.
const printable = (text: string): string => escapeControl(text, { multiline: true })

const displayPath = (file: string, cwd: string): string => {
  const rel = relative(cwd, file)
  return rel && !rel.startsWith('..') ? rel : file
}

export type JsonPath = ReadonlyArray<string | number>

/** A parsed YAML (or JSON) document that can say where any value in it came from. */
export type LoadedSource = {
  file: string
  value: unknown
  /** The location of the value at `path`, or of its nearest existing ancestor. */
  locate(path: JsonPath | string): SourceLocation
}

/** Splits a JSON pointer (`/a/b~1c/0`) into its segments. */
export const pointerToPath = (pointer: string): string[] =>
  pointer === '' || pointer === '/'
    ? []
    : pointer
        .replace(/^#?\//, '')
        .split('/')
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))

/** Parses YAML text, throwing a SildInputError at the first syntax error. */
export const parseSource = (text: string, file: string): LoadedSource => {
  const lineCounter = new LineCounter()
  // The parser's own uniqueKeys check compares each key with every earlier one: 40,000 keys took
  // 38 s. duplicateKey() does it with one Set per map.
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false })
  const at = (offset: number): SourceLocation => {
    const { line, col } = lineCounter.linePos(offset)
    return { file, line, column: col }
  }
  const [first] = doc.errors
  if (first) {
    const message = first.message.split('\n')[0] ?? first.message
    throw new SildInputError(
      `YAML syntax error: ${message}`,
      at(first.pos[0]),
      'Fix the YAML syntax at this place (indentation, quotes, a missing colon).',
    )
  }
  const duplicate = duplicateKey(doc)
  if (duplicate !== undefined) {
    throw new SildInputError(
      'YAML syntax error: Map keys must be unique',
      at(duplicate),
      'Fix the YAML syntax at this place (indentation, quotes, a missing colon).',
    )
  }
  const locate = (path: JsonPath | string): SourceLocation => {
    const segments = typeof path === 'string' ? pointerToPath(path) : path
    let node: unknown = doc.contents
    let best: Node | null = doc.contents
    for (const segment of segments) {
      const next = childOf(node, segment)
      if (!next) break
      // A map entry is reported at its key, a sequence item at the item itself.
      best = next.key ?? next.value ?? best
      node = next.value
    }
    const offset = best && 'range' in best && best.range ? best.range[0] : 0
    return at(offset)
  }
  let value: unknown
  try {
    value = doc.toJS({ maxAliasCount: 100 })
  } catch (error) {
    // The parser accepts an alias without its anchor, and aliases that would expand without
    // bound; both only fail when the document is turned into values.
    let alias = 0
    visit(doc, {
      Alias(_, node) {
        alias = node.range?.[0] ?? 0
        return visit.BREAK
      },
    })
    throw new SildInputError(
      `YAML alias error: ${(error as Error).message}`,
      at(alias),
      'Define each anchor (&name) before its alias (*name), and do not nest aliases to blow up the document.',
    )
  }
  return { file, value, locate }
}

/** The offset of the first key repeated in its map, in time linear in the document. */
const duplicateKey = (doc: ReturnType<typeof parseDocument>): number | undefined => {
  let found: number | undefined
  visit(doc, {
    Map(_, map) {
      const seen = new Set<string>()
      for (const pair of map.items) {
        const key = pair.key
        const name = isScalar(key) ? `s:${String(key.value)}` : key === null ? 'null' : undefined
        if (name === undefined) continue
        if (seen.has(name)) {
          found = (key as Node | null)?.range?.[0] ?? map.range?.[0] ?? 0
          return visit.BREAK
        }
        seen.add(name)
      }
      return undefined
    },
  })
  return found
}

const childOf = (
  node: unknown,
  segment: string | number,
): { key: Node | null; value: Node | null } | undefined => {
  if (isMap(node)) {
    const pair = node.items.find(
      (p) => (isScalar(p.key) ? String(p.key.value) : p.key) === String(segment),
    )
    if (!pair) return undefined
    return { key: (pair.key as Node) ?? null, value: (pair.value as Node) ?? null }
  }
  if (isSeq(node)) {
    const item = node.items[Number(segment)]
    return item ? { key: null, value: item as Node } : undefined
  }
  return undefined
}

/** The largest file `loadSourceFile` reads; the biggest public OpenAPI documents are a few MiB. */
export const MAX_SOURCE_BYTES = 16 * 1024 * 1024

/** Reads and parses a YAML or JSON file; a missing file is a SildInputError too. */
export const loadSourceFile = (file: string): LoadedSource => {
  let text: string
  try {
    const size = statSync(file).size
    if (size > MAX_SOURCE_BYTES) {
      throw new SildInputError(
        `${file} is ${size} bytes, more than the ${MAX_SOURCE_BYTES} bytes Sild reads from a spec, scenario, federation or partner file`,
        undefined,
        'Split the file, or check that it is the file you meant.',
      )
    }
    text = readFileSync(file, 'utf8')
  } catch (error) {
    if (error instanceof SildInputError) throw error
    const code = (error as NodeJS.ErrnoException).code
    throw new SildInputError(
      code === 'ENOENT' ? `file not found: ${file}` : `cannot read ${file} (${code})`,
      undefined,
      'Check the path; relative paths are resolved from the current directory.',
    )
  }
  const prebuilt = prebuiltValue(file, text)
  if (!prebuilt) return parseSource(text, file)
  // Only a message about the file needs its places, and only then is the text parsed.
  let parsed: LoadedSource | undefined
  return {
    file,
    value: prebuilt.value,
    locate: (path) => (parsed ??= parseSource(text, file)).locate(path),
  }
}
