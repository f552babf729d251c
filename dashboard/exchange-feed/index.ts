import type { Federation } from '../../specs/federation/index.ts'
import type { LogRecord, MessageLog } from '../../mocks/message-log/index.ts'
import { redactHeaders, redactJson, redactText } from '../../specs/redaction/index.ts'

/** How an exchange ended, for the feed's filter and colours. */
export type Outcome = 'ok' | 'refused' | 'failed'

/** One message-log record as the feed lists it: no headers or bodies, those come on demand. */
export type ExchangeSummary = {
  seq: number
  at: string
  /** The instance whose security server wrote the record. */
  instance: string
  roles: string[]
  /** Shared by the consumer's and the provider's record of one exchange. */
  requestId?: string
  messageId?: string
  client?: string
  service?: string
  /** The federation's short id of the service, when it names one. */
  serviceId?: string
  clientInstance?: string
  serviceInstance?: string
  crossBorder: boolean
  method?: string
  path?: string
  status?: number
  /** The security server's fault code, when one refused the message. */
  error?: string
  errorMessage?: string
  durationMs?: number
  protocol?: string
  translation?: string
  outcome: Outcome
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined)

/** The calling subsystem of a record, also when the security server refused to parse it. */
const clientOf = (record: LogRecord): string | undefined => {
  if (record.client) return record.client
  const headers = record.requestHeaders ?? {}
  const raw = headers['x-road-client'] ?? headers['uxp-client']
  if (!raw) return undefined
  try {
    return raw
      .split(',')
      .pop()
      ?.trim()
      .split('/')
      .map((part) => decodeURIComponent(part))
      .join('/')
  } catch {
    return raw
  }
}

/** The roles a security server played in the exchange it logged. */
export const rolesOf = (record: LogRecord): string[] =>
  Array.isArray(record.roles) ? record.roles.filter((r): r is string => typeof r === 'string') : []

export const outcomeOf = (status: number | undefined, error: string | undefined): Outcome =>
  error ? 'refused' : status !== undefined && status >= 400 ? 'failed' : 'ok'

/** The feed's line for one log record. */
export const summarizeRecord = (record: LogRecord, federation: Federation): ExchangeSummary => {
  const client = clientOf(record)
  const service = record.service
  const clientInstance = client?.split('/')[0]
  const serviceInstance = service?.split('/')[0]
  const known = (code: string | undefined) => (code && federation.instance(code)?.code) || code
  const summary: ExchangeSummary = {
    seq: record.seq,
    at: record.at,
    instance: record.instance,
    roles: rolesOf(record),
    crossBorder:
      clientInstance !== undefined &&
      serviceInstance !== undefined &&
      clientInstance.toLowerCase() !== serviceInstance.toLowerCase(),
    outcome: outcomeOf(record.status, record.error),
  }
  const optional: Partial<ExchangeSummary> = {
    requestId: record.requestId,
    messageId: record.messageId,
    client,
    service,
    serviceId: service ? federation.service(service)?.id : undefined,
    clientInstance: known(clientInstance),
    serviceInstance: known(serviceInstance),
    method: record.method,
    path: record.path,
    status: record.status,
    error: record.error,
    errorMessage: text(record.errorMessage),
    durationMs: record.durationMs,
    protocol: text(record.protocol),
    translation: text(record.translation),
  }
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) (summary as Record<string, unknown>)[key] = value
  }
  return summary
}

/** A log record as the exchange dialog shows it: secrets redacted, JSON bodies indented. */
export type RecordView = ExchangeSummary & {
  securityServer: string
  prev: string
  hash: string
  requestHeaders: Record<string, string>
  responseHeaders: Record<string, string>
  requestBody?: string
  responseBody?: string
  requestHash?: string
  errorDetail?: string
}

/** Where a record sits in the hash chain, and whether its neighbours in memory link to it. */
export type ChainPosition = {
  seq: number
  /** Records in the log, counting those read from the file at start. */
  size: number
  prev: string
  hash: string
  /** The record before it carries the hash this one names as `prev` (undefined: not in memory). */
  linksToPrevious?: boolean
  /** The record after it names this one's hash as `prev` (undefined: none yet, or not in memory). */
  linkedByNext?: boolean
}

export type ExchangeDetail = {
  /** Every record of the exchange (both security servers), in log order. */
  records: RecordView[]
  chain: ChainPosition
  /** Where the log is kept, for `sild log verify`. */
  file: string | null
}

const prettyBody = (body: string | undefined): string | undefined => {
  if (body === undefined) return undefined
  try {
    return JSON.stringify(redactJson(JSON.parse(body)), null, 2)
  } catch {
    return redactText(body)
  }
}

export const recordView = (record: LogRecord, federation: Federation): RecordView => {
  const view: RecordView = {
    ...summarizeRecord(record, federation),
    securityServer: record.securityServer,
    prev: record.prev,
    hash: record.hash,
    requestHeaders: redactHeaders(record.requestHeaders ?? {}),
    responseHeaders: redactHeaders(record.responseHeaders ?? {}),
  }
  const requestBody = prettyBody(record.requestBody)
  const responseBody = prettyBody(record.responseBody)
  if (requestBody !== undefined) view.requestBody = requestBody
  if (responseBody !== undefined) view.responseBody = responseBody
  if (typeof record.requestHash === 'string') view.requestHash = record.requestHash
  if (typeof record.errorDetail === 'string') view.errorDetail = record.errorDetail
  return view
}

/** Finds a record among the newest the log keeps in memory. */
export const findRecord = (records: readonly LogRecord[], seq: number): LogRecord | undefined => {
  const first = records[0]
  if (!first) return undefined
  const guess = records[seq - first.seq]
  return guess?.seq === seq ? guess : records.find((r) => r.seq === seq)
}

/**
 * The record with this seq and the other records of the same exchange, with its place in the
 * chain; undefined when the log no longer keeps it in memory.
 */
export const exchangeDetail = (
  log: MessageLog,
  federation: Federation,
  seq: number,
  file: string | null = null,
): ExchangeDetail | undefined => {
  const records = log.records()
  const record = findRecord(records, seq)
  if (!record) return undefined
  const related = record.requestId
    ? records.filter((r) => r.requestId === record.requestId)
    : [record]
  const before = findRecord(records, seq - 1)
  const after = findRecord(records, seq + 1)
  const chain: ChainPosition = {
    seq,
    size: log.size,
    prev: record.prev,
    hash: record.hash,
  }
  if (before) chain.linksToPrevious = before.hash === record.prev
  else if (seq === 0) chain.linksToPrevious = /^0{64}$/.test(record.prev)
  if (after) chain.linkedByNext = after.prev === record.hash
  return { records: related.map((r) => recordView(r, federation)), chain, file }
}
