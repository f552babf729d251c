import {
  isSecretHeader,
  REDACTED,
  redactHeaders,
  redactText,
  redactUrl,
  redactValues,
  SECRET_NAME,
  secretValuesOf,
} from '../../specs/redaction/index.ts'
import type { RecordedExchange } from './logged.ts'

/**
 * A recorded exchange without credentials, and what was removed. A recorded scenario is meant to
 * be committed: a HAR from a browser carries the session's Authorization, cookies, `api_key`
 * query values, and the same tokens echoed in answers.
 */
export const scrubExchange = (
  exchange: RecordedExchange,
): { exchange: RecordedExchange; removed: string[] } => {
  const values = secretValuesOf(
    exchange.requestHeaders,
    exchange.path,
    jsonOf(exchange.requestBody),
  )
  const removed: string[] = []
  for (const [name, value] of Object.entries(exchange.requestHeaders)) {
    if (isSecretHeader(name) && !value.includes(REDACTED)) removed.push(`header ${name}`)
  }
  const q = exchange.path.indexOf('?')
  if (q >= 0) {
    for (const [name, value] of new URLSearchParams(exchange.path.slice(q + 1))) {
      if (SECRET_NAME.test(name) && value !== REDACTED) removed.push(`query parameter ${name}`)
    }
  }
  const text = (value: string | undefined) =>
    value === undefined ? undefined : redactValues(redactText(value), values)
  const responseBody = text(exchange.responseBody)
  const responseHeaders = Object.fromEntries(
    Object.entries(redactHeaders(exchange.responseHeaders)).map(([k, v]) => [
      k,
      redactValues(v, values),
    ]),
  )
  const echoed =
    responseBody !== exchange.responseBody ||
    JSON.stringify(responseHeaders) !== JSON.stringify(exchange.responseHeaders)
  if (echoed) removed.push('credentials echoed in the answer')
  const requestBody = text(exchange.requestBody)
  if (requestBody !== exchange.requestBody) removed.push('credentials in the request body')
  return {
    exchange: {
      ...exchange,
      path: redactValues(redactUrl(exchange.path), values),
      requestHeaders: redactHeaders(exchange.requestHeaders),
      responseHeaders,
      ...(requestBody !== undefined ? { requestBody } : {}),
      ...(responseBody !== undefined ? { responseBody } : {}),
    },
    removed,
  }
}

const jsonOf = (text: string | undefined): unknown => {
  if (!text || !/^\s*[{[]/.test(text)) return undefined
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
