import { MAX_JSON_DEPTH, nestsDeeperThan } from '../../specs/json-depth/index.ts'
import type { Federation } from '../../specs/federation/index.ts'
import type { SpecModel } from '../../specs/openapi/index.ts'
import type { MessageLog } from '../../mocks/message-log/index.ts'
import { toCurl } from '../../reports/curl.ts'
import { redactHeaders, redactUrl } from '../../specs/redaction/index.ts'
import { buildRequest, type ResolvedParameter } from '../../runner/execute/request.ts'
import { ACCESS_DENIED, MISSING_HEADER_FIELD, UNKNOWN_SERVICE } from '../../specs/protocol/index.ts'
import { findRecord, recordView, rolesOf, type RecordView } from '../exchange-feed/index.ts'

/** What the page sends to try one operation. */
export type TryInput = {
  serviceId: string
  operationId: string
  /** The calling subsystem, `INSTANCE/CLASS/MEMBER/SUBSYSTEM`. */
  client: string
  /** Field values keyed `in:name` (`path:personalCode`); empty values are left out. */
  values?: Record<string, string>
  body?: string
}

/** What one security server did to the message: the headers it added, or why it refused. */
export type SecurityServerStep = {
  instance: string
  securityServer: string
  roles: string[]
  /** Headers it put on the request that reached it without them. */
  added: Record<string, string>
  /** On the provider's side: headers the answer carries that the provider did not send. */
  addedToResponse?: Record<string, string>
  /** The refusal this server made itself, with why in a word the page explains in plain words. */
  refused?: { error: string; message?: string; status?: number; reason: RefusalReason }
  /** The other side's refusal this server passed back to the caller unchanged. */
  relayed?: { error: string; from: string }
  translation?: string
  seq: number
}

export type TryResult = {
  /** The instance of the calling subsystem. */
  clientInstance: string
  request: { method: string; url: string; headers: Record<string, string>; body?: string }
  response?: { status: number; headers: Record<string, string>; body: string }
  transportError?: string
  /** The caller's security server first, then the provider's. */
  securityServers: SecurityServerStep[]
  /** Response headers the security servers added on top of the provider's own. */
  responseAdded: Record<string, string>
  records: RecordView[]
  curl: string
}

export type TryContext = {
  federation: Federation
  specs: Map<string, SpecModel>
  log: MessageLog
  fetch(url: string, init: RequestInit): Promise<Response>
  /** In-process base URLs of the security servers, by instance code. */
  inprocUrls: Record<string, string>
  /** The URLs a person can reach them at (`sild serve`'s ports), for the curl. */
  servedUrls: Record<string, string>
}

export class TryInputError extends Error {}

/**
 * Why a security server refused, as the page words it: the provider's instance does not accept the
 * client's (allowed-federations), no access right, no such service, a required header missing, or
 * another fault (shown by its code).
 */
export type RefusalReason =
  'federation' | 'accessDenied' | 'unknownService' | 'missingHeader' | 'other'

// X-Road 7.8 writes the same codes lower-case with underscores: compare them in one form.
const codeForm = (code: string) => code.toLowerCase().replace(/_/g, '')

const refusalReason = (
  federation: Federation,
  error: string,
  refuser: string,
  clientInstance: string,
): RefusalReason => {
  if (refuser !== clientInstance && !federation.acceptsFederation(refuser, clientInstance))
    return 'federation'
  const code = codeForm(error)
  if (code === codeForm(ACCESS_DENIED.code)) return 'accessDenied'
  if (code === codeForm(UNKNOWN_SERVICE.code)) return 'unknownService'
  if (code === codeForm(MISSING_HEADER_FIELD.code)) return 'missingHeader'
  return 'other'
}

const MAX_BODY_CHARS = 1_000_000
const LOG_HEADER = 'x-sild-log'
// Headers any HTTP hop may set; not what makes a security server a security server.
const TRANSPORT_HEADERS = new Set(['content-length', 'date', 'connection', 'keep-alive'])

const lower = (headers: Record<string, string>) =>
  new Set(Object.keys(headers).map((h) => h.toLowerCase()))

const diff = (after: Record<string, string>, before: Set<string>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(after).filter(
      ([name]) => !before.has(name.toLowerCase()) && !TRANSPORT_HEADERS.has(name.toLowerCase()),
    ),
  )

const parameters = (
  fields: SpecModel['operations'][number]['parameters'],
  values: Record<string, string>,
): ResolvedParameter[] => {
  const out: ResolvedParameter[] = []
  const declared = new Set(fields.map((f) => `${f.in}:${f.name}`))
  for (const field of fields) {
    const value = values[`${field.in}:${field.name}`]
    if (value !== undefined && value !== '') out.push({ ...field, value })
  }
  // Headers the form adds beyond the spec's parameters (credentials, Uxp-Purpose-Ids).
  for (const [key, value] of Object.entries(values)) {
    if (!key.startsWith('header:') || declared.has(key) || value === '') continue
    out.push({ name: key.slice('header:'.length), in: 'header', value })
  }
  return out
}

/**
 * Sends one operation through the caller's security server, as its information system would, and
 * explains each security server's part from the message log.
 */
export const tryOperation = async (ctx: TryContext, input: TryInput): Promise<TryResult> => {
  const service = ctx.federation.serviceById(input.serviceId)
  const spec = service && ctx.specs.get(service.id)
  const operation = spec?.operation(input.operationId)
  if (!service || !spec || !operation) {
    throw new TryInputError(`no operation ${input.operationId} in service ${input.serviceId}`)
  }
  const clientInstance = ctx.federation.instance(input.client.split('/')[0] ?? '')
  if (!clientInstance) {
    throw new TryInputError(`the client ${input.client} names no instance of the federation`)
  }
  const inproc = ctx.inprocUrls[clientInstance.code]
  if (!inproc) throw new TryInputError(`no security server for ${clientInstance.code}`)
  let bodyValue: unknown = input.body
  const contentType =
    Object.keys(operation.requestBody?.content ?? {}).find((t) => /json/.test(t)) ??
    Object.keys(operation.requestBody?.content ?? {})[0]
  if (input.body !== undefined && input.body.trim() !== '' && /json/.test(contentType ?? 'json')) {
    if (nestsDeeperThan(input.body)) {
      throw new TryInputError(`the body nests deeper than ${MAX_JSON_DEPTH} levels`)
    }
    try {
      bodyValue = JSON.parse(input.body)
    } catch (error) {
      throw new TryInputError(`the body is not JSON: ${(error as Error).message}`)
    }
  }
  const built = buildRequest({
    protocol: clientInstance.protocol,
    securityServerUrl: inproc,
    client: input.client,
    service,
    operation,
    parameters: parameters(operation.parameters, input.values ?? {}),
    ...(input.body !== undefined && input.body.trim() !== ''
      ? { body: { contentType, value: bodyValue } }
      : {}),
  })
  if ('error' in built) throw new TryInputError(built.error)
  const served = ctx.servedUrls[clientInstance.code] ?? inproc
  const servedUrl = built.url.startsWith(inproc)
    ? served + built.url.slice(inproc.length)
    : built.url
  const result: TryResult = {
    clientInstance: clientInstance.code,
    request: {
      method: built.method,
      url: servedUrl,
      headers: built.headers,
      ...(built.body !== undefined ? { body: built.body } : {}),
    },
    securityServers: [],
    responseAdded: {},
    records: [],
    curl: toCurl({
      method: built.method,
      url: redactUrl(servedUrl),
      headers: redactHeaders(built.headers),
      ...(built.body !== undefined ? { body: built.body } : {}),
    }),
  }
  let response: Response
  try {
    response = await ctx.fetch(built.url, {
      method: built.method,
      headers: built.headers,
      body: built.body,
    })
  } catch (error) {
    result.transportError = (error as Error).message
    return result
  }
  const text = await response.text()
  const headers: Record<string, string> = {}
  response.headers.forEach((value, name) => {
    if (name !== LOG_HEADER) headers[name] = value
  })
  result.response = {
    status: response.status,
    headers,
    body: text.length > MAX_BODY_CHARS ? `${text.slice(0, MAX_BODY_CHARS)}…` : text,
  }
  const seqs = (response.headers.get(LOG_HEADER) ?? '')
    .split(',')
    .map((ref) => Number(ref.trim().split('#')[1]))
    .filter(Number.isInteger)
  const all = ctx.log.records()
  const records = seqs
    .map((seq) => findRecord(all, seq))
    .filter((r) => r !== undefined)
    // The caller's side first: the consumer role leads, then log order.
    .sort(
      (a, b) =>
        Number(!rolesOf(a).includes('consumer')) - Number(!rolesOf(b).includes('consumer')) ||
        a.seq - b.seq,
    )
  result.records = records.map((r) => recordView(r, ctx.federation))
  const provider = records.find((r) => rolesOf(r).includes('provider') && !r.error)
  if (provider) result.responseAdded = diff(headers, lower(provider.responseHeaders ?? {}))
  // Each server is credited only with what it added to the message as it reached it.
  let before = lower(built.headers)
  // A refusal the provider's side logged was made there; the caller's side only passed it back.
  const refuser =
    records.find((r) => r.error && rolesOf(r).includes('provider')) ?? records.find((r) => r.error)
  result.securityServers = records.map((record): SecurityServerStep => {
    const step: SecurityServerStep = {
      instance: record.instance,
      securityServer: record.securityServer,
      roles: rolesOf(record),
      added: redactHeaders(diff(record.requestHeaders ?? {}, before)),
      seq: record.seq,
    }
    before = new Set([...before, ...lower(record.requestHeaders ?? {})])
    if (record === provider && Object.keys(result.responseAdded).length) {
      step.addedToResponse = result.responseAdded
    }
    if (record.error && record !== refuser && refuser) {
      step.relayed = { error: record.error, from: refuser.instance }
    } else if (record.error) {
      step.refused = {
        error: record.error,
        ...(typeof record.errorMessage === 'string' ? { message: record.errorMessage } : {}),
        ...(record.status !== undefined ? { status: record.status } : {}),
        reason: refusalReason(ctx.federation, record.error, record.instance, clientInstance.code),
      }
    }
    if (typeof record.translation === 'string') step.translation = record.translation
    return step
  })
  return result
}
