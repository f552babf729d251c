import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { stringify } from 'yaml'
import {
  DEFAULT_FEDERATION_FILE,
  loadFederation,
  type Federation,
} from '../specs/federation/index.ts'
import { loadPartnerFederation } from '../specs/partner/index.ts'
import { SildInputError } from '../specs/source-file/index.ts'
import {
  applyFilters,
  exchangesFromHar,
  exchangesFromLog,
  parseExchangeFilter,
  recordScenario,
  scrubExchange,
  type Har,
  type LoggedRecord,
  type RecordedExchange,
} from '../runner/record/index.ts'
// Types only: commands.ts imports this file, so a value import of main.ts would be a cycle.
import type { CommandModule, ExitCode } from './main.ts'

type RecordOptions = {
  fromLog?: string
  fromHar?: string
  filter: string[]
  out: string
  title?: string
  federation?: string
  partner?: string
}

/** `sild record --from-log FILE | --from-har FILE [--filter K=V]… --out scenario.yaml`. */
export const recordCommand: CommandModule = (program, done) => {
  program
    .command('record')
    .description('turn logged exchanges (or a HAR file) into an Arazzo scenario that replays them')
    .option(
      '--from-log <file>',
      'a message log (JSON Lines) written by sild serve or sild run --log',
    )
    .option('--from-har <file>', 'a HAR file of real X-Road or Trembita traffic')
    .option(
      '--filter <key=value>',
      'keep only matching exchanges (repeatable): client, service, instance, method, path, status',
      (value: string, previous: string[]) => [...previous, value],
      [],
    )
    .requiredOption('--out <file>', 'the scenario to write (*.arazzo.yaml)')
    .option('--title <text>', "the scenario's title")
    .option('--federation <file>', 'federation file (default: the bundled specs/federation.yaml)')
    .option('--partner <file>', "a partner file, when the exchanges call the partner's services")
    .action(async (opts: RecordOptions) => done(await record(opts)))
}

const record = async (opts: RecordOptions): Promise<ExitCode> => {
  if (Boolean(opts.fromLog) === Boolean(opts.fromHar)) {
    throw new SildInputError(
      'name exactly one of --from-log FILE and --from-har FILE',
      undefined,
      'e.g. sild record --from-log .sild/message-log.jsonl --out recorded.arazzo.yaml',
    )
  }
  const federationFile = opts.federation ?? DEFAULT_FEDERATION_FILE
  const federation: Federation = opts.partner
    ? loadPartnerFederation(opts.partner, [federationFile], { providerHosts: 'any' }).federation
    : loadFederation([federationFile], { providerHosts: 'any' })
  const skipped: string[] = []
  let exchanges: RecordedExchange[]
  if (opts.fromLog) {
    exchanges = exchangesFromLog(await readLogRecords(opts.fromLog))
  } else {
    const har = await readJson(opts.fromHar as string, 'HAR file')
    const read = exchangesFromHar(har as Har)
    exchanges = read.exchanges
    skipped.push(...read.skipped)
  }
  const filters = opts.filter.map((f) =>
    parseExchangeFilter(f, (key) => federation.service(key)?.id),
  )
  const kept = applyFilters(exchanges, filters).map((exchange) => {
    // The scenario is meant to be committed: no credential goes into it.
    const scrubbed = scrubExchange(exchange)
    if (scrubbed.removed.length) {
      skipped.push(`${exchange.origin}: removed ${scrubbed.removed.join(', ')}`)
    }
    return scrubbed.exchange
  })
  const recording = await recordScenario(kept, {
    federation,
    scenarioFile: opts.out,
    ...(opts.title ? { title: opts.title } : {}),
  })
  const notes = [...skipped, ...recording.notes]
  if (recording.steps === 0) {
    throw new SildInputError(
      `nothing to record: ${exchanges.length} exchange(s) read, ${kept.length} kept by the filters, none replayable${notes.length ? `\n  ${notes.slice(0, 5).join('\n  ')}` : ''}`,
      undefined,
      'Loosen --filter, or record from a log of calls through the security servers.',
    )
  }
  await mkdir(dirname(resolve(opts.out)), { recursive: true })
  await writeFile(opts.out, stringify(recording.document, { lineWidth: 0 }))
  process.stdout.write(
    [
      `Recorded ${recording.steps} exchange(s) into ${opts.out} (${recording.shapeChecks} volatile field(s) checked by shape).`,
      ...notes.map((n) => `  ${n}`),
      `Replay with: sild run ${opts.out}${opts.partner ? ` --partner ${opts.partner}` : ''}`,
      '',
    ].join('\n'),
  )
  return 0
}

/** The records of a message log (JSON Lines); a line that is not JSON is an input error. */
export const readLogRecords = async (file: string): Promise<LoggedRecord[]> => {
  const text = await readText(file, 'message log')
  const records: LoggedRecord[] = []
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return
    try {
      records.push(JSON.parse(line) as LoggedRecord)
    } catch {
      throw new SildInputError(
        `line ${i + 1} of the message log is not JSON`,
        { file: resolve(file), line: i + 1, column: 1 },
        'Check the log with: sild log verify FILE',
      )
    }
  })
  return records
}

const readJson = async (file: string, what: string): Promise<unknown> => {
  const text = await readText(file, what)
  try {
    return JSON.parse(text) as unknown
  } catch (error) {
    throw new SildInputError(`${what} ${file} is not JSON: ${(error as Error).message}`)
  }
}

const readText = async (file: string, what: string): Promise<string> => {
  try {
    return await readFile(file, 'utf8')
  } catch (error) {
    throw new SildInputError(
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? `${what} not found: ${file}`
        : `cannot read ${what} ${file}: ${(error as Error).message}`,
    )
  }
}
