/**
 * Virtual host names of the in-process sandbox. `.test` is reserved for testing (RFC 2606), so
 * these names can never reach a real host.
 */
export const SANDBOX_DOMAIN = 'sild.test'

export const serviceHost = (serviceId: string): string => `${serviceId}.service.${SANDBOX_DOMAIN}`

export const securityServerHost = (instance: string): string =>
  `${instance.toLowerCase()}.ss.${SANDBOX_DOMAIN}`

/** A fetch handler; over HTTP `env` carries Node's raw request (`incoming`). */
export type FetchHandler = (request: Request, env?: unknown) => Response | Promise<Response>

/** A request handed over in-process as plain data, without WHATWG Request/Response objects. */
export type DirectCall = {
  method: string
  /** Raw path, and the query with its '?' (or ''). */
  pathname: string
  search: string
  headers: ReadonlyArray<readonly [string, string]>
  body?: Uint8Array
}

export type DirectReply = { status: number; headers: Array<[string, string]>; body: Uint8Array }

export type DirectHandler = (call: DirectCall) => Promise<DirectReply>

/** A plain reply as a WHATWG Response, for the fetch and hono paths. */
export const toResponse = ({ status, headers, body }: DirectReply): Response => {
  const h = new Headers()
  for (const [name, value] of headers) h.append(name, value)
  const empty = body.byteLength === 0 && (status === 204 || status === 304)
  return new Response(empty ? null : (body as Uint8Array<ArrayBuffer>), { status, headers: h })
}

/** Routes requests to in-process apps by host name, without sockets. */
export type Dispatcher = {
  register(host: string, handler: FetchHandler, direct?: DirectHandler): void
  /** The plain-data handler of a host, when it has one. */
  direct(url: URL): DirectHandler | undefined
  /** The same, by host name (lower case). */
  directByHost(host: string): DirectHandler | undefined
  handles(url: URL): boolean
  dispatch(request: Request): Promise<Response>
  fetch(input: string | URL, init?: RequestInit): Promise<Response>
}

export const createDispatcher = (): Dispatcher => {
  const handlers = new Map<string, FetchHandler>()
  const directs = new Map<string, DirectHandler>()
  const dispatch = async (request: Request): Promise<Response> => {
    const handler = handlers.get(new URL(request.url).hostname.toLowerCase())
    if (!handler) {
      return new Response(`no sandbox host ${new URL(request.url).hostname}`, { status: 502 })
    }
    return handler(request)
  }
  return {
    register: (host, handler, direct) => {
      handlers.set(host.toLowerCase(), handler)
      if (direct) directs.set(host.toLowerCase(), direct)
    },
    direct: (url) => directs.get(url.hostname.toLowerCase()),
    directByHost: (host) => directs.get(host),
    handles: (url) => handlers.has(url.hostname.toLowerCase()),
    dispatch,
    fetch: (input, init) => dispatch(new Request(input, init)),
  }
}
