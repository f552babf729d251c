import type { ExchangeLogEntry } from './record.ts'

import {
  REDACTED,
  redactHeaders,
  redactText,
  redactValuesDeep,
  secretValuesOf,
} from '../../specs/redaction/index.ts'

export { REDACTED, redactText }

export type RedactOptions = {
  /** X-Road's `message-body-logging`: false clears bodies, path and query. */
  bodyLogging?: boolean
  /** Secret values known by value (credentials Sild sent), redacted wherever they appear. */
  secrets?: readonly string[]
}

const TEXT_FIELDS = ['requestBody', 'responseBody', 'path', 'query', 'error'] as const
const BODY_FIELDS = ['requestBody', 'responseBody', 'path', 'query'] as const

/**
 * A copy of the entry without credentials (specs/redaction): credential headers, bearer tokens
 * and JWTs anywhere in text, and JSON or form fields named like a token, secret or password.
 */
export const redactEntry = (
  entry: ExchangeLogEntry,
  { bodyLogging = true, secrets = [] }: RedactOptions = {},
): ExchangeLogEntry => {
  // The credentials the request carried, by value: a partner may quote them back anywhere.
  const target = `${entry.path ?? ''}${typeof entry.query === 'string' ? entry.query : ''}`
  const values = [
    ...secretValuesOf(entry.requestHeaders ?? {}, target, jsonOf(entry.requestBody)),
    ...secrets,
  ]
  const out: ExchangeLogEntry = { ...entry }
  if (entry.requestHeaders) out.requestHeaders = redactHeaders(entry.requestHeaders)
  if (entry.responseHeaders) out.responseHeaders = redactHeaders(entry.responseHeaders)
  if (!bodyLogging) for (const field of BODY_FIELDS) delete out[field]
  for (const field of TEXT_FIELDS) {
    const value = out[field]
    if (typeof value === 'string') out[field] = redactText(value)
  }
  return values.length ? redactValuesDeep(out, values) : out
}

const jsonOf = (text: unknown): unknown => {
  if (typeof text !== 'string' || !/^\s*[{[]/.test(text)) return undefined
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
