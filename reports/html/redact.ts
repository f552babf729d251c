import { toCurl } from '../curl.ts'
import type { Exchange } from '../../runner/types.ts'

/** What a secret is replaced by in every rendered report. */
export const REDACTED = '[redacted]'

const SECRET_HEADER =
  /^(authorization|proxy-authorization|cookie|set-cookie)$|token|secret|passw|api-?key|session/i
const SECRET_KEY = /passw(or)?d|secret|token|api[-_]?key|authorization|cookie|^session/i
const CREDENTIALS = /\b(Bearer|Basic|Digest)\s+[A-Za-z0-9._~+/=-]+/g

/** Headers with secrets replaced; an authorization header keeps its scheme. */
export const redactHeaders = (headers: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(headers).map(([name, value]) => {
      if (!SECRET_HEADER.test(name)) return [name, value]
      const scheme = /^authorization$|^proxy-authorization$/i.test(name)
        ? /^(\w+)\s/.exec(value)?.[1]
        : undefined
      return [name, scheme ? `${scheme} ${REDACTED}` : REDACTED]
    }),
  )

/** A JSON body with the values of secret-looking keys replaced; text with credentials masked. */
export const redactBody = (body: unknown): unknown => {
  if (typeof body === 'string') return body.replace(CREDENTIALS, `$1 ${REDACTED}`)
  if (Array.isArray(body)) return body.map(redactBody)
  if (body && typeof body === 'object')
    return Object.fromEntries(
      Object.entries(body).map(([key, value]) => [
        key,
        SECRET_KEY.test(key) && value !== null && typeof value !== 'object'
          ? REDACTED
          : redactBody(value),
      ]),
    )
  return body
}

/** A URL with the values of secret-looking query parameters replaced. */
export const redactUrl = (url: string): string => {
  const q = url.indexOf('?')
  if (q < 0) return url
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=')
      const name = decodeSafely(eq < 0 ? pair : pair.slice(0, eq))
      return eq >= 0 && SECRET_KEY.test(name) ? `${pair.slice(0, eq)}=${REDACTED}` : pair
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
    body: bodyText(redactBody(request.body)),
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
