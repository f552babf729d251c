import {
  parseClientId,
  parseR1Path,
  parseServiceId,
  parseUxpClientId,
  parseUxpServiceId,
  UXP_HEADER,
  UXP_HEADER_DISPLAY,
  XROAD_HEADER,
  XROAD_HEADER_DISPLAY,
  type ClientId,
  type ServiceId,
  type UxpServiceId,
} from '../../../specs/protocol/index.ts'
import { headerOf, quote } from '../internal/exchange.ts'
import { onProviderAnswer, throughSecurityServer } from '../preconditions/index.ts'
import type { ExchangeContext } from '../types.ts'

/**
 * The security servers return the ids of the exchange with the provider's answer: the client and
 * service that were called and the client's message id (X-Road-Client, X-Road-Service, X-Road-Id
 * per PR-REST §4.3; Uxp-Client, Uxp-Service, Uxp-QueryID for Trembita). When the client sent no
 * message id the security server generates one, so then it only has to be there.
 */
export const responseIdsEchoed = throughSecurityServer(
  onProviderAnswer({
    scope: 'exchange',
    name: 'responseIdsEchoed',
    title: 'Exchange ids echoed in the response',
    level: 1,
    severity: 'high',
    mandatory: true,
    appliedBy: 'every answer of the provider',
    applies: () => true,
    run: (ctx) => (ctx.clientProtocol === 'uxp-rest' ? uxpIds(ctx) : xroadIds(ctx)),
  }),
)

// Ids compare by their decoded parts, so `a%2Fb` and the same id written another way are equal.
const partsOf = (id: ClientId | ServiceId): string =>
  [
    id.instance,
    id.memberClass,
    id.memberCode,
    id.subsystemCode,
    'serviceCode' in id ? id.serviceCode : undefined,
  ]
    .filter((part) => part !== undefined)
    .join('/')

const xroadIds = (ctx: ExchangeContext): string[] => {
  const { exchange } = ctx
  const got = (key: 'client' | 'service' | 'id') =>
    headerOf(exchange.response?.headers, XROAD_HEADER[key])
  const client = got('client')
  const service = got('service')
  const clientPartsOf = (v: string) => {
    const parsed = parseClientId(v, { charset: 'lenient' })
    return parsed.ok ? partsOf(parsed.value) : undefined
  }
  // What the request named, not what the scenario meant: a probe may leave the client header out
  // or call a service other than its step's.
  const sentClient = headerOf(exchange.request.headers, XROAD_HEADER.client)
  const calledClient = sentClient === undefined ? undefined : clientPartsOf(sentClient)
  const called = r1ServiceOf(exchange.request.url)
  const problems = [
    calledClient === undefined
      ? undefined
      : compareId(
          XROAD_HEADER_DISPLAY.client,
          client,
          calledClient,
          'the calling client',
          clientPartsOf,
        ),
    compareId(
      XROAD_HEADER_DISPLAY.service,
      service,
      called ?? exchange.service,
      'the service called',
      (v) => {
        const parsed = parseServiceId(v, { charset: 'lenient' })
        return parsed.ok ? partsOf(parsed.value) : undefined
      },
    ),
    compareMessageId(
      XROAD_HEADER_DISPLAY.id,
      got('id'),
      headerOf(exchange.request.headers, XROAD_HEADER.id),
    ),
  ]
  return problems.filter((p): p is string => p !== undefined)
}

const uxpIds = (ctx: ExchangeContext): string[] => {
  const { exchange } = ctx
  const got = (key: 'client' | 'service' | 'queryId') =>
    headerOf(exchange.response?.headers, UXP_HEADER[key])
  // What was called is what the client named in Uxp-Service, with its version if it gave one.
  const requested = headerOf(exchange.request.headers, UXP_HEADER.service)
  const requestedId = requested === undefined ? undefined : parseUxpServiceId(requested)
  const calledVersion = requestedId?.ok ? requestedId.value.serviceVersion : undefined
  const clientPartsOf = (v: string) => {
    const parsed = parseUxpClientId(v)
    return parsed.ok ? partsOf(parsed.value) : undefined
  }
  const sentClient = headerOf(exchange.request.headers, UXP_HEADER.client)
  const calledClient = sentClient === undefined ? undefined : clientPartsOf(sentClient)
  const problems = [
    calledClient === undefined
      ? undefined
      : compareId(
          UXP_HEADER_DISPLAY.client,
          got('client'),
          calledClient,
          'the calling client',
          clientPartsOf,
        ),
    compareId(
      UXP_HEADER_DISPLAY.service,
      got('service'),
      requestedId?.ok ? partsOf(requestedId.value) : exchange.service,
      'the service called',
      (v) => {
        const parsed = parseUxpServiceId(v)
        return parsed.ok ? partsOf(parsed.value) : undefined
      },
    ),
    compareVersion(got('service'), calledVersion),
    compareMessageId(
      UXP_HEADER_DISPLAY.queryId,
      got('queryId'),
      headerOf(exchange.request.headers, UXP_HEADER.queryId),
    ),
  ]
  return problems.filter((p): p is string => p !== undefined)
}

const compareId = (
  name: string,
  value: string | undefined,
  expected: string,
  what: string,
  parts: (value: string) => string | undefined,
): string | undefined => {
  if (value === undefined)
    return `the response has no ${name} header; expected ${quote(expected)} (${what})`
  const found = parts(value)
  if (found === undefined)
    return `${name} ${quote(value)} in the response does not parse; expected ${quote(expected)} (${what})`
  return found === expected
    ? undefined
    : `${name} is ${quote(value)} in the response; expected ${quote(expected)} (${what})`
}

const compareVersion = (value: string | undefined, calledVersion: string | undefined) => {
  if (value === undefined || calledVersion === undefined) return undefined
  const parsed = parseUxpServiceId(value)
  const version: UxpServiceId['serviceVersion'] = parsed.ok
    ? parsed.value.serviceVersion
    : undefined
  return version === undefined || version === calledVersion
    ? undefined
    : `${UXP_HEADER_DISPLAY.service} names version ${quote(version)} in the response; the client called version ${quote(calledVersion)}`
}

const compareMessageId = (
  name: string,
  value: string | undefined,
  sent: string | undefined,
): string | undefined => {
  if (value === undefined || value === '') {
    return sent === undefined
      ? `the response has no ${name} header (the security server generates one when the client sends none)`
      : `the response has no ${name} header; expected the client's ${quote(sent)}`
  }
  return sent === undefined || value === sent
    ? undefined
    : `${name} is ${quote(value)} in the response; expected the client's ${quote(sent)}`
}

/** The service a `/r1/…` request URL names, as its parts; undefined when it does not parse. */
const r1ServiceOf = (url: string): string | undefined => {
  let pathname: string
  try {
    pathname = new URL(url, 'http://sild.invalid').pathname
  } catch {
    return undefined
  }
  const parsed = parseR1Path(pathname, { charset: 'lenient' })
  return parsed.ok ? partsOf(parsed.value.serviceId) : undefined
}
