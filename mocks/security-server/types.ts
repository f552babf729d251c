import type { Protocol } from '../../specs/federation/index.ts'
import type { XroadFault } from '../../specs/protocol/xroad-errors/index.ts'
import type { HeaderList } from '../../specs/protocol/xroad-headers/index.ts'
import type { ClientId, ServiceId } from '../../specs/protocol/xroad-identifiers/index.ts'

/**
 * A request as it travels between security servers: protocol-neutral, so an X-Road client can
 * reach a UXP provider and the reverse. In X-Road this is the signed multipart transport message.
 */
export type ProxyRequest = {
  clientProtocol: Protocol
  consumerInstance: string
  client: ClientId
  clientKey: string
  service: ServiceId & { serviceVersion?: string }
  serviceKey: string
  method: string
  /** What the provider IS sees: path after the service id, plus `?query`. */
  servicePath: string
  /** The client's raw request target (`/r1/...` or `/restapi/...`, with query): hashed. */
  requestTarget: string
  /** The headers the consumer SS forwarded (and hashes). */
  headers: HeaderList
  body?: Uint8Array
  messageId: string
  requestId: string
  purposeIds?: string[]
  /** What the consumer SS logged as a warning, e.g. identifier characters outside PR-REST §4.8. */
  warnings?: string[]
}

/** Where an exchange was logged: `INSTANCE#seq`. */
export type LogRef = string

export type ProxyResponse =
  | {
      ok: true
      status: number
      /** The provider IS's response headers, filtered of hop-by-hop and protocol headers. */
      headers: HeaderList
      body: Uint8Array
      requestHash: string
      logRefs: LogRef[]
    }
  | { ok: false; fault: XroadFault; logRefs: LogRef[] }
