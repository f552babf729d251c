/**
 * What counts as a secret in an exchange, and how it is hidden: one definition for the message
 * log, the run reports and every rendering of them.
 */
export const REDACTED = '[REDACTED]'

const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie'])
/** Header, field and parameter names that hold credentials. */
export const SECRET_NAME = /token|secret|passw(?:or)?d|api[-_]?key|authorization|cookie|^session/i

// A cheap test first: most bodies hold none of these words, and then no replacement runs.
const MAYBE_SECRET = /token|passw|secret|bearer|basic|eyJ|api[-_]?key|authorization/i
const JSON_FIELD =
  /("[\w$.-]*(?:token|secret|passw(?:or)?d|api[-_]?key|authorization)"\s*:\s*)(?:"(?:[^"\\]|\\.)*"|-?\d[\d.eE+-]*|true|false|null)/gi
// The value stops at a quote too, so a URL inside a JSON string keeps the string closed.
const FORM_FIELD = /((?:^|[?&;\s])[\w.-]*(?:token|secret|passw(?:or)?d|api[-_]?key)=)[^&#\s"\\]*/gi
// Case-sensitive and at least 8 characters long, so prose such as "bearer of the card" stays.
const CREDENTIALS = /\b(Bearer|Basic|Digest)\s+[\w\-.~+/]{8,}=*/g
const JWT = /\beyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*/g

export const isSecretHeader = (name: string): boolean =>
  SECRET_HEADERS.has(name.toLowerCase()) || SECRET_NAME.test(name)

/** Headers with credentials replaced; an Authorization header keeps its scheme. */
export const redactHeaders = (
  headers: Readonly<Record<string, string>>,
): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (!isSecretHeader(name)) {
      out[name] = redactText(value)
      continue
    }
    const scheme = /authorization$/i.test(name) ? /^(\w+)\s/.exec(value)?.[1] : undefined
    out[name] = scheme ? `${scheme} ${REDACTED}` : REDACTED
  }
  return out
}

/** Replaces bearer/basic credentials, JWTs and secret-named JSON or form fields in free text. */
export const redactText = (text: string): string => {
  if (!MAYBE_SECRET.test(text)) return text
  return text
    .replace(JSON_FIELD, `$1"${REDACTED}"`)
    .replace(FORM_FIELD, `$1${REDACTED}`)
    .replace(CREDENTIALS, `$1 ${REDACTED}`)
    .replace(JWT, REDACTED)
}

/**
 * A JSON value with secret-named fields replaced and credentials in strings masked. Parts with
 * nothing to hide are returned as they are, not copied.
 */
export const redactJson = (value: unknown): unknown => {
  if (typeof value === 'string') return redactText(value)
  if (Array.isArray(value)) {
    let out: unknown[] | undefined
    for (let i = 0; i < value.length; i++) {
      const v = redactJson(value[i])
      if (v !== value[i]) (out ??= value.slice())[i] = v
    }
    return out ?? value
  }
  if (value && typeof value === 'object') {
    let out: Record<string, unknown> | undefined
    for (const [key, v] of Object.entries(value)) {
      const redacted =
        SECRET_NAME.test(key) && (v === null || typeof v !== 'object') ? REDACTED : redactJson(v)
      if (redacted !== v) (out ??= { ...value })[key] = redacted
    }
    return out ?? value
  }
  return value
}

/** A URL with the values of secret-named query parameters replaced. */
export const redactUrl = (url: string): string => {
  const q = url.indexOf('?')
  if (q < 0) return url
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=')
      const name = decodeSafely(eq < 0 ? pair : pair.slice(0, eq))
      return eq >= 0 && SECRET_NAME.test(name) ? `${pair.slice(0, eq)}=${REDACTED}` : pair
    })
  return `${url.slice(0, q)}?${query.join('&')}`
}

const decodeSafely = (s: string): string => {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}

export {
  MIN_SECRET_LENGTH,
  redactValues,
  redactValuesDeep,
  secretSchemaValues,
  secretValuesOf,
} from './by-value.ts'
