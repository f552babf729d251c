import {
  formatClientId,
  formatServiceId,
  type ClientId,
  type ServiceId,
} from '../xroad-identifiers/index.ts'

/** PR-REST header names in X-Road's canonical lower case (`MimeUtils.java`, 7.6.3). */
export const XROAD_HEADER = {
  client: 'x-road-client',
  service: 'x-road-service',
  id: 'x-road-id',
  userId: 'x-road-userid',
  issue: 'x-road-issue',
  securityServer: 'x-road-security-server',
  representedParty: 'x-road-represented-party',
  requestId: 'x-road-request-id',
  requestHash: 'x-road-request-hash',
  error: 'x-road-error',
} as const

export type XroadHeaderKey = keyof typeof XROAD_HEADER

/** The same names as PR-REST writes them, for messages and generated requests. */
export const XROAD_HEADER_DISPLAY: Record<XroadHeaderKey, string> = {
  client: 'X-Road-Client',
  service: 'X-Road-Service',
  id: 'X-Road-Id',
  userId: 'X-Road-UserId',
  issue: 'X-Road-Issue',
  securityServer: 'X-Road-Security-Server',
  representedParty: 'X-Road-Represented-Party',
  requestId: 'X-Road-Request-Id',
  requestHash: 'X-Road-Request-Hash',
  error: 'X-Road-Error',
}

/**
 * Headers a security server never passes on, in either direction: the hop-by-hop headers of
 * PR-REST §4.3 plus Host, User-Agent, Server, Content-Length (the SS may re-encode the body) and
 * Expect (answered locally). Exactly `RestMessage.SKIPPED_HEADERS` of X-Road 7.6.3.
 */
export const FILTERED_HEADERS: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'user-agent',
  'server',
  'content-length',
  'expect',
])

export const isFilteredHeader = (name: string): boolean => FILTERED_HEADERS.has(name.toLowerCase())

/** Headers the consumer SS drops from the client's request before setting its own. */
export const CLIENT_DROPPED_HEADERS: readonly string[] = [
  XROAD_HEADER.requestId,
  XROAD_HEADER.requestHash,
]

/**
 * Headers the provider SS drops from the provider's response before setting its own
 * (`RestResponse` constructor, 7.6.3). X-Road-Service is not among them in 7.6.3.
 */
export const PROVIDER_RESPONSE_DROPPED_HEADERS: readonly string[] = [
  XROAD_HEADER.id,
  XROAD_HEADER.requestHash,
  XROAD_HEADER.client,
  XROAD_HEADER.requestId,
]

/** Raw headers in arrival order, duplicates kept: Node's `rawHeaders` in pairs, undici's list. */
export type HeaderList = ReadonlyArray<readonly [string, string]>

/** A raw list, or a WHATWG `Headers` object (which has already joined duplicates with ', '). */
export type HeaderSource = HeaderList | Headers

// A single valid identifier value never contains ", ": a raw space is not allowed unencoded in an
// identifier part. So for these headers a `Headers` value joined from duplicates can be split back
// and its last element taken. For other headers (X-Road-Issue is free text) it cannot.
const IDENTIFIER_HEADERS: ReadonlySet<string> = new Set([
  XROAD_HEADER.client,
  XROAD_HEADER.service,
  XROAD_HEADER.securityServer,
  XROAD_HEADER.representedParty,
  'uxp-client',
  'uxp-service',
])

/** Every value of a header in a raw list, in order; names compare case-insensitively. */
export const headerValues = (headers: HeaderList, name: string): string[] => {
  const wanted = name.toLowerCase()
  return headers.filter(([n]) => n.toLowerCase() === wanted).map(([, v]) => v)
}

/**
 * The value of a header, the LAST one when it was sent several times (PR-REST §4.3: "the Security
 * Server SHOULD use the last defined header"). From a raw list this is exact. From a `Headers`
 * object, duplicates of identifier headers are split at ', ' and the last taken; other headers are
 * returned as joined.
 */
export const lastHeaderValue = (headers: HeaderSource, name: string): string | undefined => {
  if (isHeaderList(headers)) return headerValues(headers, name).at(-1)
  const joined = headers.get(name)
  if (joined === null) return undefined
  return IDENTIFIER_HEADERS.has(name.toLowerCase()) ? joined.split(', ').at(-1) : joined
}

/**
 * The client header and its (last) value. X-Road has exactly one, X-Road-Client (PR-REST §4.3;
 * `MimeUtils.HEADER_CLIENT_ID` at 7.6.3 and 7.8.0): GovStack's Information-Mediator-Client and
 * X-GovStack-Client are not read, so a request that names its client only so is refused.
 */
export const clientHeader = (
  headers: HeaderSource,
): { name: string; value: string } | undefined => {
  const value = lastHeaderValue(headers, XROAD_HEADER.client)
  return value === undefined ? undefined : { name: XROAD_HEADER.client, value }
}

/** Turns a `Headers` object into a raw list (lower-case names, sorted, duplicates joined). */
export const toHeaderList = (headers: HeaderSource): HeaderList =>
  isHeaderList(headers) ? headers : [...headers.entries()]

const isHeaderList = (headers: HeaderSource): headers is HeaderList => Array.isArray(headers)

/**
 * The headers the consumer SS forwards, and hashes, for a client request (`RestRequest`
 * constructor and `setQueryId`, 7.6.3): the client's headers minus the filtered ones and any
 * X-Road-Request-Id/-Hash, then `x-road-request-id`, then `x-road-id` if the client sent none.
 * X-Road generates that message id as `{instance}-{uuid}`; pass it in.
 */
export const consumerRequestHeaders = (
  clientHeaders: HeaderList,
  { requestId, messageId }: { requestId: string; messageId: string },
): HeaderList => {
  const kept = clientHeaders.filter(
    ([name]) => !isFilteredHeader(name) && !CLIENT_DROPPED_HEADERS.includes(name.toLowerCase()),
  )
  const hasMessageId = kept.some(([name]) => name.toLowerCase() === XROAD_HEADER.id)
  return [
    ...kept,
    [XROAD_HEADER.requestId, requestId],
    ...(hasMessageId ? [] : [[XROAD_HEADER.id, messageId] as const]),
  ]
}

/**
 * The response headers the provider SS returns (`RestResponse` constructor, 7.6.3): the
 * provider's headers minus the filtered and overwritten ones, then x-road-id, x-road-client,
 * x-road-service, x-road-request-id and x-road-request-hash, in that order.
 */
export const providerResponseHeaders = (
  providerHeaders: HeaderList,
  ids: {
    messageId: string
    client: ClientId
    service: ServiceId
    requestId: string
    requestHash: string
  },
): HeaderList => [
  ...providerHeaders.filter(
    ([name]) =>
      !isFilteredHeader(name) && !PROVIDER_RESPONSE_DROPPED_HEADERS.includes(name.toLowerCase()),
  ),
  [XROAD_HEADER.id, ids.messageId],
  [XROAD_HEADER.client, formatClientId(ids.client)],
  [XROAD_HEADER.service, formatServiceId(ids.service)],
  [XROAD_HEADER.requestId, ids.requestId],
  [XROAD_HEADER.requestHash, ids.requestHash],
]
