import type { Protocol } from '../../specs/federation/index.ts'
import { UXP_HEADER } from '../../specs/protocol/uxp/index.ts'
import { XROAD_HEADER, type HeaderList } from '../../specs/protocol/xroad-headers/index.ts'
import { formatClientId } from '../../specs/protocol/xroad-identifiers/index.ts'
import { formatUxpServiceId } from '../../specs/protocol/uxp/index.ts'
import type { ProxyRequest } from './types.ts'

/**
 * How a message crosses between X-Road REST and Trembita/UXP REST. The transport between security
 * servers is protocol-neutral; each side speaks its own protocol to its own information systems.
 * The provider IS receives these headers in its protocol, whatever the client spoke:
 *
 * | meaning            | X-Road REST        | UXP REST        |
 * |--------------------|--------------------|-----------------|
 * | client subsystem   | X-Road-Client      | Uxp-Client      |
 * | service            | X-Road-Service     | Uxp-Service     |
 * | message id         | X-Road-Id          | Uxp-QueryID     |
 * | transport id       | X-Road-Request-Id  | (none)          |
 *
 * Other headers (X-Road-UserId, X-Road-Issue, Uxp-Purpose-Ids, Uxp-Subject-Id, Authorization, …)
 * pass through unchanged as user headers, so an Estonian client calling a Ukrainian personal-data
 * service sends Uxp-Purpose-Ids itself and the Trembita side checks it.
 */
export const BORDER_HEADERS: Record<
  'client' | 'service' | 'messageId' | 'requestId',
  Record<Protocol, string | null>
> = {
  client: { 'xroad-rest': XROAD_HEADER.client, 'uxp-rest': UXP_HEADER.client },
  service: { 'xroad-rest': XROAD_HEADER.service, 'uxp-rest': UXP_HEADER.service },
  messageId: { 'xroad-rest': XROAD_HEADER.id, 'uxp-rest': UXP_HEADER.queryId },
  requestId: { 'xroad-rest': XROAD_HEADER.requestId, 'uxp-rest': null },
}

const PROTOCOL_HEADERS = new Set(
  Object.values(BORDER_HEADERS).flatMap((byProtocol) =>
    Object.values(byProtocol).filter((h): h is string => h !== null),
  ),
)

/**
 * The headers the provider IS receives. From an X-Road client to an X-Road provider, exactly what
 * X-Road passes on: the client's headers minus the skipped ones, with X-Road-Id and
 * X-Road-Request-Id, and never X-Road-Service (`RestRequest` constructor, `ServerRestMessageProcessor`
 * at 7.6.3). Across the border (assumed: no source), user headers plus the provider side's own
 * protocol headers; an X-Road provider still gets no X-Road-Service, a UXP provider gets Uxp-Service.
 */
export const providerRequestHeaders = (
  request: ProxyRequest,
  providerProtocol: Protocol,
): HeaderList => {
  if (request.clientProtocol === 'xroad-rest' && providerProtocol === 'xroad-rest') {
    return request.headers
  }
  const user = request.headers.filter(([name]) => !PROTOCOL_HEADERS.has(name.toLowerCase()))
  const ids: Array<[string, string]> = [
    [BORDER_HEADERS.client[providerProtocol] as string, formatClientId(request.client)],
  ]
  if (providerProtocol === 'uxp-rest') {
    ids.push([
      BORDER_HEADERS.service[providerProtocol] as string,
      formatUxpServiceId(request.service),
    ])
  }
  ids.push([BORDER_HEADERS.messageId[providerProtocol] as string, request.messageId])
  const requestIdHeader = BORDER_HEADERS.requestId[providerProtocol]
  if (requestIdHeader) ids.push([requestIdHeader, request.requestId])
  return [...user, ...ids]
}

/** `xroad-rest→uxp-rest` when a message crossed between protocols, else undefined. */
export const translationOf = (from: Protocol, to: Protocol): string | undefined =>
  from === to ? undefined : `${from}→${to}`

/** Drops every protocol header (both sides) from a provider's response headers. */
export const withoutProtocolHeaders = (headers: HeaderList): HeaderList =>
  headers.filter(
    ([name]) =>
      !PROTOCOL_HEADERS.has(name.toLowerCase()) && name.toLowerCase() !== XROAD_HEADER.requestHash,
  )
