import type { ServiceModel } from '../../specs/federation/index.ts'
import type { OperationModel } from '../../specs/openapi/index.ts'
import { UXP_ENDPOINT, UXP_HEADER_DISPLAY } from '../../specs/protocol/uxp/index.ts'
import { XROAD_HEADER_DISPLAY } from '../../specs/protocol/xroad-headers/index.ts'
import type { CallOverride } from '../scenario/types.ts'
import type { Protocol } from '../types.ts'

export type ResolvedParameter = {
  name: string
  in: 'path' | 'query' | 'header' | 'cookie'
  value: unknown
}

export type BuiltRequest = {
  url: string
  method: string
  headers: Record<string, string>
  /** The serialised body and the value it came from. */
  body?: string
  bodyValue?: unknown
  pathParams: Record<string, string>
  query: Record<string, string>
}

/**
 * The HTTP request a client information system sends to its own security server for one
 * operation, in its instance's protocol: `/r1/{serviceId}{path}` with X-Road-Client, or
 * `/restapi{path}` with Uxp-Client and Uxp-Service; or, for a direct service (`https`), the
 * operation's path on the service's own base URL (`securityServerUrl` is then that URL).
 */
export const buildRequest = ({
  protocol,
  securityServerUrl,
  client,
  service,
  operation,
  parameters,
  body,
  call,
}: {
  protocol: Protocol
  securityServerUrl: string
  client: string
  service: ServiceModel
  operation: OperationModel
  parameters: ResolvedParameter[]
  body?: { contentType?: string; value: unknown }
  call?: CallOverride
}): BuiltRequest | { error: string } => {
  const pathParams: Record<string, string> = {}
  const query = new URLSearchParams()
  const headers: Record<string, string> = { accept: 'application/json' }
  const cookies: string[] = []
  const given: Array<[string, string]> = []
  for (const p of parameters) {
    const text = typeof p.value === 'string' ? p.value : JSON.stringify(p.value)
    if (p.in === 'path') pathParams[p.name] = text
    else if (p.in === 'query') {
      if (Array.isArray(p.value)) for (const v of p.value) query.append(p.name, String(v))
      else if (p.value !== undefined && p.value !== null) query.append(p.name, text)
    } else if (p.in === 'header') given.push([p.name, text])
    else cookies.push(`${p.name}=${encodeURIComponent(text)}`)
  }
  if (cookies.length) headers.cookie = cookies.join('; ')
  let missing: string | undefined
  const path = operation.pathTemplate.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = pathParams[name]
    if (value === undefined) missing ??= name
    return encodeURIComponent(value ?? '')
  })
  if (missing)
    return { error: `path parameter ${missing} of ${operation.operationId} has no value` }
  const search = query.size ? `?${query}` : ''
  const serviceKey = call?.service ?? service.key
  const protocolHeaders: Record<string, string> = {}
  let url: string
  if (protocol === 'https') {
    // A direct service: its own address, its own authentication, no security-server headers.
    url = `${securityServerUrl}${path}${search}`
  } else if (protocol === 'uxp-rest') {
    url = `${securityServerUrl}${UXP_ENDPOINT}${path}${search}`
    protocolHeaders[UXP_HEADER_DISPLAY.client] = client
    protocolHeaders[UXP_HEADER_DISPLAY.service] = serviceKey
  } else {
    const serviceId = serviceKey.split('/').map(encodeURIComponent).join('/')
    url = `${securityServerUrl}/r1/${serviceId}${path}${search}`
    protocolHeaders[XROAD_HEADER_DISPLAY.client] = client
      .split('/')
      .map(encodeURIComponent)
      .join('/')
  }
  const omit = new Set((call?.omitHeaders ?? []).map((h) => h.toLowerCase()))
  for (const [name, value] of Object.entries(protocolHeaders)) {
    if (!omit.has(name.toLowerCase())) headers[name] = value
  }
  // The scenario's header parameters win over what Sild would send (a client header written
  // malformed on purpose, another Accept), and x-sild-call's raw headers over both.
  for (const [name, value] of [...given, ...Object.entries(call?.headers ?? {})]) {
    setHeader(headers, name, value)
  }
  const built: BuiltRequest = {
    url,
    method: operation.method,
    headers,
    pathParams,
    query: Object.fromEntries(query),
  }
  if (body && body.value !== undefined) {
    const contentType = body.contentType ?? 'application/json'
    built.headers['content-type'] = contentType
    built.bodyValue = body.value
    built.body =
      typeof body.value === 'string' && !/json/i.test(contentType)
        ? body.value
        : JSON.stringify(body.value)
  }
  return built
}

const setHeader = (headers: Record<string, string>, name: string, value: string): void => {
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() === name.toLowerCase()) delete headers[key]
  }
  headers[name] = value
}
