import type { Federation, ServiceModel } from '../../specs/federation/index.ts'
import { UXP_HEADER_DISPLAY } from '../../specs/protocol/uxp/index.ts'
import { XROAD_HEADER_DISPLAY } from '../../specs/protocol/xroad-headers/index.ts'
import type { Peers } from '../services/types.ts'
import { securityServerHost, type Dispatcher } from './hosts.ts'

/**
 * How a mocked service calls another member's service: as its own subsystem, through its
 * instance's security server, in that instance's protocol. Calls into Trembita carry a declared
 * purpose (`Uxp-Purpose-Ids`), as Ukrainian personal-data services require.
 */
export const peersThrough = (
  federation: Federation,
  caller: ServiceModel,
  dispatcher: Dispatcher,
): Peers => ({
  call: async ({ service, method, path, headers = {}, body }) => {
    const instance = federation.instance(caller.instance)
    if (!instance) throw new Error(`no instance ${caller.instance}`)
    const ss = `http://${securityServerHost(instance.code)}`
    const target = federation.instance(service.split('/')[0] ?? '')
    const all: Record<string, string> = { accept: 'application/json', ...headers }
    if (target?.protocol === 'uxp-rest')
      all[UXP_HEADER_DISPLAY.purposeIds] ??= `SANDBOX-${caller.id}`
    let url: string
    if (instance.protocol === 'uxp-rest') {
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
    const response = await dispatcher.fetch(url, { method, headers: all, body: payload })
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
