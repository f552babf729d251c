import {
  BAD_REQUEST,
  CLIENT_PROXY_INTERNAL_ERROR,
  CLIENT_PROXY_NETWORK_ERROR,
  INVALID_IDENTIFIER,
  PROVIDER_TIMEOUT,
  SERVER_PROXY_NETWORK_ERROR,
  SERVER_PROXY_UNKNOWN_MEMBER,
  SERVICE_FAILED,
  SERVICE_TYPE,
  UNKNOWN_SERVICE,
  XROAD_FAULTS,
} from '../../../specs/protocol/index.ts'
import { CLIENT_ID_FAULT_CODES_7_6_3 } from '../../../specs/protocol/xroad-errors/index.ts'
import type { ExchangeContext } from '../types.ts'
import { headerOf, quote } from './exchange.ts'

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
 * out, broke off). Not the other `ServiceFailed.*` codes: those are refusals raised while decoding.
 */
const UNREACHABLE: ReadonlySet<string> = new Set([
  CLIENT_PROXY_NETWORK_ERROR.code,
  SERVER_PROXY_NETWORK_ERROR.code,
  PROVIDER_TIMEOUT.code,
  SERVICE_FAILED.code,
  `${DECODING_PREFIX}${suffixOf(SERVER_PROXY_NETWORK_ERROR.code)}`,
  `${DECODING_PREFIX}${suffixOf(PROVIDER_TIMEOUT.code)}`,
])

export const isUnreachableFault = (code: string): boolean => UNREACHABLE.has(code)

/**
 * Faults that a security server raises before it gets to the access-right check (X-Road's provider
 * SS checks, in order: transport message, client registered, service known and REST, access right),
 * so an unauthorized caller refused with one of them was never judged on its rights.
 */
export const isRaisedBeforeAccessCheck = (code: string): boolean =>
  code.startsWith(CLIENT_PREFIX) ||
  code.startsWith(CONSUMER_SS_PREFIX) ||
  code.startsWith(DECODING_PREFIX) ||
  code === SERVER_PROXY_UNKNOWN_MEMBER.code ||
  code === UNKNOWN_SERVICE.code ||
  code === SERVICE_TYPE.code

/**
 * The codes a missing or malformed client id gets: Sild's (PR-REST §4.6 category 3), X-Road
 * 7.6.3's own, and the bad-character fault `identifierFault` maps an identifier part to.
 */
export const CLIENT_ID_FAULT_CODES: ReadonlySet<string> = new Set([
  XROAD_FAULTS.CLIENT_ID_MISSING.code,
  XROAD_FAULTS.CLIENT_ID_INVALID.code,
  INVALID_IDENTIFIER.code,
  ...CLIENT_ID_FAULT_CODES_7_6_3,
])

/**
 * Whether a received fault code answers an expected one: equal, or one of X-Road 7.6.3's own
 * codes for a missing/invalid client id when Sild's is expected (checks accept both forms).
 */
export const faultCodeMatches = (expected: string, received: string): boolean =>
  expected === received ||
  (expected === XROAD_FAULTS.CLIENT_ID_INVALID.code &&
    (CLIENT_ID_FAULT_CODES_7_6_3 as readonly string[]).includes(received))

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
