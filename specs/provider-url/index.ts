import { BlockList, isIP } from 'node:net'
import { err, ok, type Result } from '../protocol/result.ts'

/**
 * Where a provider URL may point. Sild calls provider URLs from files that arrive in pull requests
 * and from the dashboard; on a CI runner a link-local or metadata address hands out the machine's
 * cloud credentials, which would end up in the reports. So:
 * - http(s) only, no user or password, no query or fragment (a `?` would push the service path
 *   into the query, handing the whole request path to whoever wrote the URL);
 * - never link-local, metadata or unspecified addresses;
 * - loopback always;
 * - any other host only when the user allowed it (`--allow-provider-host`, or `--target`, which
 *   is the user's own command line).
 */
export type ProviderUrlPolicy = {
  /** Hosts (`name` or `name:port`) the user allowed besides loopback. */
  allowHosts?: readonly string[]
  /** Private and public hosts allowed (the URL comes from the user's own command line). */
  anyHost?: boolean
}

export type ProviderUrlRefusal = { reason: string; fix: string }

export type AddressClass = 'loopback' | 'forbidden' | 'private' | 'public'

const LOOPBACK = new BlockList()
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4')
LOOPBACK.addAddress('::1', 'ipv6')

// Link-local (where cloud metadata lives), unspecified, and the metadata addresses clouds put
// elsewhere (Alibaba 100.100.100.200, AWS IPv6 fd00:ec2::254).
const FORBIDDEN = new BlockList()
FORBIDDEN.addSubnet('169.254.0.0', 16, 'ipv4')
FORBIDDEN.addSubnet('0.0.0.0', 8, 'ipv4')
FORBIDDEN.addAddress('100.100.100.200', 'ipv4')
FORBIDDEN.addSubnet('fe80::', 10, 'ipv6')
FORBIDDEN.addAddress('::', 'ipv6')
FORBIDDEN.addAddress('fd00:ec2::254', 'ipv6')

const PRIVATE = new BlockList()
PRIVATE.addSubnet('10.0.0.0', 8, 'ipv4')
PRIVATE.addSubnet('172.16.0.0', 12, 'ipv4')
PRIVATE.addSubnet('192.168.0.0', 16, 'ipv4')
PRIVATE.addSubnet('100.64.0.0', 10, 'ipv4')
PRIVATE.addSubnet('fc00::', 7, 'ipv6')

const METADATA_NAMES = new Set(['metadata', 'metadata.google.internal', 'instance-data'])

/** The class of a host name or IP address (brackets allowed), as far as its text tells. */
export const addressClass = (host: string): AddressClass => {
  let name = host
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
  // An IPv4 address inside IPv6 (`::ffff:a9fe:a9fe`) reaches the IPv4 host.
  const mapped = /^::ffff:(?:([0-9a-f]{1,4}):([0-9a-f]{1,4})|(\d+\.\d+\.\d+\.\d+))$/.exec(name)
  if (mapped) {
    name = mapped[3] ?? hexToIpv4(mapped[1] as string, mapped[2] as string)
  }
  const family = isIP(name)
  if (family === 0) {
    if (name === 'localhost' || name.endsWith('.localhost')) return 'loopback'
    return METADATA_NAMES.has(name) ? 'forbidden' : 'public'
  }
  const type = family === 4 ? 'ipv4' : 'ipv6'
  if (LOOPBACK.check(name, type)) return 'loopback'
  if (FORBIDDEN.check(name, type)) return 'forbidden'
  return PRIVATE.check(name, type) ? 'private' : 'public'
}

const hexToIpv4 = (high: string, low: string): string => {
  const h = Number.parseInt(high, 16)
  const l = Number.parseInt(low, 16)
  return `${h >> 8}.${h & 255}.${l >> 8}.${l & 255}`
}

/**
 * A provider base URL checked against the policy: its normal form (no trailing `/`), or why not.
 * @example checkProviderUrl('http://127.0.0.1:8090/population') // ok
 */
export const checkProviderUrl = (
  value: string,
  { allowHosts = [], anyHost = false }: ProviderUrlPolicy = {},
): Result<string, ProviderUrlRefusal> => {
  const fixUrl = 'Give the base URL of the service, like http://127.0.0.1:8090/population.'
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return err({ reason: 'is not a URL', fix: fixUrl })
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return err({ reason: `uses ${url.protocol.slice(0, -1)}, not http or https`, fix: fixUrl })
  }
  if (url.username || url.password) {
    return err({
      reason: 'carries a user name or password',
      fix: 'Leave credentials out of the URL; Sild does not send them.',
    })
  }
  if (value.includes('?') || value.includes('#')) {
    return err({
      reason: 'has a query or fragment, which would turn the service path into a query',
      fix: 'Give the base URL without "?" or "#"; the service path and query are appended to it.',
    })
  }
  const kind = addressClass(url.hostname)
  if (kind === 'forbidden') {
    return err({
      reason: `points at ${url.hostname}, a link-local, metadata or unspecified address`,
      fix: 'Sild never calls such addresses; point the service at its real host.',
    })
  }
  const allowed =
    kind === 'loopback' ||
    anyHost ||
    allowHosts.some((h) => [url.hostname, url.host].includes(h.toLowerCase()))
  if (!allowed) {
    return err({
      reason: `points at ${url.host}, which is not loopback and not allowed`,
      fix: `If that host is yours to test, allow it with --allow-provider-host ${url.host}.`,
    })
  }
  return ok(`${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`)
}

/** Whether a resolved IP address may be connected to as a provider (no link-local, no metadata). */
export const isForbiddenAddress = (address: string): boolean =>
  addressClass(address) === 'forbidden'
