import { computeRequestHash } from '../../specs/protocol/request-hash/index.ts'
import type { ProxyRequest } from './types.ts'

const hashes = new WeakMap<ProxyRequest, string>()

/**
 * The X-Road-Request-Hash of a transport message. The provider side creates it and the consumer
 * side verifies it; when both run in this process they hold the very same message object, whose
 * bytes cannot differ, so the digest is computed once per message.
 */
export const requestHashOf = (req: ProxyRequest): string => {
  let hash = hashes.get(req)
  if (hash === undefined) {
    hash = computeRequestHash({
      method: req.method,
      pathAndQuery: req.requestTarget,
      headers: req.headers,
      body: req.body,
    })
    hashes.set(req, hash)
  }
  return hash
}
