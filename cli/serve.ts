import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { Option, type Command } from 'commander'
import { parse } from 'yaml'
import { createDashboard } from '../dashboard/index.ts'
import { worldSamples } from '../dashboard/composer/index.ts'
import type { Sandbox } from '../mocks/sandbox/index.ts'
import type { Partner } from '../specs/partner/index.ts'
import { REPORT_FORMATS } from '../reports/index.ts'
import { renderHtmlReport } from '../reports/html/index.ts'
import { REPORT_MESSAGES, type Language } from '../reports/i18n/languages.ts'
import { runScenarios } from '../runner/run.ts'
import { findScenarioFiles, loadScenarios } from '../runner/scenario/index.ts'
import type { Environment } from '../runner/transport.ts'
import type { RunReport } from '../runner/types.ts'
import { EXIT } from './exit-codes.ts'
import type { CommandModule } from './main.ts'
import { parsePort } from './options.ts'
import {
  loadPartnerScenarios,
  servePartner,
  watchPartnerClients,
  withoutPartnerServices,
} from './partner.ts'
import { specsDigest } from './run.ts'
import { startSandboxServers, type ReadyFile, type ServedDashboard } from './sandbox-servers.ts'
import { sildVersion } from './version.ts'
import { configuredProviderHosts } from '../gate/project/index.ts'

type ServeOptions = {
  host: string
  allowedHost: string[]
  allowProviderHost: string[]
  portBase: number
  readyFile?: string
  federation?: string
  log: string
  partner?: string
  mocks: 'world' | 'spec'
  dynamic?: boolean
  seed: string
}

/** `sild serve`: every mock and a security server per instance on 127.0.0.1. */
export const serveCommand: CommandModule = (program: Command, done) => {
  program
    .command('serve')
    .description('start every mocked service and a security server per instance on 127.0.0.1')
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option(
      '--allowed-host <name>',
      'also answer requests for this host name (repeatable; loopback names always)',
      (value: string, all: string[]) => [...all, value],
      [],
    )
    .option(
      '--allow-provider-host <host>',
      'let provider URLs in files name this host or host:port besides loopback (repeatable; also allowProviderHosts in sild.config.yaml)',
      (value: string, all: string[]) => [...all, value],
      [],
    )
    .addOption(
      new Option('--port-base <port>', 'first port; the rest follow it (0 picks free ports)')
        .default(4400)
        .argParser(parsePort),
    )
    .option('--ready-file <path>', 'write the URLs as JSON here once everything answers')
    .option('--federation <file>', 'federation file (default: the bundled specs/federation.yaml)')
    .option('--log <file>', 'message log file', '.sild/message-log.jsonl')
    .addOption(
      new Option(
        '--mocks <kind>',
        'world: registers answer from the world data; spec: every operation from its spec (Prism)',
      )
        .choices(['world', 'spec'])
        .default('world'),
    )
    .option('--dynamic', 'Prism generates answers from schemas instead of examples (seeded)')
    .option('--seed <seed>', 'seed of the generated answers', '1')
    .option(
      '--partner <file>',
      "a partner file: its clients call its instance's security server, and each request is scored",
    )
    .action(async (opts: ServeOptions) => {
      opts.allowProviderHost = [...opts.allowProviderHost, ...configuredProviderHosts()]
      const partner = servePartner(opts)
      const servers = await startSandboxServers({
        ...opts,
        allowedHosts: opts.allowedHost,
        providerHosts: opts.allowProviderHost,
        prism: { dynamic: Boolean(opts.dynamic), seed: opts.seed },
        ...(partner ? { federationModel: partner.federationModel } : {}),
        dashboard: serveDashboard(opts.log, partner?.partner),
      })
      if (opts.readyFile) {
        await mkdir(dirname(opts.readyFile), { recursive: true })
        const ready: ReadyFile = { ...servers.ready, respect: respectCommand(opts) }
        await writeFile(opts.readyFile, `${JSON.stringify(ready, null, 2)}\n`)
      }
      process.stdout.write(servers.describe())
      if (partner) watchPartnerClients(servers.sandbox, partner.instance)
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve)
        process.once('SIGTERM', resolve)
      })
      await servers.close()
      if (opts.readyFile) await rm(opts.readyFile, { force: true })
      done(EXIT.ok)
    })
}

/** `sild servers` with this run's ready file and federation; the scenario paths are the user's. */
const respectCommand = (opts: ServeOptions): string =>
  [
    'npx sild servers',
    `--ready-file ${shellWord(opts.readyFile ?? '')}`,
    ...(opts.federation ? [`--federation ${shellWord(opts.federation)}`] : []),
    'SCENARIO…',
  ].join(' ')

const shellWord = (word: string): string =>
  /^[\w./:@%+=,-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`

const WORLD_CAST = new URL('../mocks/world/cast.yaml', import.meta.url)

/**
 * The dashboard on the serving sandbox: its scenario runs go through the same security servers
 * and message log as everyone's calls, so they show in the live feed. With a partner, the page
 * also offers the scenarios of the profiles it claims, run against its services with its test
 * data, as `sild run --partner` runs them.
 */
export const serveDashboard =
  (logFile: string | null, partner?: Partner) =>
  async (sandbox: Sandbox, ready: ReadyFile): Promise<ServedDashboard> => {
    const { federation } = sandbox
    const [version, digest, cast] = await Promise.all([
      sildVersion(),
      specsDigest(federation),
      readFile(WORLD_CAST, 'utf8'),
    ])
    const reproduceUrl = servedUrlOf(sandbox, ready)
    const dashboard = createDashboard({
      sandbox,
      loadScenarios: async () => [
        ...(await loadScenarios(findScenarioFiles(), {
          federation: partner ? withoutPartnerServices(federation, partner) : federation,
        })),
        ...(partner ? await loadPartnerScenarios(federation, partner, []) : []),
      ],
      runScenarios: ({ scenarios, listener, interrupted }) =>
        runScenarios({
          scenarios,
          federation,
          env: servingEnvironment(sandbox),
          listener,
          interrupted,
          version,
          specsDigest: digest,
        }),
      reportFormats: reportFormats(reproduceUrl),
      securityServerUrls: ready.securityServers,
      world: worldSamples(parse(cast)),
      logFile,
      version,
    })
    return { fetch: (request) => dashboard.fetch(request), close: () => dashboard.close() }
  }

/** One session on the sandbox being served; the world is reset before each scenario. */
const servingEnvironment = (sandbox: Sandbox): Environment => ({
  mode: 'inproc',
  protocolOf: (code) => sandbox.federation.instance(code)?.protocol,
  openSession: async () => ({
    transport: {
      mode: 'inproc',
      securityServerUrl: (code) =>
        sandbox.urls.securityServers[sandbox.federation.instance(code)?.code ?? code],
      directServiceUrl: (id) => sandbox.urls.services[id],
      fetch: (url, init) => sandbox.dispatcher.fetch(url, init),
    },
    reset: () => sandbox.reset(),
  }),
  closeSession: async () => {},
})

/**
 * In-process URLs of the security servers and the mocks (a direct service is called there) → the
 * ports this `sild serve` listens on, for a report's curl.
 */
const servedUrlOf = (sandbox: Sandbox, ready: ReadyFile) => {
  const served = (inproc: Record<string, string>, ports: Record<string, string>) =>
    Object.entries(inproc).flatMap(([key, url]) => (ports[key] ? [[url, ports[key]] as const] : []))
  const pairs = [
    ...served(sandbox.urls.securityServers, ready.securityServers),
    ...served(sandbox.urls.services, ready.services),
  ]
  return (url: string): string => {
    const hit = pairs.find(([inproc]) => url.startsWith(inproc))
    return hit ? hit[1] + url.slice(hit[0].length) : url
  }
}

/** Every registered report format; the HTML report in the page's language. */
const reportFormats = (
  reproduceUrl: (url: string) => string,
): Record<string, (report: RunReport, lang: Language) => string> => ({
  ...Object.fromEntries(
    Object.entries(REPORT_FORMATS).map(([name, render]) => [
      name,
      (report: RunReport) => render(report),
    ]),
  ),
  ...('html' in REPORT_FORMATS
    ? {
        html: (report: RunReport, lang: Language) =>
          renderHtmlReport(report, { messages: REPORT_MESSAGES[lang], lang, reproduceUrl }),
      }
    : {}),
})
