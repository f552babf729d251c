import { mkdir, rm, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { Option, type Command } from 'commander'
import { EXIT, type CommandModule } from './main.ts'
import { parsePort } from './options.ts'
import { startSandboxServers } from './sandbox-servers.ts'

type ServeOptions = {
  host: string
  portBase: number
  readyFile?: string
  federation?: string
  log: string
}

/** `sild serve`: every mock and a security server per instance on 127.0.0.1. */
export const serveCommand: CommandModule = (program: Command, done) => {
  program
    .command('serve')
    .description('start every mocked service and a security server per instance on 127.0.0.1')
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .addOption(
      new Option('--port-base <port>', 'first port; the rest follow it (0 picks free ports)')
        .default(4400)
        .argParser(parsePort),
    )
    .option('--ready-file <path>', 'write the URLs as JSON here once everything answers')
    .option('--federation <file>', 'federation file (default: the bundled specs/federation.yaml)')
    .option('--log <file>', 'message log file', '.sild/message-log.jsonl')
    .action(async (opts: ServeOptions) => {
      const servers = await startSandboxServers(opts)
      if (opts.readyFile) {
        await mkdir(dirname(opts.readyFile), { recursive: true })
        await writeFile(opts.readyFile, `${JSON.stringify(servers.ready, null, 2)}\n`)
      }
      process.stdout.write(servers.describe())
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve)
        process.once('SIGTERM', resolve)
      })
      await servers.close()
      if (opts.readyFile) await rm(opts.readyFile, { force: true })
      done(EXIT.ok)
    })
}
