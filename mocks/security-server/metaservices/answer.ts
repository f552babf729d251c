import { stringify } from 'yaml'
import {
  METASERVICE_MISSING_SERVICE_CODE,
  METASERVICE_SERVICE_NOT_FOUND,
  UNKNOWN_SERVICE,
  xroadFault,
  type XroadFault,
} from '../../../specs/protocol/xroad-errors/index.ts'
import { describeServiceId } from '../../../specs/protocol/xroad-identifiers/index.ts'
import type { OpenApiDocument } from '../../../specs/openapi/index.ts'
import type { ProviderOptions } from '../provider.ts'
import type { ProxyRequest } from '../types.ts'
import { listMethods } from './index.ts'

type Answer = { status: number; headers: Array<[string, string]>; body: Uint8Array }

const refusal = (
  opts: ProviderOptions,
  template: Parameters<typeof xroadFault>[0],
  ...args: string[]
): { fault: XroadFault } => ({ fault: xroadFault(template, opts.uuid(), ...args) })

/**
 * The description as X-Road's `Openapi3Anonymiser` (7.6.3) passes it on: each server URL without
 * variables cut to its path, so the provider's host never leaves the security server.
 */
const anonymised = (document: OpenApiDocument): OpenApiDocument => {
  const servers = (document as { servers?: unknown }).servers
  if (!Array.isArray(servers)) return document
  return {
    ...document,
    servers: servers.map((server: { url?: unknown }) => {
      const url = server?.url
      if (typeof url !== 'string' || (url.includes('{') && url.includes('}'))) return server
      const absolute = /^[a-z][a-z0-9+.-]*:\/\/[^/]*(.*)$/i.exec(url)
      return { ...server, url: absolute ? (absolute[1] ?? '').split(/[?#]/)[0] : url }
    }),
  } as OpenApiDocument
}

const json = (status: number, value: unknown): Answer => ({
  status,
  headers: [['content-type', 'application/json;charset=utf-8']],
  body: new TextEncoder().encode(JSON.stringify(value)),
})

/**
 * The provider SS answers listMethods, allowedMethods and getOpenAPI itself (PR-MREST), for the
 * subsystem named in the service id. Undefined when that subsystem is not on this server.
 */
export const answerMetaservice = (
  opts: ProviderOptions,
  req: ProxyRequest,
): Answer | { fault: XroadFault } | undefined => {
  const { federation, specs } = opts
  const { instance, memberClass, memberCode, subsystemCode, serviceCode } = req.service
  const subsystemKey = [instance, memberClass, memberCode, subsystemCode].join('/')
  const subsystem = federation.subsystem(subsystemKey)
  if (!subsystem || instance.toLowerCase() !== opts.instance.code.toLowerCase()) return undefined
  // X-Road's REST metaservice handler takes GET only; anything else is looked up as an ordinary
  // service, which the subsystem does not have (`canHandle`, 7.6.3).
  if (req.method !== 'GET') return refusal(opts, UNKNOWN_SERVICE, describeServiceId(req.service))
  if (serviceCode === 'listMethods') return json(200, listMethods(federation, subsystemKey, specs))
  if (serviceCode === 'allowedMethods') {
    return json(200, listMethods(federation, subsystemKey, specs, req.clientKey))
  }
  const query = new URLSearchParams(req.servicePath.split('?')[1] ?? '')
  const code = query.get('serviceCode')
  const service = subsystem.services.find((s) => s.code === code)
  const spec = service && specs.get(service.id)
  if (!code) return refusal(opts, METASERVICE_MISSING_SERVICE_CODE)
  if (!spec) {
    return refusal(
      opts,
      METASERVICE_SERVICE_NOT_FOUND,
      describeServiceId({ ...req.service, serviceCode: code }),
    )
  }
  // In the format it is stored in, whatever the Accept header says (`handleGetOpenApi`, 7.6.3).
  const document = anonymised(spec.document)
  if (/\.json$/i.test(spec.file)) return json(200, document)
  return {
    status: 200,
    headers: [['content-type', 'text/yaml;charset=utf-8']],
    body: new TextEncoder().encode(stringify(document)),
  }
}
