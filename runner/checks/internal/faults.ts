import type { Federation } from '../../../specs/federation/index.ts'
import {
  BAD_REQUEST,
  CLIENT_PROXY_INTERNAL_ERROR,
  CLIENT_PROXY_NETWORK_ERROR,
  CLIENT_PROXY_UNKNOWN_MEMBER,
  DEFAULT_XROAD_VERSION,
  faultCodeIn,
  INVALID_IDENTIFIER,
  PROVIDER_TIMEOUT,
  RESPONSE_TOO_LARGE,
  SERVER_PROXY_NETWORK_ERROR,
  SERVER_PROXY_UNKNOWN_MEMBER,
  SERVICE_FAILED,
  SERVICE_TYPE,
  UNKNOWN_SERVICE,
  XROAD_FAULTS,
  type XroadVersion,
} from '../../../specs/protocol/index.ts'
import { CLIENT_ID_FAULT_CODES_SPEC } from '../../../specs/protocol/xroad-errors/index.ts'
import { assumed } from '../../../specs/protocol/facts/index.ts'
import type { ExchangeContext } from '../types.ts'
import { headerOf, quote } from './exchange.ts'

/** A code in the catalogue's own (7.6) spelling, whichever version wrote it. */
const canonical = (code: string): string => faultCodeIn(code, '7.6')

// The fault-code classes are read off the catalogue's own codes, so they cannot drift from it:
// `Client.` (the consumer IS is at fault) and `Server.ClientProxy.` (the consumer SS).
const prefixOf = (code: string): string => code.slice(0, code.lastIndexOf('.') + 1)
const suffixOf = (code: string): string => code.slice(code.lastIndexOf('.') + 1)
const CLIENT_PREFIX = prefixOf(BAD_REQUEST.code)
const CONSUMER_SS_PREFIX = prefixOf(CLIENT_PROXY_INTERNAL_ERROR.code)
// 7.6.3 prefixes every fault raised while the provider SS decodes the transport message with
// ServiceFailed (see SERVER_PROXY_UNKNOWN_MEMBER): those come before any access-right check.
const DECODING_PREFIX = `${SERVICE_FAILED.code}.`

/**
 * Faults meaning the provider could not be reached or gave no usable answer: the consumer SS could
 * not reach the provider SS, or the provider SS could not reach the provider IS (refused, timed
 * out, broke off), or its answer was too large for the message log to accept. Not the other `ServiceFailed.*` codes: those are refusals raised while decoding.
 */
const UNREACHABLE: ReadonlySet<string> = new Set([
  CLIENT_PROXY_NETWORK_ERROR.code,
  SERVER_PROXY_NETWORK_ERROR.code,
  PROVIDER_TIMEOUT.code,
  SERVICE_FAILED.code,
  RESPONSE_TOO_LARGE.code,
  `${DECODING_PREFIX}${suffixOf(SERVER_PROXY_NETWORK_ERROR.code)}`,
  `${DECODING_PREFIX}${suffixOf(PROVIDER_TIMEOUT.code)}`,
])

export const isUnreachableFault = (code: string): boolean => UNREACHABLE.has(canonical(code))

/**
 * Faults that a security server raises before it gets to the access-right check (X-Road's provider
 * SS checks, in order: transport message, client registered, service known and REST, access right),
 * so an unauthorized caller refused with one of them was never judged on its rights.
 */
export const isRaisedBeforeAccessCheck = (received: string): boolean => {
  const code = canonical(received)
  return (
    code.startsWith(CLIENT_PREFIX) ||
    code.startsWith(CONSUMER_SS_PREFIX) ||
    code.startsWith(DECODING_PREFIX) ||
    code === SERVER_PROXY_UNKNOWN_MEMBER.code ||
    code === UNKNOWN_SERVICE.code ||
    code === SERVICE_TYPE.code
  )
}

/**
 * The codes a missing or malformed client id gets: X-Road's own (7.6.3 and 7.8.0 RestProxyTest),
 * PR-REST §4.6 category 3's `Client.*` form, and the bad-character fault `identifierFault` maps an
 * identifier part to. In the catalogue's spelling; compare through `isClientIdFault`.
 */
export const CLIENT_ID_FAULT_CODES: ReadonlySet<string> = new Set([
  XROAD_FAULTS.CLIENT_ID_MISSING.code,
  XROAD_FAULTS.CLIENT_ID_INVALID.code,
  INVALID_IDENTIFIER.code,
  ...CLIENT_ID_FAULT_CODES_SPEC,
])

/** Whether a code, in either version's spelling, is one a missing or malformed client id gets. */
export const isClientIdFault = (code: string): boolean => CLIENT_ID_FAULT_CODES.has(canonical(code))

/**
 * Whether a code refuses the client itself: its id is missing or malformed, or names a client its
 * security server does not know (X-Road only warns of forbidden characters, so such an id is
 * refused as unknown).
 */
export const isClientRefusal = (code: string): boolean =>
  isClientIdFault(code) || canonical(code) === CLIENT_PROXY_UNKNOWN_MEMBER.code

/**
 * The X-Road version of the security server that answered the client: the one its own instance
 * declares. A UXP security server writes X-Road 7.6 codes (assumed: no public source).
 */
export const answeringVersion = (ctx: {
  exchange: { client: string }
  federation: Federation
}): XroadVersion =>
  ctx.federation.instance(ctx.exchange.client.split('/')[0] ?? '')?.xroadVersion ??
  DEFAULT_XROAD_VERSION

/** `X-Road 7.8 style, as ee-test declares`, or the UXP assumption, for check messages. */
export const describeStyle = (ctx: {
  exchange: { client: string }
  federation: Federation
}): string => {
  const code = ctx.exchange.client.split('/')[0] ?? ''
  const instance = ctx.federation.instance(code)
  if (instance?.protocol === 'uxp-rest') return assumed('uxp-error-format').short
  return `X-Road ${answeringVersion(ctx)} style, as ${instance?.code ?? code} declares`
}

/**
 * Whether a received fault code answers an expected one, in the answering server's version: the
 * expected code (written in either style) spelled as that version spells it, or, where a client-id
 * fault is expected, any other client-id fault in that spelling (X-Road's own and PR-REST's
 * category-3 form are both accepted).
 */
export const faultCodeMatches = (
  expected: string,
  received: string,
  version: XroadVersion,
): boolean => {
  if (faultCodeIn(expected, version) === received) return true
  return (
    isClientIdFault(expected) &&
    [...CLIENT_ID_FAULT_CODES].some((code) => faultCodeIn(code, version) === received)
  )
}

/**
 * For an answer that should have been a security-server fault but carries no fault header: says
 * so, with the body's type and start, e.g. `no X-Road-Error header; the body is text/html: "<html>…"`.
 */
export const missingFaultHeader = (ctx: ExchangeContext): string => {
  const response = ctx.exchange.response
  const header = ctx.clientProtocol === 'uxp-rest' ? 'Uxp-Error' : 'X-Road-Error'
  const type = headerOf(response?.headers, 'content-type') ?? 'of no declared type'
  const body = response?.body
  const text =
    body === undefined || body === ''
      ? undefined
      : typeof body === 'string'
        ? body
        : JSON.stringify(body)
  return `no ${header} header although the step expects fault ${ctx.expect?.error ?? ''}; the body is ${type}${text === undefined ? ' and empty' : `: ${quote(text, 80)}`}`
}
