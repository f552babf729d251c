import {
  redactHeaders,
  redactJson,
  redactUrl,
  redactValuesDeep,
  secretValuesOf,
} from '../../specs/redaction/index.ts'
import type { Exchange } from '../types.ts'

/**
 * The exchange as reports keep it: credentials out of headers, URLs and bodies. The step itself
 * ran on the real values (a session token is an output the next step needs); only what is
 * recorded is redacted.
 */
export const redactExchange = (exchange: Exchange): Exchange =>
  redactValuesDeep(redactPatterns(exchange), secretsOf(exchange))

/** The credentials the step sent, by value: hidden wherever they reappear in its result. */
export const secretsOf = (exchange: Exchange): string[] =>
  secretValuesOf(exchange.request.headers, exchange.request.url, exchange.request.body)

const redactPatterns = (exchange: Exchange): Exchange => ({
  ...exchange,
  request: {
    ...exchange.request,
    url: redactUrl(exchange.request.url),
    headers: redactHeaders(exchange.request.headers),
    ...(exchange.request.body !== undefined ? { body: redactJson(exchange.request.body) } : {}),
  },
  ...(exchange.response
    ? {
        response: {
          ...exchange.response,
          headers: redactHeaders(exchange.response.headers),
          ...(exchange.response.body !== undefined
            ? { body: redactJson(exchange.response.body) }
            : {}),
        },
      }
    : {}),
})
