import type { Federation, ServiceModel } from '../../specs/federation/index.ts'
import { UXP_HEADER_DISPLAY } from '../../specs/protocol/uxp/index.ts'
import { XROAD_HEADER_DISPLAY } from '../../specs/protocol/xroad-headers/index.ts'
import type { Peers } from '../services/types.ts'
import { securityServerHost, serviceHost, type Dispatcher } from './hosts.ts'

/** How long a direct callback to a partner's server may take (assumed, like a provider timeout). */
const DIRECT_TIMEOUT_MS = 30_000

/**
 * How a mocked service calls another member's service: as its own subsystem, through its
 * instance's security server, in that instance's protocol. Calls into Trembita carry a declared
 * purpose (`Uxp-Purpose-Ids`), as Ukrainian personal-data services require. A `direct` call goes
 * straight to the other service's information system, as a callback outside the federation.
 */
export const peersThrough = (
  federation: Federation,
  caller: ServiceModel,
  dispatcher: Dispatcher,
): Peers => ({
  call: async ({ service, method, path, headers = {}, body, via = 'security-server' }) => {
    const instance = federation.instance(caller.instance)
    if (!instance) throw new Error(`no instance ${caller.instance}`)
    const ss = `http://${securityServerHost(instance.code)}`
    const target = federation.instance(service.split('/')[0] ?? '')
    const all: Record<string, string> = { accept: 'application/json', ...headers }
    if (target?.protocol === 'uxp-rest' && via === 'security-server')
      all[UXP_HEADER_DISPLAY.purposeIds] ??= `SANDBOX-${caller.id}`
    let url: string
    if (via === 'direct') {
      const provider = federation.service(service)
      if (!provider) throw new Error(`no service ${service}`)
      const base =
        provider.provider === 'mock' ? `http://${serviceHost(provider.id)}` : provider.provider
      url = `${base.replace(/\/$/, '')}${path}`
    } else if (instance.protocol === 'uxp-rest') {
      url = `${ss}/restapi${path}`
      all[UXP_HEADER_DISPLAY.client] = caller.subsystemKey
      all[UXP_HEADER_DISPLAY.service] = service
    } else {
      url = `${ss}/r1/${service}${path}`
      all[XROAD_HEADER_DISPLAY.client] = caller.subsystemKey
    }
    const payload =
      body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
    if (
      payload !== undefined &&
      !Object.keys(all).some((k) => k.toLowerCase() === 'content-type')
    ) {
      all['content-type'] = 'application/json'
    }
    const init = { method, headers: all, body: payload }
    // A direct call may go to a partner's own server; the security servers are always in-process.
    const response = dispatcher.handles(new URL(url))
      ? await dispatcher.fetch(url, init)
      : await fetch(url, { ...init, signal: AbortSignal.timeout(DIRECT_TIMEOUT_MS) })
    const text = await response.text()
    let parsed: unknown = text
    if (/json/i.test(response.headers.get('content-type') ?? '') && text) {
      try {
        parsed = JSON.parse(text)
      } catch {
        parsed = text
      }
    }
    return { status: response.status, headers: response.headers, body: parsed }
  },
})
