import { lookup, type LookupAddress } from 'node:dns'
import type { Agent } from 'undici'
import { isForbiddenAddress } from '../../specs/provider-url/index.ts'
import type { DirectHandler, Dispatcher } from '../sandbox/hosts.ts'

export type HeaderList = Array<[string, string]>

export type ProviderRequest = {
  url: string
  method: string
  headers: HeaderList
  body?: Uint8Array
  timeoutMs: number
  maxBodyBytes: number
}

export type ProviderFailure = {
  /**
   * timeout: no answer in time; network: could not connect or the connection broke; invalid: an
   * answer that is not HTTP; tooLarge: a body over the limit the message log accepts.
   */
  kind: 'timeout' | 'network' | 'invalid' | 'tooLarge'
  message: string
}

export type ProviderResult =
  | { ok: true; status: number; headers: HeaderList; body: Uint8Array }
  | { ok: false; failure: ProviderFailure }

/** Calls a provider information system: in-process for sandbox hosts, over HTTP otherwise. */
export type ProviderCaller = (request: ProviderRequest) => Promise<ProviderResult>

// A name in a provider URL may resolve to a metadata or link-local address (a rebinding name, or
// `169.254.169.254.nip.io`): refuse it when connecting, after resolution, where the text of the
// URL can no longer hide it.
export const guardedLookup = (resolve: typeof lookup = lookup): typeof lookup =>
  ((hostname: string, options: object, callback: Function) =>
    resolve(hostname, { ...options }, ((error: Error | null, address: unknown, family?: number) => {
      if (error) return callback(error)
      const all = Array.isArray(address) ? (address as LookupAddress[]) : [{ address, family }]
      const bad = all.find((a) => isForbiddenAddress(String(a.address)))
      if (bad) {
        return callback(
          Object.assign(
            new Error(`${hostname} resolves to ${bad.address}, which Sild never calls`),
            {
              code: 'EADDRNOTAVAIL',
            },
          ),
        )
      }
      return callback(null, address, family)
    }) as never)) as unknown as typeof lookup

// Loaded on the first call to a provider over HTTP: a run of in-process mocks never needs undici,
// whose loading is a tenth of each start-up.
let agent: Promise<Agent> | undefined
const providerAgent = (): Promise<Agent> =>
  (agent ??= import('undici').then(
    ({ Agent }) =>
      new Agent({
        keepAliveTimeout: 10_000,
        connections: 128,
        pipelining: 1,
        connect: { lookup: guardedLookup() },
      }),
  ))

export const createProviderCaller =
  (dispatcher: Dispatcher): ProviderCaller =>
  async (req) => {
    const parts = splitUrl(req.url)
    const direct = parts && dispatcher.directByHost(parts.host)
    if (direct && parts) return callDirect(direct, parts, req)
    return dispatcher.handles(new URL(req.url)) ? callInProcess(dispatcher, req) : callOverHttp(req)
  }

/** `http://host[:port]/path?query` apart, by string, without a WHATWG URL (hot path). */
const splitUrl = (url: string): { host: string; pathname: string; search: string } | undefined => {
  const scheme = url.indexOf('://')
  if (scheme < 0) return undefined
  const slash = url.indexOf('/', scheme + 3)
  const authority = slash < 0 ? url.slice(scheme + 3) : url.slice(scheme + 3, slash)
  const rest = slash < 0 ? '/' : url.slice(slash)
  const q = rest.indexOf('?')
  return {
    host: authority.toLowerCase(),
    pathname: q < 0 ? rest : rest.slice(0, q),
    search: q < 0 ? '' : rest.slice(q),
  }
}

/** The provider's answer, or a timeout failure once `timeoutMs` has passed. */
const withinTimeout = async (
  answer: Promise<ProviderResult>,
  timeoutMs: number,
): Promise<ProviderResult> => {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<ProviderResult>((resolve) => {
    timer = setTimeout(
      () =>
        resolve({
          ok: false,
          failure: { kind: 'timeout', message: `no answer within ${timeoutMs} ms` },
        }),
      timeoutMs,
    )
  })
  try {
    return await Promise.race([answer, timeout])
  } finally {
    clearTimeout(timer)
  }
}

const callDirect = (
  direct: DirectHandler,
  parts: { pathname: string; search: string },
  req: ProviderRequest,
): Promise<ProviderResult> =>
  withinTimeout(
    (async (): Promise<ProviderResult> => {
      const reply = await direct({
        method: req.method,
        pathname: parts.pathname,
        search: parts.search,
        headers: req.headers,
        body: req.body,
      })
      if (reply.body.byteLength > req.maxBodyBytes) return tooLarge(req.maxBodyBytes)
      return { ok: true, status: reply.status, headers: reply.headers, body: reply.body }
    })(),
    req.timeoutMs,
  )

const callInProcess = (dispatcher: Dispatcher, req: ProviderRequest): Promise<ProviderResult> =>
  withinTimeout(
    (async (): Promise<ProviderResult> => {
      const response = await dispatcher.dispatch(
        new Request(req.url, {
          method: req.method,
          headers: req.headers,
          body:
            req.body && !['GET', 'HEAD'].includes(req.method)
              ? (req.body as Uint8Array<ArrayBuffer>)
              : undefined,
        }),
      )
      const body = new Uint8Array(await response.arrayBuffer())
      if (body.byteLength > req.maxBodyBytes) return tooLarge(req.maxBodyBytes)
      return { ok: true, status: response.status, headers: [...response.headers], body }
    })(),
    req.timeoutMs,
  )

const callOverHttp = async (req: ProviderRequest): Promise<ProviderResult> => {
  try {
    // Origin and raw path apart, straight to the dispatcher: undici's request() would rebuild a
    // WHATWG URL and re-encode the query, which X-Road passes to the provider unmodified.
    const origin = new URL(req.url).origin
    const response = await (
      await providerAgent()
    ).request({
      origin,
      path: rawPath(req.url.slice(origin.length)),
      method: req.method as 'GET',
      headers: req.headers.flat(),
      body: req.body && !['GET', 'HEAD'].includes(req.method) ? Buffer.from(req.body) : undefined,
      headersTimeout: req.timeoutMs,
      bodyTimeout: req.timeoutMs,
      signal: AbortSignal.timeout(req.timeoutMs),
    })
    // undici passes any three digits on; a Response (and X-Road) knows only 200-599 here.
    if (response.statusCode < 200 || response.statusCode > 599) {
      // Destroying an unread body emits an AbortError; unheard, it would end the process.
      response.body.on('error', () => {}).destroy()
      return {
        ok: false,
        failure: {
          kind: 'invalid',
          message: `not a valid HTTP response (status ${response.statusCode})`,
        },
      }
    }
    const chunks: Buffer[] = []
    let size = 0
    for await (const chunk of response.body) {
      size += (chunk as Buffer).byteLength
      if (size > req.maxBodyBytes) {
        response.body.destroy()
        return tooLarge(req.maxBodyBytes)
      }
      chunks.push(chunk as Buffer)
    }
    const headers: HeaderList = []
    for (const [name, value] of Object.entries(response.headers)) {
      if (Array.isArray(value)) for (const v of value) headers.push([name, v])
      else if (value !== undefined) headers.push([name, String(value)])
    }
    return {
      ok: true,
      status: response.statusCode,
      headers,
      body: new Uint8Array(Buffer.concat(chunks)),
    }
  } catch (error) {
    return { ok: false, failure: classify(error, req.timeoutMs) }
  }
}

const rawPath = (rest: string): string => (rest.startsWith('/') ? rest : `/${rest}`)

const tooLarge = (limit: number): ProviderResult => ({
  ok: false,
  failure: { kind: 'tooLarge', message: `response body larger than the ${limit}-byte limit` },
})

const classify = (error: unknown, timeoutMs: number): ProviderFailure => {
  const e = error as { code?: unknown; name?: string; message?: string }
  // AbortSignal.timeout() rejects with a DOMException, whose `code` is a number (23); undici's
  // HTTPParserError may carry no code at all. Their names tell what happened.
  const code = typeof e.code === 'string' ? e.code : (e.name ?? '')
  if (/TIMEOUT|AbortError|TimeoutError/i.test(code)) {
    return { kind: 'timeout', message: `no answer within ${timeoutMs} ms` }
  }
  if (
    code === 'HTTPParserError' ||
    code.startsWith('HPE_') ||
    code === 'UND_ERR_RESPONSE_EXCEEDED_MAX_SIZE' ||
    code === 'UND_ERR_HEADERS_OVERFLOW'
  ) {
    return { kind: 'invalid', message: `not a valid HTTP response (${code})` }
  }
  return {
    kind: 'network',
    message: `${e.message ?? 'connection failed'}${code ? ` (${code})` : ''}`,
  }
}
