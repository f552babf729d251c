import type { InstanceModel } from '../../specs/federation/index.ts'
import type { Protocol } from '../../specs/federation/index.ts'
import { err, ok, type Result } from '../../specs/protocol/result.ts'
import {
  parsePurposeIds,
  parseUxpClientId,
  parseUxpServiceId,
  UXP_CHOICES,
  UXP_HEADER,
  UXP_HEADER_DISPLAY,
  uxpServicePath,
} from '../../specs/protocol/uxp/index.ts'
import {
  CLIENT_ID_INVALID,
  CLIENT_ID_MISSING,
  identifierFault,
  xroadFault,
  type XroadFault,
} from '../../specs/protocol/xroad-errors/index.ts'
import {
  clientHeader,
  consumerRequestHeaders,
  lastHeaderValue,
  XROAD_HEADER,
  type HeaderList,
} from '../../specs/protocol/xroad-headers/index.ts'
import {
  IDENTIFIER_CHARSETS,
  parseClientId,
  parseR1Path,
  parseRepresentedParty,
  parseSecurityServerId,
  type ClientId,
  type IdentifierError,
  type SecurityServerId,
  type ServiceId,
} from '../../specs/protocol/xroad-identifiers/index.ts'
import type { ProxyRequest } from './types.ts'

export type ClientRequestInput = {
  method: string
  /** Raw path with percent-encoding intact, and the raw query (with its '?', or ''). */
  pathname: string
  search: string
  headers: HeaderList
  body?: Uint8Array
}

export type ParsedClientRequest = { request: ProxyRequest; securityServer?: SecurityServerId }

type Ids = { uuid: () => string }

/** Reads an X-Road REST r1 request (`/r1/{serviceId}[/path]`) from a client IS. */
export const parseXroadClientRequest = (
  instance: InstanceModel,
  input: ClientRequestInput,
  { uuid }: Ids,
): Result<ParsedClientRequest, XroadFault> => {
  // Identifier characters are only warned about, against the rules of the instance that registers
  // each identifier (identifierWarnings), as X-Road's proxy does.
  const path = parseR1Path(input.pathname, { charset: 'lenient' })
  if (!path.ok) return err(identifierFault(path.error, uuid()))
  const view = identifierView(input.headers)
  const header = clientHeader(view)
  if (!header) return err(xroadFault(CLIENT_ID_MISSING, uuid()))
  const client = parseClientId(header.value, { charset: 'lenient' })
  if (!client.ok) return err(clientIdFault(client.error, uuid()))
  let securityServer: SecurityServerId | undefined
  const ssHeader = lastHeaderValue(view, XROAD_HEADER.securityServer)
  if (ssHeader !== undefined) {
    const parsed = parseSecurityServerId(ssHeader)
    if (!parsed.ok) return err(identifierFault(parsed.error, uuid()))
    securityServer = parsed.value
  }
  const represented = lastHeaderValue(view, XROAD_HEADER.representedParty)
  if (represented !== undefined) {
    const parsed = parseRepresentedParty(represented)
    if (!parsed.ok) return err(identifierFault(parsed.error, uuid()))
  }
  const requestId = uuid()
  const clientMessageId = lastHeaderValue(input.headers, XROAD_HEADER.id)
  const messageId = clientMessageId ?? `${instance.code}-${uuid()}`
  const headers = consumerRequestHeaders(input.headers, { requestId, messageId })
  return ok({
    securityServer,
    request: {
      clientProtocol: 'xroad-rest',
      consumerInstance: instance.code,
      client: client.value,
      clientKey: clientKeyOf(client.value),
      service: path.value.serviceId,
      serviceKey: serviceKeyOf(path.value.serviceId),
      method: input.method.toUpperCase(),
      servicePath: `${path.value.servicePath}${input.search}`,
      requestTarget: `${input.pathname}${input.search}`,
      headers,
      body: input.body,
      messageId,
      requestId,
      warnings: identifierWarnings([{ id: client.value, protocol: 'xroad-rest' }]),
    },
  })
}

/** Reads a Trembita/UXP REST request (`/restapi[/path]` with Uxp-Client and Uxp-Service). */
export const parseUxpClientRequest = (
  instance: InstanceModel,
  input: ClientRequestInput,
  { uuid }: Ids,
): Result<ParsedClientRequest, XroadFault> => {
  const servicePath = uxpServicePath(input.pathname)
  if (servicePath === undefined) {
    return err(xroadFault(UXP_CHOICES.notRestRequestFault, uuid(), input.pathname))
  }
  const view = identifierView(input.headers)
  const clientValue = lastHeaderValue(view, UXP_HEADER.client)
  if (clientValue === undefined) return err(xroadFault(CLIENT_ID_MISSING, uuid()))
  const client = parseUxpClientId(clientValue)
  if (!client.ok) return err(clientIdFault(client.error, uuid()))
  const serviceValue = lastHeaderValue(view, UXP_HEADER.service)
  if (serviceValue === undefined) {
    return err(xroadFault(UXP_CHOICES.missingHeaderFault, uuid(), UXP_HEADER_DISPLAY.service))
  }
  const service = parseUxpServiceId(serviceValue)
  if (!service.ok) return err(identifierFault(service.error, uuid()))
  let purposeIds: string[] | undefined
  const purposes = lastHeaderValue(input.headers, UXP_HEADER.purposeIds)
  if (purposes !== undefined) {
    const parsed = parsePurposeIds(purposes)
    if (!parsed.ok) return err(identifierFault(parsed.error, uuid()))
    purposeIds = parsed.value
  }
  const requestId = uuid()
  const messageId = lastHeaderValue(input.headers, UXP_HEADER.queryId) ?? uuid()
  const kept = input.headers.filter(([name]) => name.toLowerCase() !== UXP_HEADER.queryId)
  const headers: HeaderList = [
    ...consumerRequestHeaders(kept, { requestId, messageId }).filter(
      ([name]) =>
        name.toLowerCase() !== XROAD_HEADER.requestId && name.toLowerCase() !== XROAD_HEADER.id,
    ),
    [UXP_HEADER.queryId, messageId],
  ]
  return ok({
    request: {
      clientProtocol: 'uxp-rest',
      consumerInstance: instance.code,
      client: client.value,
      clientKey: clientKeyOf(client.value),
      service: service.value,
      serviceKey: serviceKeyOf(service.value),
      method: input.method.toUpperCase(),
      servicePath: `${servicePath}${input.search}`,
      requestTarget: `${input.pathname}${input.search}`,
      headers,
      body: input.body,
      messageId,
      requestId,
      purposeIds,
    },
  })
}

// The request's headers may come from a WHATWG `Headers` (in-process, and through
// @hono/node-server), which has already joined a repeated header into one `a, b` value. Identifier
// headers are read as from such a join split back, taking the last, as PR-REST §4.3 asks: the last
// part of the last value, trimmed. (Only identifier headers are read through this view.) Built by
// hand rather than through a `Headers`, which costs more than the rest of the parse.
const identifierView = (headers: HeaderList): HeaderList =>
  headers.map(([name, value]) => [name, value.trim().split(', ').at(-1) as string])

// A client id that does not percent-decode (a raw space or '<', a broken escape) is malformed like
// one with the wrong number of parts: the client's fault (CLIENT_ID_INVALID), not the SS's 500.
const clientIdFault = (error: IdentifierError, detail: string): XroadFault =>
  error.code === 'InvalidPercentEncoding'
    ? xroadFault(CLIENT_ID_INVALID, detail, error.message)
    : identifierFault(error, detail)

/** The federation's key of a client: its decoded parts joined by '/'. */
export const clientKeyOf = (id: ClientId): string =>
  [
    id.instance,
    id.memberClass,
    id.memberCode,
    ...(id.subsystemCode === undefined ? [] : [id.subsystemCode]),
  ].join('/')

/** The federation's key of a service: `INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE`, decoded. */
export const serviceKeyOf = (id: ServiceId): string =>
  [id.instance, id.memberClass, id.memberCode, id.subsystemCode, id.serviceCode].join('/')

/**
 * Identifier parts outside the rules of the instance that registers them: PR-REST §4.8 for X-Road,
 * the same plus '_' for Trembita. X-Road's proxy only logs a warning for these
 * (`MessageProcessorBase.checkIdentifier`, 7.6.3 and 7.8.0): the request goes on and fails, if at
 * all, as the unknown client or service it names. So these are warnings for the log, not faults.
 */
export const identifierWarnings = (
  ids: Array<{ id: ClientId | ServiceId; protocol: Protocol }>,
): string[] =>
  ids.flatMap(({ id, protocol }) => {
    const rule =
      protocol === 'uxp-rest' ? UXP_CHOICES.identifierCharset : IDENTIFIER_CHARSETS['pr-rest']
    const parts = Object.values(id).filter((part): part is string => typeof part === 'string')
    const bad = parts.filter((part) => !rule.test(part))
    return bad.map(
      (part) =>
        `Invalid character(s) in identifier part ${JSON.stringify(part)} (allowed: ${rule.description})`,
    )
  })
