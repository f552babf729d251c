import type { Federation, ServiceModel } from '../../specs/federation/index.ts'
import { loadSpec, type SpecModel } from '../../specs/openapi/index.ts'
import { createMessageLog, type MessageLog } from '../message-log/index.ts'
import { createSecurityServer, type SecurityServer } from '../security-server/index.ts'
import { createProviderCaller } from '../security-server/provider-call.ts'
import { createServiceHost, type ServiceHost } from '../service-host/index.ts'
import type { PrismMockOptions } from '../service-host/prism.ts'
import { serviceMocks } from '../services/index.ts'
import type { ServiceMock } from '../services/types.ts'
import { createDispatcher, securityServerHost, serviceHost, type Dispatcher } from './hosts.ts'
import { peersThrough } from './peers.ts'

export type SandboxOptions = {
  federation: Federation
  prism?: PrismMockOptions
  /**
   * `world` (default): registers answer from the world data, the rest from Prism. `spec`: every
   * operation answers from its spec through Prism (examples first), with no state.
   */
  mocks?: 'world' | 'spec'
  /** The message log every security server appends to; an in-memory one by default. */
  log?: MessageLog
  /** Provider IS timeout of the security servers, in ms. */
  timeoutMs?: number
  uuid?: () => string
}

export type Sandbox = {
  federation: Federation
  dispatcher: Dispatcher
  log: MessageLog
  /** Mocked provider information systems by service id. */
  services: Map<string, ServiceHost<unknown>>
  /** Security servers by instance code. */
  securityServers: Map<string, SecurityServer>
  specs: Map<string, SpecModel>
  /** In-process base URLs (`http://….sild.test`) of services and security servers. */
  urls: { services: Record<string, string>; securityServers: Record<string, string> }
  /** Restores every register's seed records. */
  reset(): void
  close(): Promise<void>
}

const mocksById = new Map<string, ServiceMock<unknown>>(
  serviceMocks.map((m) => [m.id, m as ServiceMock<unknown>]),
)

/**
 * The whole sandbox in one process: every mocked service and one security server per instance,
 * reachable through an in-process dispatcher (no sockets). Services call each other through their
 * instance's security server, like any member.
 */
export const createSandbox = async (opts: SandboxOptions): Promise<Sandbox> => {
  const { federation } = opts
  const dispatcher = createDispatcher()
  const log = opts.log ?? (await createMessageLog())
  const specs = new Map<string, SpecModel>()
  await Promise.all(
    federation.services.map(async (s) => specs.set(s.id, await loadSpec(s.specFile))),
  )

  const securityServers = new Map<string, SecurityServer>()
  const callProvider = createProviderCaller(dispatcher)
  const providerUrl = (service: ServiceModel) =>
    service.provider === 'mock'
      ? `http://${serviceHost(service.id)}`
      : service.provider.replace(/\/$/, '')
  const urls = {
    services: {} as Record<string, string>,
    securityServers: {} as Record<string, string>,
  }
  for (const instance of federation.instances) {
    const ss = createSecurityServer({
      instance,
      federation,
      specs,
      log,
      callProvider,
      providerUrl,
      peer: (code) => securityServers.get(federation.instance(code)?.code ?? code),
      timeoutMs: opts.timeoutMs,
      uuid: opts.uuid,
    })
    securityServers.set(instance.code, ss)
    const host = securityServerHost(instance.code)
    dispatcher.register(host, (request) => ss.app.fetch(request), ss.call)
    urls.securityServers[instance.code] = `http://${host}`
  }

  const services = new Map<string, ServiceHost<unknown>>()
  await Promise.all(
    federation.services
      .filter((s) => s.provider === 'mock')
      .map(async (service) => {
        const host = await createServiceHost({
          spec: specs.get(service.id) as SpecModel,
          mock: mocksById.get(service.id),
          peers: peersThrough(federation, service, dispatcher),
          prism: opts.prism,
          world: opts.mocks !== 'spec',
        })
        services.set(service.id, host)
        const name = serviceHost(service.id)
        dispatcher.register(name, (request) => host.app.fetch(request), host.call)
        urls.services[service.id] = `http://${name}`
      }),
  )
  return {
    federation,
    dispatcher,
    log,
    services,
    securityServers,
    specs,
    urls,
    reset: () => {
      for (const host of services.values()) host.reset()
    },
    close: () => log.close(),
  }
}
