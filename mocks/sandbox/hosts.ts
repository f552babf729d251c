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

/** Routes requests to in-process apps by host name, without sockets. */
export type Dispatcher = {
  register(host: string, handler: FetchHandler): void
  handles(url: URL): boolean
  dispatch(request: Request): Promise<Response>
  fetch(input: string | URL, init?: RequestInit): Promise<Response>
}

export const createDispatcher = (): Dispatcher => {
  const handlers = new Map<string, FetchHandler>()
  const dispatch = async (request: Request): Promise<Response> => {
    const handler = handlers.get(new URL(request.url).hostname.toLowerCase())
    if (!handler) {
      return new Response(`no sandbox host ${new URL(request.url).hostname}`, { status: 502 })
    }
    return handler(request)
  }
  return {
    register: (host, handler) => void handlers.set(host.toLowerCase(), handler),
    handles: (url) => handlers.has(url.hostname.toLowerCase()),
    dispatch,
    fetch: (input, init) => dispatch(new Request(input, init)),
  }
}
