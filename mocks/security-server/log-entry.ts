import {
  faultCodeIn,
  statusForFaultCodeIn,
  type XroadVersion,
} from '../../specs/protocol/xroad-versions/index.ts'
import type { ExchangeLogEntry } from '../message-log/index.ts'
import type { ClientRequestInput } from './client-request.ts'
import type { ProviderOutcome } from './provider.ts'
import type { ProxyRequest, ProxyResponse } from './types.ts'

const MAX_LOGGED_BODY = 256 * 1024

/** What one security server records about one exchange it took part in. */
export const logEntry = ({
  ssKey,
  instance,
  roles,
  request,
  rawRequest,
  outcome,
  durationMs,
  translation,
  xroadVersion,
}: {
  /** The logging server's version: faults are logged as it writes them. */
  xroadVersion: XroadVersion
  ssKey: string
  instance: string
  roles: Array<'consumer' | 'provider'>
  request?: ProxyRequest
  rawRequest?: ClientRequestInput
  outcome: ProviderOutcome | ProxyResponse
  durationMs: number
  translation?: string
}): ExchangeLogEntry => ({
  kind: 'exchange',
  securityServer: ssKey,
  instance,
  roles,
  ...(request
    ? {
        messageId: request.messageId,
        requestId: request.requestId,
        client: request.clientKey,
        service: request.serviceKey,
        protocol: request.clientProtocol,
        method: request.method,
        path: request.servicePath,
        requestHeaders: headerRecord(request.headers),
        requestBody: bodyText(request.body),
        ...(request.warnings?.length ? { warnings: request.warnings } : {}),
      }
    : {
        method: rawRequest?.method,
        path: rawRequest ? `${rawRequest.pathname}${rawRequest.search}` : undefined,
        requestHeaders: rawRequest ? headerRecord(rawRequest.headers) : undefined,
      }),
  ...(translation ? { translation } : {}),
  ...(outcome.ok
    ? {
        status: outcome.status,
        responseHeaders: headerRecord(outcome.headers),
        responseBody: bodyText(outcome.body),
        requestHash: outcome.requestHash,
      }
    : {
        status: statusForFaultCodeIn(faultCodeIn(outcome.fault.type, xroadVersion), xroadVersion),
        error: faultCodeIn(outcome.fault.type, xroadVersion),
        errorMessage: outcome.fault.message,
        errorDetail: outcome.fault.detail,
      }),
  durationMs: Math.round(durationMs * 1000) / 1000,
})

const headerRecord = (
  headers: ReadonlyArray<readonly [string, string]>,
): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const [name, value] of headers) {
    const key = name.toLowerCase()
    out[key] = key in out ? `${out[key]}, ${value}` : value
  }
  return out
}

const decoder = new TextDecoder('utf-8', { fatal: true })

const bodyText = (body: Uint8Array | undefined): string | undefined => {
  if (!body || body.byteLength === 0) return undefined
  const slice = body.byteLength > MAX_LOGGED_BODY ? body.subarray(0, MAX_LOGGED_BODY) : body
  let text: string
  try {
    text = decoder.decode(slice)
  } catch {
    text = `base64:${Buffer.from(slice).toString('base64')}`
  }
  return body.byteLength > MAX_LOGGED_BODY ? `${text}…[truncated ${body.byteLength} bytes]` : text
}
