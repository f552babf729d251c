import { parseR1Path, uxpServicePath, type HeaderList } from '../../../specs/protocol/index.ts'
import type { Exchange } from '../../types.ts'
import type { ExchangeContext } from '../types.ts'

/** A header's value by case-insensitive name (HTTP header names are case-insensitive). */
export const headerOf = (
  headers: Readonly<Record<string, string>> | undefined,
  name: string,
): string | undefined => {
  if (!headers) return undefined
  const wanted = name.toLowerCase()
  // Recorded responses keep their header names in lower case: the common case needs no scan.
  if (Object.hasOwn(headers, wanted)) return headers[wanted]
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return value
  }
  return undefined
}

/** The headers as the raw list specs/protocol's header helpers read. */
export const headerList = (headers: Readonly<Record<string, string>>): HeaderList =>
  Object.entries(headers)

/** An HTTP response came back and it is the provider's, not a security-server fault. */
export const isProviderAnswer = (ctx: ExchangeContext): boolean =>
  ctx.exchange.response !== undefined && ctx.fault === undefined

/**
 * The provider path the request addressed (`/persons/123`, without the query), read from the URL
 * the client sent to its security server in its own protocol; undefined when it does not parse.
 */
export const servicePath = (exchange: Exchange): string | undefined => {
  if (servicePaths.has(exchange)) return servicePaths.get(exchange)
  const path = servicePathOf(exchange)
  servicePaths.set(exchange, path)
  return path
}

const servicePaths = new WeakMap<Exchange, string | undefined>()

const servicePathOf = (exchange: Exchange): string | undefined => {
  let pathname: string
  try {
    pathname = new URL(exchange.request.url, 'http://sild.invalid').pathname
  } catch {
    return undefined
  }
  if (exchange.protocol === 'https') return pathname
  if (exchange.protocol === 'uxp-rest') return uxpServicePath(pathname)
  const parsed = parseR1Path(pathname, { charset: 'lenient' })
  return parsed.ok ? parsed.value.servicePath : undefined
}

/** A partner's text, quoted and escaped for a message, cut to `max` characters. */
export const quote = (text: string, max = 120): string => {
  const quoted = JSON.stringify(text)
  return quoted.length <= max ? quoted : `${quoted.slice(0, max - 2)}…"`
}

/** `status 201` or `no response (timeout)`, for messages. */
export const describeOutcome = (ctx: ExchangeContext): string => {
  const { response, transportError } = ctx.exchange
  if (!response) return `no HTTP response (${transportError ?? 'transport error'})`
  if (ctx.fault) return `fault ${ctx.fault.code} (status ${response.status})`
  return `status ${response.status} from the provider`
}
