import { redactHeaders, redactJson, redactUrl } from '../../specs/redaction/index.ts'
import { toCurl } from '../curl.ts'
import type { Exchange } from '../../runner/types.ts'

/** The body as the request sent it: JSON text for parsed bodies. */
export const bodyText = (body: unknown): string | undefined =>
  body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)

/** A `curl` that sends the exchange's request again, with secrets redacted. */
export const reproduceCurl = (
  request: Exchange['request'],
  reproduceUrl: (url: string) => string = (u) => u,
): string =>
  toCurl({
    method: request.method,
    url: redactUrl(reproduceUrl(request.url)),
    headers: redactHeaders(request.headers),
    body: bodyText(redactJson(request.body)),
  })

/**
 * Whether a URL names a `.test` host (RFC 2606), as the in-process sandbox's do: no one can call
 * it by hand, so a reader needs the way to a served port instead.
 */
export const isUnreachableUrl = (url: string): boolean => {
  try {
    return new URL(url).hostname.endsWith('.test')
  } catch {
    return false
  }
}
