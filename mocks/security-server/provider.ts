import type { Federation, InstanceModel, ServiceModel } from '../../specs/federation/index.ts'
import type { SpecModel } from '../../specs/openapi/index.ts'
import { UXP_CHOICES, UXP_HEADER, UXP_HEADER_DISPLAY } from '../../specs/protocol/uxp/index.ts'
import {
  ACCESS_DENIED,
  FEDERATION_NOT_ALLOWED,
  INVALID_IDENTIFIER,
  PROVIDER_TIMEOUT,
  RESPONSE_TOO_LARGE,
  SERVER_PROXY_NETWORK_ERROR,
  SERVER_PROXY_UNKNOWN_MEMBER,
  SERVICE_DISABLED,
  SERVICE_FAILED,
  UNKNOWN_SERVICE,
  xroadFault,
  type XroadFault,
} from '../../specs/protocol/xroad-errors/index.ts'
import {
  describeClientId,
  describeServiceId,
} from '../../specs/protocol/xroad-identifiers/index.ts'
import { providerRequestHeaders, withoutProtocolHeaders } from './border.ts'
import { unsafeServicePathReason, withoutMethodOverride } from './request-target.ts'
import { requestHashOf } from './request-hash.ts'
import { answerMetaservice } from './metaservices/answer.ts'
import { isMetaservice } from './metaservices/index.ts'
import type { ProviderCaller } from './provider-call.ts'
import type { ProxyRequest } from './types.ts'

export type ProviderOptions = {
  instance: InstanceModel
  federation: Federation
  specs: Map<string, SpecModel>
  callProvider: ProviderCaller
  /** Base URL of a service's provider IS (a sandbox host for mocks). */
  providerUrl: (service: ServiceModel) => string
  uuid: () => string
  timeoutMs: number
  maxBodyBytes: number
}

export type ProviderOutcome =
  | {
      ok: true
      status: number
      headers: Array<[string, string]>
      body: Uint8Array
      requestHash: string
    }
  | { ok: false; fault: XroadFault }

/**
 * The provider security server's part of an exchange, in X-Road's order: federation, client
 * registration, metaservices, service, purpose (UXP), access right, disabled, then the provider IS.
 */
export const provide = async (
  opts: ProviderOptions,
  req: ProxyRequest,
): Promise<ProviderOutcome> => {
  const { instance, federation, uuid } = opts
  const fail = (f: XroadFault): ProviderOutcome => ({ ok: false, fault: f })
  if (!federation.acceptsFederation(instance.code, req.client.instance)) {
    return fail(xroadFault(FEDERATION_NOT_ALLOWED, uuid(), req.client.instance))
  }
  if (!federation.subsystem(req.clientKey) && !federation.member(req.clientKey)) {
    return fail(xroadFault(SERVER_PROXY_UNKNOWN_MEMBER, uuid(), describeClientId(req.client)))
  }
  if (isMetaservice(req.service.serviceCode)) {
    const answer = answerMetaservice(opts, req)
    if (answer) return 'fault' in answer ? fail(answer.fault) : withHash(req, answer)
  }
  const service = federation.service(req.serviceKey)
  if (
    !service ||
    service.instance.toLowerCase() !== instance.code.toLowerCase() ||
    !versionServed(service, req.service.serviceVersion)
  ) {
    return fail(xroadFault(UNKNOWN_SERVICE, uuid(), describeUxpService(req.service)))
  }
  const [path = '', query = ''] = splitQuery(req.servicePath)
  const unsafe = unsafeServicePathReason(path)
  if (unsafe) {
    return fail(
      xroadFault(
        INVALID_IDENTIFIER,
        uuid(),
        `The service path contains ${unsafe}; send it resolved`,
      ),
    )
  }
  const operation = opts.specs.get(service.id)?.match(req.method, path)?.operation
  // An X-Road client declares the purpose with an ordinary Uxp-Purpose-Ids header, which X-Road
  // passes through like any user header; a UXP client's was parsed by its own security server.
  const purposes =
    req.purposeIds ??
    req.headers
      .filter(([n]) => n.toLowerCase() === UXP_HEADER.purposeIds)
      .map(([, v]) => v.trim())
      .filter(Boolean)
  if (instance.protocol === 'uxp-rest' && operation?.personalData && purposes.length === 0) {
    return fail(xroadFault(UXP_CHOICES.missingHeaderFault, uuid(), UXP_HEADER_DISPLAY.purposeIds))
  }
  if (!federation.allows(req.clientKey, service.key, req.method, path)) {
    return fail(xroadFault(ACCESS_DENIED, uuid(), describeServiceId(req.service)))
  }
  if (service.disabled !== undefined) {
    return fail(
      xroadFault(SERVICE_DISABLED, uuid(), describeServiceId(req.service), service.disabled),
    )
  }
  const result = await opts.callProvider({
    url: `${opts.providerUrl(service)}${path}${query ? `?${query}` : ''}`,
    method: req.method,
    headers: withoutMethodOverride(providerRequestHeaders(req, instance.protocol)) as Array<
      [string, string]
    >,
    body: req.body,
    timeoutMs: service.timeoutMs ?? opts.timeoutMs,
    maxBodyBytes: opts.maxBodyBytes,
  })
  if (!result.ok) {
    const { kind, message } = result.failure
    return fail(
      kind === 'timeout' || kind === 'tooLarge'
        ? xroadFault(PROVIDER_FAILURE[kind], uuid())
        : xroadFault(PROVIDER_FAILURE[kind], uuid(), message),
    )
  }
  return withHash(req, {
    status: result.status,
    headers: withoutProtocolHeaders(result.headers) as Array<[string, string]>,
    body: result.body,
  })
}

/** The provider security server's fault for each way a provider call can fail. */
const PROVIDER_FAILURE = {
  timeout: PROVIDER_TIMEOUT,
  network: SERVER_PROXY_NETWORK_ERROR,
  invalid: SERVICE_FAILED,
  // The message log refuses the answer before it is signed and sent back (xroad-body-size).
  tooLarge: RESPONSE_TOO_LARGE,
} as const

/**
 * Whether the service is published under the version a UXP client named (none named: any).
 * A version the service does not have is an unknown service (assumed: UXP's answer is not public).
 */
const versionServed = (service: ServiceModel, requested: string | undefined): boolean =>
  requested === undefined || requested === service.serviceVersion

const describeUxpService = (id: ProxyRequest['service']): string =>
  id.serviceVersion === undefined
    ? describeServiceId(id)
    : `${describeServiceId(id)}/${id.serviceVersion}`

const withHash = (
  req: ProxyRequest,
  answer: { status: number; headers: Array<[string, string]>; body: Uint8Array },
): ProviderOutcome => ({
  ok: true,
  ...answer,
  requestHash: requestHashOf(req),
})

const splitQuery = (servicePath: string): [string, string] => {
  const i = servicePath.indexOf('?')
  return i < 0 ? [servicePath, ''] : [servicePath.slice(0, i), servicePath.slice(i + 1)]
}
