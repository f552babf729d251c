import type { Protocol } from '../../specs/federation/index.ts'
import { formatUxpServiceId, renderUxpError, UXP_HEADER } from '../../specs/protocol/uxp/index.ts'
import { renderXroadError, type XroadFault } from '../../specs/protocol/xroad-errors/index.ts'
import {
  isFilteredHeader,
  providerResponseHeaders,
} from '../../specs/protocol/xroad-headers/index.ts'
import { formatClientId } from '../../specs/protocol/xroad-identifiers/index.ts'
import type { LogRef, ProxyRequest, ProxyResponse } from './types.ts'

const SILD_LOG_HEADER = 'x-sild-log'

/** The answer to the client IS in its own protocol. */
export const renderResponse = (
  protocol: Protocol,
  request: ProxyRequest,
  response: Extract<ProxyResponse, { ok: true }>,
): Response => {
  const headers = new Headers()
  const list =
    protocol === 'xroad-rest'
      ? providerResponseHeaders(response.headers, {
          messageId: request.messageId,
          client: request.client,
          service: request.service,
          requestId: request.requestId,
          requestHash: response.requestHash,
        })
      : [
          ...response.headers.filter(([name]) => !isFilteredHeader(name)),
          [UXP_HEADER.client, formatClientId(request.client)] as const,
          [UXP_HEADER.service, formatUxpServiceId(request.service)] as const,
          [UXP_HEADER.queryId, request.messageId] as const,
        ]
  for (const [name, value] of list) headers.append(name, value)
  if (response.logRefs.length) headers.set(SILD_LOG_HEADER, response.logRefs.join(', '))
  const noBody = response.status === 204 || response.status === 304 || request.method === 'HEAD'
  return new Response(noBody ? null : (response.body as Uint8Array<ArrayBuffer>), {
    status: response.status,
    headers,
  })
}

/** A security-server error in the client's protocol: status by fault class, JSON or XML body. */
export const renderFault = (
  protocol: Protocol,
  fault: XroadFault,
  accept: string | null,
  logRefs: LogRef[],
): Response => {
  const rendered =
    protocol === 'uxp-rest' ? renderUxpError(fault, accept) : renderXroadError(fault, accept)
  const headers = new Headers(rendered.headers)
  if (logRefs.length) headers.set(SILD_LOG_HEADER, logRefs.join(', '))
  return new Response(rendered.body, { status: rendered.status, headers })
}
