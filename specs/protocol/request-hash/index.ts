import { createHash, hash } from 'node:crypto'
import type { HeaderList } from '../xroad-headers/index.ts'

export type RequestHashInput = {
  /** The HTTP method in upper case, as X-Road's `RestRequest.Verb` names it. */
  method: string
  /** The raw consumer request target: `/r1/{serviceId}[/path]` plus `?query` if there was one. */
  pathAndQuery: string
  /** The headers the consumer SS forwarded: the output of `consumerRequestHeaders`. */
  headers: HeaderList
  body?: Uint8Array
}

const CRLF = '\r\n'

/**
 * The REST header part X-Road signs and hashes (`RestRequest.toByteArray`, 7.6.3): the method,
 * CRLF, the raw request path with `?query`, CRLF, then `name:value` CRLF per header, no space
 * after the colon, in UTF-8.
 */
export const serializeRestRequestHead = (input: RequestHashInput): Uint8Array =>
  Buffer.from(restRequestHeadText(input), 'utf8')

const restRequestHeadText = ({ method, pathAndQuery, headers }: RequestHashInput): string => {
  let head = method + CRLF + pathAndQuery + CRLF
  for (const [name, value] of headers) head += name + ':' + value + CRLF
  return head
}

const sha512 = (...chunks: Uint8Array[]): Buffer => {
  if (chunks.length === 1) return hash('sha512', chunks[0] as Uint8Array, 'buffer')
  const digest = createHash('sha512')
  for (const chunk of chunks) digest.update(chunk)
  return digest.digest()
}

/**
 * The X-Road-Request-Hash the provider SS returns and the consumer SS verifies, as X-Road 7.6.3
 * computes it (nordic-institute/X-Road@7.6.3,
 * src/proxy/core/src/main/java/ee/ria/xroad/proxy/serverproxy/ServerRestMessageProcessor.java
 * "calculate request hash", ClientRestMessageProcessor.checkConsistency, RestMessage.getHash,
 * ProxyMessageEncoder.restBody): SHA-512 of the serialized head; with a body,
 * SHA-512(SHA-512(head) || SHA-512(body)); base64, 88 characters.
 *
 * The source leaves open only what the head is made of, and this is what Sild does: the path is
 * the consumer's full raw `/r1/...` target (Jetty's undecoded `HttpURI.getPath()`), not the
 * provider's path; header names are serialized exactly as given (Jetty keeps the client's order
 * and may recase well-known names; Sild uses whatever list its SS forwards, so both ends agree);
 * values are as the HTTP parser left them (trimmed); and a zero-length body counts as no body,
 * because the consumer SS adds a body part only when its first read returns bytes.
 */
export const computeRequestHash = (input: RequestHashInput): string => {
  // The head as a string: hashing encodes it to UTF-8 itself, without a copy in between.
  const headHash = hash('sha512', restRequestHeadText(input), 'buffer')
  if (input.body === undefined || input.body.length === 0) return headHash.toString('base64')
  return sha512(headHash, sha512(input.body)).toString('base64')
}

/** Whether a value has the shape of a request hash: base64 of exactly 64 bytes. */
export const isRequestHashFormat = (value: string): boolean =>
  /^[A-Za-z0-9+/]{85}[AQgw]==$/.test(value)
