/**
 * Which `Host` a server of the sandbox answers to. A web page on a rebinding domain reaches a
 * loopback port under its own name (`Host: evil.example:4400`) and is then same-origin with
 * everything it reads; refusing every name but the bound address, loopback names and names the
 * user allowed (`--allowed-host`) closes that door before any other handling.
 */
export type HostCheck = (hostHeader: string | undefined) => boolean

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]']

/** The host name of a `Host` header value, lower-case, without port or trailing dot. */
export const hostNameOf = (hostHeader: string): string => {
  const value = hostHeader.trim().toLowerCase()
  const name = value.startsWith('[')
    ? value.slice(0, value.indexOf(']') + 1)
    : value.replace(/:\d*$/, '')
  return name.endsWith('.') ? name.slice(0, -1) : name
}

const bracketed = (host: string): string =>
  host.includes(':') && !host.startsWith('[') ? `[${host}]` : host

export const allowedHosts = (bound: string, extra: readonly string[] = []): HostCheck => {
  const names = new Set([...LOOPBACK_NAMES, bound, ...extra].map((h) => hostNameOf(bracketed(h))))
  // HTTP/1.0 may omit Host; no browser does, so there is no page to rebind.
  return (hostHeader) => hostHeader === undefined || names.has(hostNameOf(hostHeader))
}

/** The answer to a refused Host: 421 Misdirected Request (RFC 9110 §15.5.20), with the fix. */
export const misdirected = (hostHeader: string): { status: 421; body: string } => {
  const name = hostNameOf(hostHeader).replace(/[^\w.:[\]-]/g, '')
  return {
    status: 421,
    body:
      `sild: this server does not answer to the host name "${name}". Call it as localhost or ` +
      `127.0.0.1, or start sild serve with --allowed-host ${name} if that name is yours.\n`,
  }
}
