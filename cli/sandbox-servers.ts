import { mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import {
  loadFederation,
  DEFAULT_FEDERATION_FILE,
  type Federation,
} from '../specs/federation/index.ts'
import { createMessageLog } from '../mocks/message-log/index.ts'
import { createSandbox, type Sandbox } from '../mocks/sandbox/index.ts'
import type { PrismMockOptions } from '../mocks/service-host/prism.ts'
import type { FetchHandler } from '../mocks/sandbox/hosts.ts'
import { startHttpServer, startPlainHttpServer, type HttpServer } from '../mocks/sandbox/http.ts'
import { SildInputError } from '../specs/source-file/index.ts'

/** What `sild serve --ready-file` writes once everything answers. */
export type ReadyFile = {
  /** The workshop dashboard, when one is served. */
  dashboard?: string
  securityServers: Record<string, string>
  services: Record<string, string>
  log: string | null
  /**
   * The command that prints, for given scenario files, the `redocly respect` command running them
   * against these servers (written by `sild serve --ready-file`, which knows its own path).
   */
  respect?: string
}

export type SandboxServers = {
  sandbox: Sandbox
  ready: ReadyFile
  describe(): string
  close(): Promise<void>
}

export type SandboxServerOptions = {
  host?: string
  /** Host names every server answers to besides the bound address and loopback names. */
  allowedHosts?: string[]
  /** Hosts provider URLs in the federation file may name besides loopback. */
  providerHosts?: readonly string[]
  /** First port; 0 picks free ports for everything. */
  portBase?: number
  federation?: string
  /** An already loaded federation (wins over `federation`). */
  federationModel?: Federation
  /** Message log file; null keeps the log in memory. */
  log?: string | null
  /** How many of the newest log records stay in memory for the dashboard (default: the log's). */
  memoryRecords?: number
  timeoutMs?: number
  /** Serves the workshop dashboard at the first port, given the running sandbox. */
  dashboard?: (sandbox: Sandbox, ready: ReadyFile) => Promise<ServedDashboard>
  /** `spec`: every operation answered by Prism from its spec, with no world state. */
  mocks?: 'world' | 'spec'
  /** How Prism invents answers: examples first (default), or seeded generation. */
  prism?: PrismMockOptions
}

/** What the dashboard factory hands back: a fetch handler to serve, and how to stop it. */
export type ServedDashboard = { fetch: FetchHandler; close(): Promise<void> }

// Port layout from the base: the dashboard at +0, security servers from +1, services from +20.
export const SECURITY_SERVER_OFFSET = 1
export const SERVICE_OFFSET = 20

/** Starts the whole sandbox over HTTP: one port per security server and per mocked service. */
export const startSandboxServers = async ({
  host = '127.0.0.1',
  allowedHosts = [],
  providerHosts = [],
  portBase = 0,
  federation: federationFile,
  federationModel,
  log: logFile = '.sild/message-log.jsonl',
  memoryRecords,
  timeoutMs,
  mocks,
  prism,
  dashboard: dashboardFactory,
}: SandboxServerOptions): Promise<SandboxServers> => {
  const federation =
    federationModel ??
    loadFederation([federationFile ?? DEFAULT_FEDERATION_FILE], { providerHosts })
  if (logFile) await mkdir(dirname(logFile), { recursive: true })
  const log = await createMessageLog({
    ...(logFile ? { file: logFile } : {}),
    ...(memoryRecords === undefined ? {} : { memoryRecords }),
  })
  if (log.repaired) process.stderr.write(`sild: message log ${logFile}: ${log.repaired.message}\n`)
  const sandbox = await createSandbox({ federation, log, timeoutMs, mocks, prism })
  const mocked = federation.services.filter((s) => sandbox.services.has(s.id))
  const ports = portRange(portBase, {
    securityServers: sandbox.securityServers.size,
    services: mocked.length,
  })
  const servers: HttpServer[] = []
  let dashboard: ServedDashboard | undefined
  const close = async () => {
    // The dashboard first: it stops a running scenario before the sandbox goes away.
    await dashboard?.close()
    await Promise.all(servers.map((s) => s.close()))
    await sandbox.close()
  }
  try {
    if (ports.error) throw ports.error
    const listen = async (start: Promise<HttpServer>, offset: number, what: string) => {
      const server = await start.catch((error: unknown) => {
        throw bindError(error, host, ports.port(offset), what)
      })
      servers.push(server)
      return server.url
    }
    const securityServers: Record<string, string> = {}
    let i = 0
    for (const [code, ss] of sandbox.securityServers) {
      const offset = SECURITY_SERVER_OFFSET + i++
      const start = startPlainHttpServer(ss.call, {
        hostname: host,
        allowedHosts,
        port: ports.port(offset),
        // Read one byte past the instance's limit, so the security server can refuse the body.
        maxBodyBytes: ss.instance.maxLoggableBodyBytes,
      })
      securityServers[code] = await listen(start, offset, `the security server of ${code}`)
    }
    const services: Record<string, string> = {}
    for (const [j, service] of mocked.entries()) {
      const mock = sandbox.services.get(service.id)
      if (!mock) continue
      const offset = SERVICE_OFFSET + j
      const start = startPlainHttpServer(mock.call, {
        hostname: host,
        allowedHosts,
        port: ports.port(offset),
      })
      services[service.id] = await listen(start, offset, `the ${service.id} mock`)
    }
    const served: ReadyFile = { securityServers, services, log: logFile }
    let dashboardUrl: string | undefined
    if (dashboardFactory) {
      dashboard = await dashboardFactory(sandbox, served)
      const start = startHttpServer(dashboard.fetch, {
        hostname: host,
        allowedHosts,
        port: ports.port(0),
      })
      dashboardUrl = await listen(start, 0, 'the dashboard')
    }
    const ready: ReadyFile = dashboardUrl ? { dashboard: dashboardUrl, ...served } : served
    return { sandbox, ready, describe: () => describe(ready, sandbox), close }
  } catch (error) {
    // Whatever did start must not hold the process open after the error is reported.
    await close()
    throw error
  }
}

const LAST_PORT = 65535

type PortRange = { port: (offset: number) => number; error?: SildInputError }

/** The ports from the base, or why they do not fit below 65536. Base 0: free ports for all. */
const portRange = (
  portBase: number,
  counts: { securityServers: number; services: number },
): PortRange => {
  const port = (offset: number) => (portBase === 0 ? 0 : portBase + offset)
  const lastOffset = Math.max(
    SECURITY_SERVER_OFFSET + counts.securityServers - 1,
    counts.services ? SERVICE_OFFSET + counts.services - 1 : 0,
  )
  if (portBase === 0 || portBase + lastOffset <= LAST_PORT) return { port }
  const error = new SildInputError(
    `--port-base ${portBase} does not fit: the sandbox takes ports ${portBase} to ${portBase + lastOffset}, and the last port is ${LAST_PORT}; use --port-base ${LAST_PORT - lastOffset} or lower, or --port-base 0 for free ports`,
  )
  return { port, error }
}

/** The environment's usual refusals to listen are bad input with a fix; anything else is a bug. */
const bindError = (error: unknown, host: string, port: number, what: string): unknown => {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  const fix = 'choose other ports with --port-base N (0 picks free ports)'
  const at = port === 0 ? host : `${host}:${port}`
  switch (code) {
    case 'EADDRINUSE':
      return new SildInputError(
        `port ${port} on ${host} is already in use (${what}); stop what holds it, or ${fix}`,
      )
    case 'EACCES':
      return new SildInputError(
        `port ${port} on ${host} needs privileges (${what}); ${fix}, N from 1024 up`,
      )
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new SildInputError(
        `cannot listen on ${at} (${what}): ${host} is not an address of this machine; use --host with one of its addresses (default 127.0.0.1)`,
      )
    default:
      return error
  }
}

const describe = (ready: ReadyFile, sandbox: Sandbox): string => {
  const lines = ['Sild sandbox is up.', '']
  if (ready.dashboard) lines.push(`Dashboard (open in a browser): ${ready.dashboard}`, '')
  lines.push('Security servers (call services through these):')
  for (const [code, url] of Object.entries(ready.securityServers)) {
    const protocol =
      sandbox.federation.instance(code)?.protocol === 'uxp-rest'
        ? 'Trembita/UXP REST, /restapi'
        : 'X-Road REST, /r1/…'
    lines.push(`  ${code.padEnd(14)} ${url.padEnd(24)} ${protocol}`)
  }
  const direct = (id: string) => sandbox.federation.serviceById(id)?.direct === true
  const services = Object.entries(ready.services)
  lines.push('', 'Provider information systems (the mocks, direct):')
  for (const [id, url] of services.filter(([id]) => !direct(id)))
    lines.push(`  ${id.padEnd(28)} ${url}`)
  const apis = services.filter(([id]) => direct(id))
  if (apis.length) {
    lines.push('', 'Services reached directly over HTTPS, without a security server:')
    for (const [id, url] of apis) lines.push(`  ${id.padEnd(28)} ${url}`)
  }
  const ee = ready.securityServers['ee-test']
  if (ee) {
    lines.push(
      '',
      'Try:',
      `  curl -H 'X-Road-Client: ee-test/GOV/70006317/eesti-ee' ${ee}/r1/ee-test/GOV/70008440/rr/population/persons/48001013546`,
    )
  }
  lines.push('', `Message log: ${ready.log ?? '(in memory)'}`, 'Press Ctrl+C to stop.', '')
  return lines.join('\n')
}
