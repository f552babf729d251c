import { redactHeaders, redactJson, redactUrl } from '../../specs/redaction/index.ts'
import type { Exchange } from '../types.ts'

/**
 * The exchange as reports keep it: credentials out of headers, URLs and bodies. The step itself
 * ran on the real values (a session token is an output the next step needs); only what is
 * recorded is redacted.
 */
export const redactExchange = (exchange: Exchange): Exchange => ({
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
