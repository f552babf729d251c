import type { InstanceModel, Protocol } from '../../specs/federation/index.ts'
import { formatUxpServiceId, renderUxpError, UXP_HEADER } from '../../specs/protocol/uxp/index.ts'
import { renderXroadError, type XroadFault } from '../../specs/protocol/xroad-errors/index.ts'
import {
  isFilteredHeader,
  providerResponseHeaders,
} from '../../specs/protocol/xroad-headers/index.ts'
import { formatClientId } from '../../specs/protocol/xroad-identifiers/index.ts'
import type { DirectReply } from '../sandbox/hosts.ts'
import type { LogRef, ProxyRequest, ProxyResponse } from './types.ts'

const SILD_LOG_HEADER = 'x-sild-log'

/** The answer to the client IS in its own protocol. */
export const renderResponse = (
  protocol: Protocol,
  request: ProxyRequest,
  response: Extract<ProxyResponse, { ok: true }>,
): DirectReply => {
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
  const headers: Array<[string, string]> = list.map(([name, value]) => [name, value])
  if (response.logRefs.length) headers.push([SILD_LOG_HEADER, response.logRefs.join(', ')])
  const noBody = response.status === 204 || response.status === 304 || request.method === 'HEAD'
  return { status: response.status, headers, body: noBody ? EMPTY : response.body }
}

const EMPTY = new Uint8Array()
const encoder = new TextEncoder()

/**
 * A security-server error as the answering instance writes it: in its protocol, with the fault
 * code in the style of its X-Road version, status by fault class, JSON or XML body. A fault raised
 * by a provider security server of another version is written in the answering server's style
 * (assumed: no source describes how mixed versions pass faults on).
 */
export const renderFault = (
  answering: Pick<InstanceModel, 'protocol' | 'xroadVersion'>,
  fault: XroadFault,
  accept: string | null,
  logRefs: LogRef[],
): DirectReply => {
  const rendered =
    answering.protocol === 'uxp-rest'
      ? renderUxpError(fault, accept)
      : renderXroadError(fault, accept, answering.xroadVersion)
  const headers: Array<[string, string]> = Object.entries(rendered.headers)
  if (logRefs.length) headers.push([SILD_LOG_HEADER, logRefs.join(', ')])
  return { status: rendered.status, headers, body: encoder.encode(rendered.body) }
}
