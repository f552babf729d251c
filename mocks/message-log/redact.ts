import type { ExchangeLogEntry } from './record.ts'

/** What a secret is replaced with before it reaches the log. */
export const REDACTED = '[REDACTED]'

export type RedactOptions = {
  /** X-Road's `message-body-logging`: false clears bodies, path and query. */
  bodyLogging?: boolean
}

const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie'])
const SECRET_NAME = /token|secret|passw(?:or)?d|api[-_]?key/i
const TEXT_FIELDS = ['requestBody', 'responseBody', 'path', 'query', 'error'] as const
const BODY_FIELDS = ['requestBody', 'responseBody', 'path', 'query'] as const

// A cheap test first: most bodies hold none of these words, and then no replacement runs.
const MAYBE_SECRET = /token|passw|secret|bearer|eyJ|api[-_]?key|authorization/i
const JSON_FIELD =
  /("[\w$.-]*(?:token|secret|passw(?:or)?d|api[-_]?key|authorization)"\s*:\s*)(?:"(?:[^"\\]|\\.)*"|-?\d[\d.eE+-]*|true|false|null)/gi
// The value stops at a quote too, so a URL inside a JSON string keeps the string closed.
const FORM_FIELD = /((?:^|[?&;\s])[\w.-]*(?:token|secret|passw(?:or)?d|api[-_]?key)=)[^&#\s"\\]*/gi
// Case-sensitive and at least 8 characters long, so prose such as "bearer of the card" stays.
const BEARER = /\bBearer\s+[\w\-.~+/]{8,}=*/g
const JWT = /\beyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*/g

/**
 * A copy of the entry without credentials: the Authorization, Proxy-Authorization, Cookie and
 * Set-Cookie headers (and headers named like a token, secret, password or API key), bearer tokens
 * and JWTs anywhere in text, and JSON or form fields named like a token, secret or password.
 */
export const redactEntry = (
  entry: ExchangeLogEntry,
  { bodyLogging = true }: RedactOptions = {},
): ExchangeLogEntry => {
  const out: ExchangeLogEntry = { ...entry }
  if (entry.requestHeaders) out.requestHeaders = redactHeaders(entry.requestHeaders)
  if (entry.responseHeaders) out.responseHeaders = redactHeaders(entry.responseHeaders)
  if (!bodyLogging) for (const field of BODY_FIELDS) delete out[field]
  for (const field of TEXT_FIELDS) {
    const value = out[field]
    if (typeof value === 'string') out[field] = redactText(value)
  }
  return out
}

const redactHeaders = (headers: Record<string, string>): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    const secret = SECRET_HEADERS.has(name.toLowerCase()) || SECRET_NAME.test(name)
    out[name] = secret ? REDACTED : redactText(value)
  }
  return out
}

/** Replaces bearer tokens, JWTs and secret-named JSON or form fields in free text. */
export const redactText = (text: string): string => {
  if (!MAYBE_SECRET.test(text)) return text
  return text
    .replace(JSON_FIELD, `$1"${REDACTED}"`)
    .replace(FORM_FIELD, `$1${REDACTED}`)
    .replace(BEARER, `Bearer ${REDACTED}`)
    .replace(JWT, REDACTED)
}
