import type { Federation } from '../specs/federation/index.ts'
import { createMessageLog, type MessageLog } from '../mocks/message-log/index.ts'
import { createSandbox, type Sandbox } from '../mocks/sandbox/index.ts'
import { securityServerHost, serviceHost } from '../mocks/sandbox/hosts.ts'
import type { Environment, Session } from '../runner/transport.ts'
import type { PrismMockOptions } from '../mocks/service-host/prism.ts'
import { SECURITY_SERVER_OFFSET, SERVICE_OFFSET, startSandboxServers } from './sandbox-servers.ts'

const encoder = new TextEncoder()

type EnvironmentOptions = {
  federation: Federation
  log?: MessageLog
  timeoutMs?: number
  /** `spec`: every operation answered by Prism from its spec (see createSandbox). */
  mocks?: 'world' | 'spec'
  prism?: PrismMockOptions
}

/** Sessions on in-process sandboxes: one sandbox per concurrent worker, no sockets. */
export const inprocEnvironment = ({
  federation,
  log,
  timeoutMs,
  mocks,
  prism,
}: EnvironmentOptions): Environment => {
  const sandboxes = new Map<Session, Sandbox>()
  return {
    mode: 'inproc',
    protocolOf: (code) => federation.instance(code)?.protocol,
    openSession: async () => {
      // Nothing in a run reads its log back: without a file to write, it keeps no record either.
      const sessionLog = log ?? (await createMessageLog({ memoryRecords: 0 }))
      const sandbox = await createSandbox({
        federation,
        log: sessionLog,
        timeoutMs,
        mocks,
        prism,
      })
      const session: Session = {
        transport: {
          mode: 'inproc',
          securityServerUrl: (code) =>
            sandbox.urls.securityServers[federation.instance(code)?.code ?? code],
          directServiceUrl: (id) => sandbox.urls.services[id],
          fetch: (url, init) => sandbox.dispatcher.fetch(url, init),
          call: (url, init) => {
            if (!URL.canParse(url)) return undefined
            const parsed = new URL(url)
            return sandbox.dispatcher.direct(parsed)?.({
              method: init.method,
              pathname: parsed.pathname,
              search: parsed.search,
              headers: Object.entries(init.headers),
              body: init.body === undefined ? undefined : encoder.encode(init.body),
            })
          },
        },
        reset: () => sandbox.reset(),
      }
      sandboxes.set(session, sandbox)
      return session
    },
    closeSession: async (session) => {
      const sandbox = sandboxes.get(session)
      sandboxes.delete(session)
      if (sandbox && !log) await sandbox.close()
    },
  }
}

/** Sessions on sandboxes served over HTTP on 127.0.0.1 (free ports), one per worker. */
export const httpEnvironment = ({
  federation,
  timeoutMs,
  prism,
}: EnvironmentOptions): Environment => {
  const running = new Map<Session, Awaited<ReturnType<typeof startSandboxServers>>>()
  return {
    mode: 'http',
    protocolOf: (code) => federation.instance(code)?.protocol,
    openSession: async () => {
      const servers = await startSandboxServers({
        portBase: 0,
        federationModel: federation,
        prism,
        log: null,
        memoryRecords: 0,
        timeoutMs,
      })
      const session: Session = {
        transport: {
          mode: 'http',
          securityServerUrl: (code) =>
            servers.ready.securityServers[federation.instance(code)?.code ?? code],
          directServiceUrl: (id) => servers.ready.services[id],
          fetch: (url, init) => fetch(url, init),
        },
        reset: () => servers.sandbox.reset(),
      }
      running.set(session, servers)
      return session
    },
    closeSession: async (session) => {
      await running.get(session)?.close()
      running.delete(session)
    },
  }
}

/**
 * Maps an in-process URL (`http://ee-test.ss.sild.test/...`) to the one `sild serve` listens on
 * with its default ports, so a failure's curl can be run by hand.
 */
export const servedUrl = (federation: Federation, portBase = 4400) => {
  const hosts = new Map([
    ...federation.instances.map(
      (instance, i) =>
        [
          securityServerHost(instance.code),
          `http://127.0.0.1:${portBase + SECURITY_SERVER_OFFSET + i}`,
        ] as const,
    ),
    // The mocks in the order sild serve gives them ports; a direct service is called there.
    ...federation.services
      .filter((s) => s.provider === 'mock')
      .map(
        (s, j) => [serviceHost(s.id), `http://127.0.0.1:${portBase + SERVICE_OFFSET + j}`] as const,
      ),
  ])
  return (url: string): string => {
    const parsed = new URL(url)
    const base = hosts.get(parsed.hostname)
    return base ? `${base}${parsed.pathname}${parsed.search}` : url
  }
}
