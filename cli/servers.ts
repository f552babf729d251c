import { readFileSync } from 'node:fs'
import { relative } from 'node:path'
import type { Command } from 'commander'
import {
  peerRuns,
  type DirectServiceUrls,
  type SecurityServerUrls,
} from '../runner/scenario/peer-servers.ts'
import { findScenarioFiles, loadScenarioSet } from '../runner/scenario/index.ts'
import {
  DEFAULT_FEDERATION_FILE,
  loadFederation,
  type Federation,
} from '../specs/federation/index.ts'
import { SildInputError } from '../specs/source-file/index.ts'
import { SECURITY_SERVER_OFFSET, SERVICE_OFFSET, type ReadyFile } from './sandbox-servers.ts'
// Types only: commands.ts imports this file, so a value import of main.ts would be a cycle.
import type { CommandModule } from './main.ts'

type ServersOptions = { readyFile?: string; portBase: number; federation?: string }

/**
 * `sild servers SCENARIO…`: the `redocly respect` command that runs each scenario against
 * `sild serve`, every source mapped to the security server of the instance that calls it.
 */
export const serversCommand: CommandModule = (program: Command, done) => {
  program
    .command('servers')
    .description(
      "print the command that runs scenarios with another Arazzo runner (redocly respect) against sild serve: each source mapped to its caller's security server",
    )
    .argument('<scenario...>', 'scenario files or folders')
    .option(
      '--ready-file <file>',
      'the ready file sild serve wrote (its URLs win over --port-base)',
    )
    .option('--port-base <n>', 'the --port-base sild serve runs with', Number, 4400)
    .option('--federation <file>', 'federation file (default: the bundled specs/federation.yaml)')
    .action(async (paths: string[], opts: ServersOptions) => {
      const federation = loadFederation([opts.federation ?? DEFAULT_FEDERATION_FILE])
      const urls = servedUrls(opts, federation)
      const { scenarios, problems } = await loadScenarioSet(findScenarioFiles(paths), {
        federation,
      })
      for (const problem of problems) process.stderr.write(`sild: ${problem.format()}\n`)
      for (const scenario of scenarios) {
        const runs = peerRuns(scenario, federation, urls.securityServers, urls.services)
        for (const run of runs) {
          const file = relative(process.cwd(), scenario.file)
          const servers = Object.entries(run.servers).map(
            ([name, url]) => `--server ${name}=${url}`,
          )
          // With one calling instance, every workflow runs: Respect need not be told which.
          const workflows = runs.length > 1 ? run.workflowIds.map((id) => `--workflow ${id}`) : []
          process.stdout.write(
            `# ${file}: the workflows whose caller is in ${run.instance}\nnpx redocly respect ${[file, ...servers, ...workflows].join(' ')}\n`,
          )
        }
      }
      done(problems.length ? 2 : 0)
    })
}

/** The security servers' and the mocks' URLs: from the ready file, or sild serve's port layout. */
const servedUrls = (
  opts: ServersOptions,
  federation: Federation,
): { securityServers: SecurityServerUrls; services: DirectServiceUrls } => {
  if (opts.readyFile) {
    try {
      const ready = JSON.parse(readFileSync(opts.readyFile, 'utf8')) as ReadyFile
      return { securityServers: ready.securityServers, services: ready.services ?? {} }
    } catch (error) {
      throw new SildInputError(
        `cannot read the ready file ${opts.readyFile}: ${(error as Error).message}`,
        undefined,
        'Start sild serve --ready-file FILE and pass the same FILE here.',
      )
    }
  }
  // sild serve's port layout: a security server per instance, in federation order, and a port
  // per mocked service, in federation order.
  const port = (offset: number) => `http://127.0.0.1:${opts.portBase + offset}`
  return {
    securityServers: Object.fromEntries(
      federation.instances.map((i, n) => [i.code, port(SECURITY_SERVER_OFFSET + n)]),
    ),
    services: Object.fromEntries(
      federation.services
        .filter((s) => s.provider === 'mock')
        .map((s, n) => [s.id, port(SERVICE_OFFSET + n)]),
    ),
  }
}
