import type { Exchange, Protocol } from '../types.ts'
import type { Transport } from '../transport.ts'
import type { BuiltRequest } from './request.ts'

/** Response bodies above this are cut: a partner's huge body is a finding, not a crash. */
export const MAX_RESPONSE_BYTES = 8 * 1024 * 1024

const LOG_HEADER = 'x-sild-log'
const PLAIN_GRACE_MS = 1000

/** Sends one request and records what the client saw. Never throws for network trouble. */
export const sendExchange = async (
  transport: Transport,
  request: BuiltRequest,
  meta: Pick<Exchange, 'id' | 'client' | 'service' | 'serviceId' | 'operationId' | 'protocol'> & {
    providerProtocol: Protocol
    timeoutMs: number
  },
): Promise<Exchange> => {
  const started = performance.now()
  const hops = hopsOf(meta)
  const base: Exchange = {
    id: meta.id,
    client: meta.client,
    service: meta.service,
    serviceId: meta.serviceId,
    operationId: meta.operationId,
    protocol: meta.protocol,
    request: {
      method: request.method,
      url: request.url,
      headers: request.headers,
      ...(request.bodyValue !== undefined ? { body: request.bodyValue } : {}),
    },
    durationMs: 0,
    hops,
    logRefs: [],
  }
  // The security server enforces the provider's timeout and answers with its fault; the runner's
  // own limit is only a backstop, so in-process it waits a little longer than the server does.
  const plain = withinTimeout(
    transport.call?.(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
    }),
    meta.timeoutMs + PLAIN_GRACE_MS,
  )
  try {
    if (plain) {
      const reply = await plain
      if (!reply) return failed(base, `no response within ${meta.timeoutMs} ms`, started)
      const truncated = reply.body.byteLength > MAX_RESPONSE_BYTES
      const bytes = truncated ? reply.body.subarray(0, MAX_RESPONSE_BYTES) : reply.body
      const text = Buffer.from(bytes).toString('utf8')
      return recorded(base, reply.status, reply.headers, text, truncated, started)
    }
    const response = await transport.fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(meta.timeoutMs),
    })
    const { text, truncated } = await readLimited(response)
    return recorded(base, response.status, response.headers, text, truncated, started)
  } catch (error) {
    const e = error as {
      name?: string
      message?: string
      cause?: { code?: string; message?: string }
    }
    const reason =
      e.name === 'TimeoutError' || e.name === 'AbortError'
        ? `no response within ${meta.timeoutMs} ms`
        : `${e.cause?.code ?? e.name ?? 'Error'}: ${e.cause?.message ?? e.message ?? 'request failed'}`
    return failed(base, reason, started)
  }
}

/** Information system → security servers → information system; or straight to a direct service. */
const hopsOf = (meta: {
  client: string
  service: string
  protocol: Protocol
  providerProtocol: Protocol
}): Exchange['hops'] => {
  if (meta.protocol === 'https') return [{ from: meta.client, to: meta.service, protocol: 'https' }]
  const clientInstance = meta.client.split('/')[0] ?? ''
  const providerInstance = meta.service.split('/')[0] ?? ''
  const clientSide = `${clientInstance} security server`
  const providerSide = `${providerInstance} security server`
  return [
    { from: meta.client, to: clientSide, protocol: meta.protocol },
    ...(clientInstance.toLowerCase() !== providerInstance.toLowerCase()
      ? [{ from: clientSide, to: providerSide, protocol: 'transport' as const }]
      : []),
    { from: providerSide, to: meta.service, protocol: meta.providerProtocol },
  ]
}

const failed = (base: Exchange, reason: string, started: number): Exchange => ({
  ...base,
  transportError: reason,
  durationMs: performance.now() - started,
})

/** The exchange with its response; the x-sild-log header becomes the log references. */
const recorded = (
  base: Exchange,
  status: number,
  headerLines: Iterable<[string, string]>,
  text: string,
  truncated: boolean,
  started: number,
): Exchange => {
  const headers: Record<string, string> = {}
  let logRefs: string[] = []
  for (const [name, value] of headerLines) {
    const key = name.toLowerCase()
    if (key === LOG_HEADER)
      logRefs = value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    else headers[key] = key in headers ? `${headers[key]}, ${value}` : value
  }
  return {
    ...base,
    response: {
      status,
      headers,
      ...(text === '' ? {} : { body: parseBody(text, headers['content-type'], truncated) }),
    },
    durationMs: performance.now() - started,
    logRefs,
  }
}

/** The reply, or undefined once `ms` have passed; undefined in, undefined out. */
const withinTimeout = <T>(
  reply: Promise<T> | undefined,
  ms: number,
): Promise<T | undefined> | undefined => {
  if (!reply) return undefined
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms)
  })
  return Promise.race([reply, timeout]).finally(() => clearTimeout(timer))
}

const readLimited = async (response: Response): Promise<{ text: string; truncated: boolean }> => {
  if (!response.body) return { text: '', truncated: false }
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  let truncated = false
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > MAX_RESPONSE_BYTES) {
      truncated = true
      await reader.cancel()
      break
    }
    chunks.push(value)
  }
  return { text: Buffer.concat(chunks).toString('utf8'), truncated }
}

const parseBody = (text: string, contentType: string | undefined, truncated: boolean): unknown => {
  if (truncated)
    return `${text.slice(0, 2000)}… [body larger than ${MAX_RESPONSE_BYTES} bytes, cut]`
  if (contentType && /[/+]json\b/i.test(contentType)) {
    // Kept as text, deeply nested JSON is a schema failure; parsed, it would overflow the stack
    // of every recursive reader after it (checks, reports, JSON.stringify).
    if (nestingDepth(text) > MAX_JSON_DEPTH) return text
    try {
      return JSON.parse(text)
    } catch {
      return text
    }
  }
  return text
}

/** Deeper than any real document; far below where recursion over the value would fail. */
export const MAX_JSON_DEPTH = 256

/** The deepest nesting of arrays and objects in JSON text, counting brackets outside strings. */
const nestingDepth = (text: string): number => {
  let depth = 0
  let deepest = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c) i++
      else if (c === 0x22) inString = false
    } else if (c === 0x22) inString = true
    else if (c === 0x5b || c === 0x7b) deepest = Math.max(deepest, ++depth)
    else if (c === 0x5d || c === 0x7d) depth--
  }
  return deepest
}
