import {
  lastHeaderValue,
  parseR1Path,
  UXP_ENDPOINT,
  UXP_HEADER,
  XROAD_HEADER,
} from '../../specs/protocol/index.ts'
import type { Protocol } from '../types.ts'

/**
 * A message-log record as the runner reads it: plain JSON, the fields the security servers write
 * (mocks/message-log). The runner never imports the log; the CLI hands the records over.
 */
export type LoggedRecord = {
  seq?: number
  at?: string
  kind?: string
  instance?: string
  roles?: string[]
  messageId?: string
  client?: string
  service?: string
  protocol?: string
  method?: string
  path?: string
  requestHeaders?: Record<string, string>
  requestBody?: string
  status?: number
  responseHeaders?: Record<string, string>
  responseBody?: string
  error?: string
  errorMessage?: string
  [field: string]: unknown
}

/** One exchange as it was recorded: what the client sent its security server, what came back. */
export type RecordedExchange = {
  /** Where it was read: `log #12`, `HAR entry 3`. */
  origin: string
  /** The calling subsystem, when the request named one the security server could read. */
  client?: string
  /** `INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE`, when the request named a service. */
  service?: string
  protocol: Protocol
  method: string
  /** The path on the service, with any `?query`; the raw request target when no service was read. */
  path: string
  requestHeaders: Record<string, string>
  requestBody?: string
  status: number
  responseHeaders: Record<string, string>
  responseBody?: string
  /** The security server's fault, when the exchange was refused. */
  fault?: { code: string; message?: string }
}

const protocolOf = (value: unknown): Protocol => (value === 'uxp-rest' ? 'uxp-rest' : 'xroad-rest')

/** An exchange record of the log as a recorded exchange (undefined for other kinds of record). */
export const fromLogRecord = (
  record: LoggedRecord,
  origin?: string,
): RecordedExchange | undefined => {
  if (record.kind !== 'exchange' || record.method === undefined) return undefined
  return {
    origin: origin ?? `log #${record.seq ?? '?'}`,
    ...(record.client ? { client: record.client } : {}),
    ...(record.service ? { service: record.service } : {}),
    protocol: protocolOf(record.protocol),
    method: record.method,
    path: record.path ?? '',
    requestHeaders: record.requestHeaders ?? {},
    ...(record.requestBody !== undefined ? { requestBody: record.requestBody } : {}),
    status: record.status ?? 0,
    responseHeaders: record.responseHeaders ?? {},
    ...(record.responseBody !== undefined ? { responseBody: record.responseBody } : {}),
    ...(record.error
      ? {
          fault: {
            code: record.error,
            ...(record.errorMessage ? { message: record.errorMessage } : {}),
          },
        }
      : {}),
  }
}

/**
 * The exchanges of a log, once each: a cross-border exchange is logged by both security servers
 * (same message id); the consumer side's record is kept, as it is what the client saw.
 */
export const exchangesFromLog = (records: readonly LoggedRecord[]): RecordedExchange[] => {
  const kept = new Map<string, LoggedRecord>()
  const order: string[] = []
  records.forEach((record, i) => {
    if (record.kind !== 'exchange') return
    const key = record.messageId
      ? `id:${record.messageId}`
      : `seq:${record.instance}#${record.seq ?? i}`
    const earlier = kept.get(key)
    if (!earlier) {
      kept.set(key, record)
      order.push(key)
    } else if (!earlier.roles?.includes('consumer') && record.roles?.includes('consumer')) {
      kept.set(key, record)
    }
  })
  return order.flatMap((key) => {
    const record = kept.get(key) as LoggedRecord
    const exchange = fromLogRecord(record, `log ${record.instance ?? ''}#${record.seq ?? '?'}`)
    return exchange ? [exchange] : []
  })
}

/** The few HAR 1.2 fields Sild reads. */
export type Har = {
  log?: {
    entries?: Array<{
      request?: {
        method?: string
        url?: string
        headers?: Array<{ name: string; value: string }>
        postData?: { mimeType?: string; text?: string }
      }
      response?: {
        status?: number
        headers?: Array<{ name: string; value: string }>
        content?: { mimeType?: string; text?: string; encoding?: string }
      }
    }>
  }
}

/**
 * The X-Road REST (`/r1/…`) and Trembita/UXP REST (`/restapi`) requests of a HAR file as recorded
 * exchanges; any other entry is skipped, with the reason.
 */
export const exchangesFromHar = (
  har: Har,
): { exchanges: RecordedExchange[]; skipped: string[] } => {
  const exchanges: RecordedExchange[] = []
  const skipped: string[] = []
  ;(har.log?.entries ?? []).forEach((entry, i) => {
    const origin = `HAR entry ${i + 1}`
    const { request, response } = entry
    if (!request?.url || !request.method || !response?.status) {
      skipped.push(`${origin}: no request URL, method or response status`)
      return
    }
    let url: URL
    try {
      url = new URL(request.url)
    } catch {
      skipped.push(`${origin}: ${request.url} is not a URL`)
      return
    }
    const requestHeaders = headerRecord(request.headers)
    const list = Object.entries(requestHeaders)
    let service: string | undefined
    let path: string
    let protocol: Protocol
    if (url.pathname.startsWith('/r1/')) {
      const parsed = parseR1Path(url.pathname, { charset: 'lenient' })
      if (!parsed.ok) {
        skipped.push(`${origin}: ${url.pathname} names no service (${parsed.error.message})`)
        return
      }
      const s = parsed.value.serviceId
      service = `${s.instance}/${s.memberClass}/${s.memberCode}/${s.subsystemCode}/${s.serviceCode}`
      path = `${parsed.value.servicePath}${url.search}`
      protocol = 'xroad-rest'
    } else if (url.pathname === UXP_ENDPOINT || url.pathname.startsWith(`${UXP_ENDPOINT}/`)) {
      service = lastHeaderValue(list, UXP_HEADER.service)
      path = `${url.pathname.slice(UXP_ENDPOINT.length)}${url.search}`
      protocol = 'uxp-rest'
    } else {
      skipped.push(
        `${origin}: ${url.pathname} is neither an X-Road /r1/ nor a Trembita /restapi request`,
      )
      return
    }
    const client =
      protocol === 'uxp-rest'
        ? lastHeaderValue(list, UXP_HEADER.client)
        : lastHeaderValue(list, XROAD_HEADER.client)
    const responseHeaders = headerRecord(response.headers)
    const faultCode = responseHeaders['x-road-error'] ?? responseHeaders['uxp-error']
    const content = response.content
    const responseBody =
      content?.text === undefined
        ? undefined
        : content.encoding === 'base64'
          ? Buffer.from(content.text, 'base64').toString('utf8')
          : content.text
    exchanges.push({
      origin,
      ...(client ? { client: decodeURIComponent(client) } : {}),
      ...(service ? { service } : {}),
      protocol,
      method: request.method.toUpperCase(),
      path,
      requestHeaders,
      ...(request.postData?.text !== undefined ? { requestBody: request.postData.text } : {}),
      status: response.status,
      responseHeaders,
      ...(responseBody !== undefined ? { responseBody } : {}),
      ...(faultCode ? { fault: { code: faultCode } } : {}),
    })
  })
  return { exchanges, skipped }
}

const headerRecord = (headers: Array<{ name: string; value: string }> | undefined) => {
  const out: Record<string, string> = {}
  for (const { name, value } of headers ?? []) {
    const key = name.toLowerCase()
    out[key] = key in out ? `${out[key]}, ${value}` : value
  }
  return out
}
