import { isSecretHeader, REDACTED, SECRET_NAME } from './index.ts'

/**
 * Secrets by value. Patterns find a credential by its form (`Bearer …`, a JWT, a `token` field);
 * a partner that quotes a token back without its scheme, in a problem detail, a
 * `WWW-Authenticate` header or a body, needs the value itself. These are the credentials a request
 * carried, to be hidden wherever they reappear.
 */

/** Shorter values are left alone: hiding every "1" or "yes" would hide the report instead. */
export const MIN_SECRET_LENGTH = 6

type HeaderInput = Readonly<Record<string, string>> | Iterable<readonly [string, string]>

/** A set of secret values: each long enough to hide, with its URL-encoded form too. */
const secretSet = () => {
  const found = new Set<string>()
  const add = (value: string | undefined) => {
    const v = value?.trim()
    if (!v || v.length < MIN_SECRET_LENGTH || v === REDACTED) return
    found.add(v)
    const encoded = encodeURIComponent(v)
    if (encoded !== v) found.add(encoded)
  }
  return { add, values: () => longestFirst(found) }
}

/** Values to replace, each once, longest first so that no shorter one cuts a longer one apart. */
const longestFirst = (values: Iterable<string>): string[] =>
  [...new Set(values)].sort((a, b) => b.length - a.length)

/** The secret values in credential headers, secret-named query parameters and body fields. */
export const secretValuesOf = (headers: HeaderInput, target?: string, body?: unknown): string[] => {
  const { add, values } = secretSet()
  const pairs =
    Symbol.iterator in Object(headers)
      ? [...(headers as Iterable<readonly [string, string]>)]
      : Object.entries(headers as Record<string, string>)
  for (const [name, value] of pairs) {
    if (!isSecretHeader(name)) continue
    add(value)
    const credentials = /^(\w+)\s+(.+)$/.exec(value.trim())
    if (credentials) {
      add(credentials[2])
      if (credentials[1]?.toLowerCase() === 'basic')
        basicParts(credentials[2] as string).forEach(add)
    }
    if (/cookie/i.test(name)) for (const part of value.split(';')) add(part.split('=')[1])
  }
  const q = target?.indexOf('?') ?? -1
  if (target && q >= 0) {
    for (const [name, value] of new URLSearchParams(target.slice(q + 1))) {
      if (SECRET_NAME.test(name)) add(value)
    }
  }
  collectFields(body, add, 0)
  return values()
}

/**
 * The values a JSON Schema marks as secret: `format: password` (OpenAPI's mark for a value to
 * obscure) or `writeOnly: true` (JSON Schema 2020-12, Validation §9.4: never sent back), wherever
 * they sit in `properties`, `allOf` or `items`. An Arazzo workflow's inputs schema marks its
 * secret inputs this way.
 */
export const secretSchemaValues = (schema: unknown, value: unknown): string[] => {
  const { add, values } = secretSet()
  const walk = (s: unknown, v: unknown, depth: number): void => {
    if (depth > 32 || !s || typeof s !== 'object' || v === undefined || v === null) return
    const node = s as Record<string, unknown>
    if (node.format === 'password' || node.writeOnly === true) {
      if (typeof v === 'string' || typeof v === 'number') add(String(v))
      else collectAll(v, add, 0)
      return
    }
    if (Array.isArray(node.allOf)) for (const part of node.allOf) walk(part, v, depth + 1)
    if (Array.isArray(v) && node.items) for (const item of v) walk(node.items, item, depth + 1)
    if (typeof v === 'object' && !Array.isArray(v) && node.properties) {
      const record = v as Record<string, unknown>
      for (const [name, sub] of Object.entries(node.properties as Record<string, unknown>)) {
        if (Object.hasOwn(record, name)) walk(sub, record[name], depth + 1)
      }
    }
  }
  walk(schema, value, 0)
  return values()
}

const collectAll = (value: unknown, add: (v: string) => void, depth: number): void => {
  if (typeof value === 'string' || typeof value === 'number') return add(String(value))
  if (depth > 32 || value === null || typeof value !== 'object') return
  for (const v of Object.values(value)) collectAll(v, add, depth + 1)
}

const basicParts = (encoded: string): string[] => {
  const decoded = Buffer.from(encoded, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  return colon < 0 ? [] : [decoded, decoded.slice(colon + 1)]
}

const collectFields = (value: unknown, add: (v: string) => void, depth: number): void => {
  if (depth > 32 || value === null || typeof value !== 'object') return
  for (const [key, v] of Object.entries(value)) {
    // A field named like a secret may hold a plain word (`tokenType: Bearer`): only values that
    // look generated count.
    if (SECRET_NAME.test(key) && (typeof v === 'string' || typeof v === 'number')) {
      const text = String(v)
      if (text.length >= 8 && !/^[A-Za-z]+$/.test(text)) add(text)
    } else collectFields(v, add, depth + 1)
  }
}

/** The text with every occurrence of each value replaced (values longest first). */
export const redactValues = (text: string, values: readonly string[]): string => {
  let out = text
  for (const value of values) if (out.includes(value)) out = out.split(value).join(REDACTED)
  return out
}

/**
 * A copy of a JSON-like value with the secret values hidden in every string and key. Parts with
 * nothing to hide are returned as they are.
 */
export const redactValuesDeep = <T>(value: T, secrets: Iterable<string>): T => {
  const values = longestFirst(secrets)
  if (values.length === 0) return value
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return redactValues(v, values)
    if (depth > 256 || v === null || typeof v !== 'object') return v
    if (Array.isArray(v)) {
      let out: unknown[] | undefined
      v.forEach((item, i) => {
        const r = walk(item, depth + 1)
        if (r !== item) (out ??= v.slice())[i] = r
      })
      return out ?? v
    }
    let out: Record<string, unknown> | undefined
    for (const [key, item] of Object.entries(v)) {
      const r = walk(item, depth + 1)
      const k = redactValues(key, values)
      if (r !== item || k !== key) {
        out ??= { ...(v as Record<string, unknown>) }
        if (k !== key) delete out[key]
        out[k] = r
      }
    }
    return out ?? v
  }
  return walk(value, 0) as T
}
