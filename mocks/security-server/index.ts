import { randomUUID } from 'node:crypto'
import { Hono } from 'hono'
import type { Federation, InstanceModel, ServiceModel } from '../../specs/federation/index.ts'
import type { SpecModel } from '../../specs/openapi/index.ts'
import {
  CLIENT_PROXY_INTERNAL_ERROR,
  CLIENT_PROXY_NETWORK_ERROR,
  CLIENT_PROXY_UNKNOWN_MEMBER,
  FEDERATION_NOT_ALLOWED_BY_CONSUMER,
  INVALID_SECURITY_SERVER,
  PROVIDER_ADDRESS_NOT_FOUND,
  REQUEST_TOO_LARGE,
  RESPONSE_HASH_MISMATCH,
  xroadFault,
  type XroadFault,
} from '../../specs/protocol/xroad-errors/index.ts'
import { faultCodeIn } from '../../specs/protocol/xroad-versions/index.ts'
import {
  describeClientId,
  describeSecurityServerId,
  describeServiceId,
} from '../../specs/protocol/xroad-identifiers/index.ts'
import type { MessageLog } from '../message-log/index.ts'
import { toResponse, type DirectHandler, type DirectReply } from '../sandbox/hosts.ts'
import { requestHashOf } from './request-hash.ts'
import { translationOf } from './border.ts'
import {
  identifierWarnings,
  parseUxpClientRequest,
  parseXroadClientRequest,
  type ClientRequestInput,
  type ParsedClientRequest,
} from './client-request.ts'
import { listClients, listClientsXml } from './metaservices/index.ts'
import { logEntry } from './log-entry.ts'
import type { ProviderCaller } from './provider-call.ts'
import { provide } from './provider.ts'
import { renderFault, renderResponse } from './render.ts'
import type { ProxyRequest, ProxyResponse } from './types.ts'

export type SecurityServerOptions = {
  instance: InstanceModel
  federation: Federation
  /** Specs of the services this server provides, by service id (routing, metaservices). */
  specs: Map<string, SpecModel>
  log: MessageLog
  callProvider: ProviderCaller
  providerUrl: (service: ServiceModel) => string
  /** The security server of another instance, for the transport between servers. */
  peer: (instance: string) => SecurityServer | undefined
  uuid?: () => string
  /** Provider IS timeout (X-Road's client-timeout); a service's own `timeoutMs` wins. */
  timeoutMs?: number
  /** Body size limit; by default the instance's `maxLoggableBodyBytes`. */
  maxBodyBytes?: number
}

export type SecurityServer = {
  instance: InstanceModel
  app: Hono
  /** The client-facing entry as plain data, for in-process callers. */
  call: DirectHandler
  /** The provider side: one transport message in, one answer out (logged here). */
  handleTransport(request: ProxyRequest, alsoConsumer?: boolean): Promise<ProxyResponse>
}

/** Header naming the message-log records of an exchange (`INSTANCE#seq`), for the runner. */
export const SILD_LOG_HEADER = 'x-sild-log'

/**
 * A simulated security server of one instance, speaking the instance's protocol (X-Road REST r1 or
 * Trembita/UXP REST) to its client information systems, and the neutral transport to other
 * security servers.
 */
export const createSecurityServer = (opts: SecurityServerOptions): SecurityServer => {
  const { instance, federation, log } = opts
  const uuid = opts.uuid ?? randomUUID
  const providerOpts = {
    ...opts,
    uuid,
    timeoutMs: opts.timeoutMs ?? 30_000,
    maxBodyBytes: opts.maxBodyBytes ?? instance.maxLoggableBodyBytes,
  }
  const ssKey = instance.securityServer.key

  const handleTransport = async (
    req: ProxyRequest,
    alsoConsumer = false,
  ): Promise<ProxyResponse> => {
    const started = performance.now()
    const outcome = await provide(providerOpts, req)
    const record = log.append(
      logEntry({
        xroadVersion: instance.xroadVersion,
        ssKey,
        instance: instance.code,
        roles: alsoConsumer ? ['consumer', 'provider'] : ['provider'],
        request: req,
        outcome,
        durationMs: performance.now() - started,
        translation: translationOf(req.clientProtocol, instance.protocol),
      }),
    )
    const logRefs = [`${instance.code}#${record.seq}`]
    return outcome.ok ? { ...outcome, logRefs } : { ok: false, fault: outcome.fault, logRefs }
  }

  const consume = async (
    input: ClientRequestInput,
    accept: string | null,
    refused?: XroadFault,
  ): Promise<DirectReply> => {
    const started = performance.now()
    const parse = instance.protocol === 'uxp-rest' ? parseUxpClientRequest : parseXroadClientRequest
    const parsed = refused
      ? { ok: false as const, error: refused }
      : parse(instance, input, { uuid })
    let response: ProxyResponse
    let request: ProxyRequest | undefined
    if (!parsed.ok) {
      response = { ok: false, fault: parsed.error, logRefs: [] }
    } else {
      request = parsed.value.request
      response = await forward(parsed.value)
    }
    // A domestic exchange was logged once by this same server in both roles; anything else is
    // logged here too (a refusal before forwarding, or the consumer side of a cross-border call).
    const loggedHere = response.logRefs.some((ref) => ref.startsWith(`${instance.code}#`))
    if (!loggedHere) {
      const record = log.append(
        logEntry({
          xroadVersion: instance.xroadVersion,
          ssKey,
          instance: instance.code,
          roles: ['consumer'],
          request,
          rawRequest: input,
          outcome: response,
          durationMs: performance.now() - started,
          translation:
            request &&
            translationOf(
              instance.protocol,
              federation.instance(request.service.instance)?.protocol ?? instance.protocol,
            ),
        }),
      )
      response.logRefs.unshift(`${instance.code}#${record.seq}`)
    }
    // No answer leaves before its exchange's records are in the log file.
    await log.written()
    return response.ok && request
      ? renderResponse(instance.protocol, request, response)
      : renderFault(instance, response.ok ? internal() : response.fault, accept, response.logRefs)
  }

  const internal = (): XroadFault => ({
    type: 'Server.ClientProxy.InternalError',
    message: 'no request',
    detail: uuid(),
  })

  const forward = async ({
    request,
    securityServer,
  }: ParsedClientRequest): Promise<ProxyResponse> => {
    const fail = (fault: XroadFault): ProxyResponse => ({ ok: false, fault, logRefs: [] })
    if (
      request.client.instance.toLowerCase() !== instance.code.toLowerCase() ||
      (!federation.subsystem(request.clientKey) && !federation.member(request.clientKey))
    ) {
      return fail(xroadFault(CLIENT_PROXY_UNKNOWN_MEMBER, uuid(), describeClientId(request.client)))
    }
    const target = federation.instance(request.service.instance)
    const providerSs = target && opts.peer(target.code)
    if (!target) {
      return fail(
        xroadFault(PROVIDER_ADDRESS_NOT_FOUND, uuid(), describeServiceId(request.service)),
      )
    }
    request.warnings = [
      ...(request.warnings ?? []),
      ...identifierWarnings([{ id: request.service, protocol: target.protocol }]),
    ]
    if (!federation.acceptsFederation(instance.code, target.code)) {
      return fail(xroadFault(FEDERATION_NOT_ALLOWED_BY_CONSUMER, uuid(), target.code))
    }
    if (!providerKnown(request)) {
      return fail(
        xroadFault(PROVIDER_ADDRESS_NOT_FOUND, uuid(), describeServiceId(request.service)),
      )
    }
    if (securityServer) {
      const key = `${securityServer.instance}/${securityServer.memberClass}/${securityServer.memberCode}/${securityServer.serverCode}`
      if (key !== target.securityServer.key) {
        return fail(
          xroadFault(INVALID_SECURITY_SERVER, uuid(), describeSecurityServerId(securityServer)),
        )
      }
    }
    if (!providerSs) {
      return fail(xroadFault(CLIENT_PROXY_NETWORK_ERROR, uuid(), target.securityServer.key))
    }
    const response = await providerSs.handleTransport(request, providerSs === self)
    if (response.ok) {
      const expected = requestHashOf(request)
      if (expected !== response.requestHash) {
        return {
          ok: false,
          fault: xroadFault(RESPONSE_HASH_MISMATCH, uuid()),
          logRefs: response.logRefs,
        }
      }
    }
    return response
  }

  // X-Road's consumer SS looks up the provider subsystem's security servers in global
  // configuration (`getProviderAddress`); a member or subsystem registered nowhere has none.
  const providerKnown = ({ service }: ProxyRequest): boolean =>
    federation.subsystem(
      [service.instance, service.memberClass, service.memberCode, service.subsystemCode].join('/'),
    ) !== undefined

  const app = new Hono()
  // listClients (PR-META): the members and subsystems of this or a federated instance.
  const listClientsReply = (search: string, accept: string): DirectReply => {
    const wanted = new URLSearchParams(search).get('xRoadInstance') ?? instance.code
    const target = federation.instance(wanted)
    const visible =
      target && federation.acceptsFederation(instance.code, target.code) ? target : undefined
    if (/json/i.test(accept)) {
      const body = JSON.stringify(visible ? listClients(visible) : { member: [] })
      return {
        status: 200,
        headers: [['content-type', 'application/json']],
        body: encoder.encode(body),
      }
    }
    const xml = visible ? listClientsXml(visible) : listClientsXml({ ...instance, members: [] })
    return {
      status: 200,
      headers: [['content-type', 'text/xml;charset=utf-8']],
      body: encoder.encode(xml),
    }
  }

  app.get('/listClients', function listClientsMetaservice(c) {
    return toResponse(listClientsReply(new URL(c.req.url).search, c.req.header('accept') ?? ''))
  })
  app.all('*', async function securityServerEntry(c) {
    const url = rawTarget(c.req.url, c.env)
    const limit = providerOpts.maxBodyBytes
    const body = ['GET', 'HEAD'].includes(c.req.method)
      ? undefined
      : await readBody(c.req.raw, limit)
    return toResponse(
      await consume(
        {
          method: c.req.method,
          pathname: url.pathname,
          search: url.search,
          headers: [...c.req.raw.headers],
          body: body && body !== TOO_LARGE && body.byteLength > 0 ? body : undefined,
        },
        c.req.header('accept') ?? null,
        body === TOO_LARGE ? xroadFault(REQUEST_TOO_LARGE, uuid()) : undefined,
      ),
    )
  })

  // X-Road turns an unexpected exception into Server.ClientProxy.InternalError; so does Sild, and
  // it logs the exchange and prints the stack, since such an error is a bug in Sild.
  const internalErrorReply = (
    error: Error,
    method: string,
    pathname: string,
    accept: string | null,
  ): DirectReply => {
    process.stderr.write(
      `sild: internal error in the ${instance.code} security server: ${error.stack ?? error}\n`,
    )
    const fault = xroadFault(
      CLIENT_PROXY_INTERNAL_ERROR,
      uuid(),
      'Internal error in the security server',
    )
    const record = log.append({
      kind: 'exchange',
      securityServer: ssKey,
      instance: instance.code,
      roles: ['consumer'],
      method,
      path: pathname,
      status: 500,
      error: faultCodeIn(fault.type, instance.xroadVersion),
      errorMessage: fault.message,
      errorDetail: fault.detail,
    })
    return renderFault(instance, fault, accept, [`${instance.code}#${record.seq}`])
  }
  app.onError(async (error, c) => {
    const reply = internalErrorReply(
      error,
      c.req.method,
      new URL(c.req.url).pathname,
      c.req.header('accept') ?? null,
    )
    await log.written()
    return toResponse(reply)
  })

  // The same entry for in-process callers, without WHATWG Request and Response objects.
  const call: DirectHandler = async ({ method, pathname, search, headers, body }) => {
    const limit = providerOpts.maxBodyBytes
    const tooLarge = body !== undefined && body.byteLength > limit
    const accept = headers.findLast(([name]) => name.toLowerCase() === 'accept')?.[1] ?? null
    if (method === 'GET' && pathname === '/listClients')
      return listClientsReply(search, accept ?? '')
    try {
      return await consume(
        {
          method,
          pathname,
          search,
          headers: headers as Array<[string, string]>,
          body: body && !tooLarge && body.byteLength > 0 ? body : undefined,
        },
        accept,
        tooLarge ? xroadFault(REQUEST_TOO_LARGE, uuid()) : undefined,
      )
    } catch (error) {
      const reply = internalErrorReply(error as Error, method, pathname, accept)
      await log.written()
      return reply
    }
  }

  const self: SecurityServer = { instance, app, call, handleTransport }
  return self
}

const TOO_LARGE = Symbol('too large')
const encoder = new TextEncoder()

/** The request body, or TOO_LARGE as soon as it (or its declared length) passes `limit` bytes. */
const readBody = async (
  request: Request,
  limit: number,
): Promise<Uint8Array | typeof TOO_LARGE> => {
  if (Number(request.headers.get('content-length') ?? 0) > limit) return TOO_LARGE
  if (!request.body) return new Uint8Array()
  const chunks: Uint8Array[] = []
  let size = 0
  for await (const chunk of request.body) {
    size += chunk.byteLength
    if (size > limit) return TOO_LARGE
    chunks.push(chunk)
  }
  return new Uint8Array(Buffer.concat(chunks))
}

/**
 * The request target as the client sent it. Over HTTP the WHATWG URL would re-encode the query
 * (`'` → `%27`) and resolve `.` segments; X-Road passes both unmodified, so take Node's raw URL.
 */
const rawTarget = (parsedUrl: string, env: unknown): { pathname: string; search: string } => {
  const raw = (env as { incoming?: { url?: string } } | undefined)?.incoming?.url
  if (typeof raw === 'string' && raw.startsWith('/')) {
    const q = raw.indexOf('?')
    return q < 0
      ? { pathname: raw, search: '' }
      : { pathname: raw.slice(0, q), search: raw.slice(q) }
  }
  const url = new URL(parsedUrl)
  return { pathname: url.pathname, search: url.search }
}
