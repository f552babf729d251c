import { createReadStream } from 'node:fs'

/** One part of a JSON report as it is read: a top-level field, or one of its scenarios. */
export type ReportPart = { key: string; value: unknown } | { scenario: unknown }

/** The file is not JSON that can be read a part at a time; reading it whole says where and why. */
export class UnreadableReport extends Error {
  override name = 'UnreadableReport'
}

const WHITESPACE = new Set([' ', '\n', '\r', '\t'])

/**
 * Reads a JSON object a part at a time: each top-level field's value, except that the elements
 * of its `scenarios` array come one by one. Never holds more than one part's text.
 */
export async function* reportParts(file: string): AsyncGenerator<ReportPart> {
  const chunks = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })[
    Symbol.asyncIterator
  ]()
  let chunk = ''
  let pos = 0
  const fill = async (): Promise<boolean> => {
    while (pos >= chunk.length) {
      const next = await chunks.next()
      if (next.done) return false
      chunk = next.value as string
      pos = 0
    }
    return true
  }
  /** The next character that is not whitespace, consumed. */
  const token = async (): Promise<string | undefined> => {
    while (await fill()) {
      const c = chunk[pos++] as string
      if (!WHITESPACE.has(c)) return c
    }
    return undefined
  }
  const expect = async (wanted: string): Promise<string> => {
    const c = await token()
    if (c === undefined || !wanted.includes(c)) throw new UnreadableReport(`expected ${wanted}`)
    return c
  }
  /** The text of one value, up to (not including) one of `ends` outside any string or bracket. */
  const value = async (ends: string): Promise<unknown> => {
    const pieces: string[] = []
    let depth = 0
    let inString = false
    let escaped = false
    while (await fill()) {
      const start = pos
      let end = -1
      for (let i = pos; i < chunk.length; i++) {
        const c = chunk.charCodeAt(i)
        if (inString) {
          if (escaped) escaped = false
          else if (c === 92) escaped = true
          else if (c === 34) inString = false
        } else if (c === 34) inString = true
        else if (depth === 0 && ends.includes(chunk[i] as string)) {
          end = i
          break
        } else if (c === 123 || c === 91) depth++
        else if (c === 125 || c === 93) {
          if (depth === 0) throw new UnreadableReport('unbalanced brackets')
          depth--
        }
      }
      pieces.push(chunk.slice(start, end < 0 ? chunk.length : end))
      pos = end < 0 ? chunk.length : end
      if (end >= 0) break
    }
    try {
      return JSON.parse(pieces.join(''))
    } catch {
      throw new UnreadableReport('not JSON')
    }
  }
  await expect('{')
  const seen = new Set<string>()
  for (let more = true; more;) {
    const key = await value(':')
    // JSON.parse keeps the last of a repeated key; reading a part at a time cannot.
    if (typeof key !== 'string' || seen.has(key))
      throw new UnreadableReport('a key is not a string, or is repeated')
    seen.add(key)
    await expect(':')
    if (key === 'scenarios') {
      await expect('[')
      if ((await token()) !== ']') {
        pos--
        do yield { scenario: await value(',]') }
        while ((await expect(',]')) === ',')
      }
    } else yield { key, value: await value(',}') }
    more = (await expect(',}')) === ','
  }
  if ((await token()) !== undefined) throw new UnreadableReport('text after the report')
}
