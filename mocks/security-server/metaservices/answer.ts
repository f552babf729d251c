import { stringify } from 'yaml'
import {
  INVALID_IDENTIFIER,
  xroadFault,
  type XroadFault,
} from '../../../specs/protocol/xroad-errors/index.ts'
import type { ProviderOptions } from '../provider.ts'
import type { ProxyRequest } from '../types.ts'
import { listMethods } from './index.ts'

type Answer = { status: number; headers: Array<[string, string]>; body: Uint8Array }

// A request the metaservice cannot answer is an X-Road error (X-Road-Error, `detail`), raised by
// the provider SS itself. `Client.BadRequest: %s` is the catalogue's generic form of it.
const badRequest = (opts: ProviderOptions, message: string): { fault: XroadFault } => ({
  fault: xroadFault(INVALID_IDENTIFIER, opts.uuid(), message),
})

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
  if (req.method !== 'GET') {
    return badRequest(opts, `${serviceCode} answers GET only`)
  }
  if (serviceCode === 'listMethods') return json(200, listMethods(federation, subsystemKey, specs))
  if (serviceCode === 'allowedMethods') {
    return json(200, listMethods(federation, subsystemKey, specs, req.clientKey))
  }
  const query = new URLSearchParams(req.servicePath.split('?')[1] ?? '')
  const code = query.get('serviceCode')
  const service = subsystem.services.find((s) => s.code === code)
  const spec = service && specs.get(service.id)
  if (!spec) {
    return badRequest(
      opts,
      code ? `Service '${code}' not found in ${subsystemKey}` : 'serviceCode is required',
    )
  }
  const accept = req.headers.find(([n]) => n.toLowerCase() === 'accept')?.[1] ?? ''
  if (/yaml/i.test(accept)) {
    return {
      status: 200,
      headers: [['content-type', 'text/yaml;charset=utf-8']],
      body: new TextEncoder().encode(stringify(spec.document)),
    }
  }
  return json(200, spec.document)
}
