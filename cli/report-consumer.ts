import { createHash } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { DEFAULT_FEDERATION_FILE } from '../specs/federation/index.ts'
import { loadPartnerFederation } from '../specs/partner/index.ts'
import { consoleReporter } from '../reports/console/index.ts'
import { parseReportTarget, REPORT_FORMATS, type ReportTarget } from '../reports/index.ts'
import {
  consumerReport,
  fromLogRecord,
  isPartnerClientRecord,
  type RecordedExchange,
} from '../runner/record/index.ts'
import type { RunReport } from '../runner/types.ts'
import { certificateWriter, parseCertificateTarget, type CertificateTarget } from './certificate.ts'
import { servedUrl } from './environments.ts'
import { EXIT } from './exit-codes.ts'
// Types only: commands.ts imports this file, so a value import of main.ts would be a cycle.
import type { CommandModule, ExitCode } from './main.ts'
import { readLogRecords } from './record.ts'
import { specsDigest } from './run.ts'
import { sildVersion } from './version.ts'

/** Where `sild serve` writes its message log. */
const DEFAULT_LOG = '.sild/message-log.jsonl'

type ConsumerOptions = {
  partner: string
  log: string
  federation?: string
  report: ReportTarget[]
  certificate?: CertificateTarget
  signingKey?: string
  portBase: string
}

/**
 * `sild report consumer --partner FILE [--log FILE]`: scores every request the partner's clients
 * sent through its security server in the sandbox, from the message log.
 */
export const reportConsumerCommand: CommandModule = (program, done) => {
  const report =
    program.commands.find((command) => command.name() === 'report') ??
    program.command('report').description('reports read from what the sandbox recorded')
  report
    .command('consumer')
    .description("score a partner's client requests from the message log (its consumer role)")
    .requiredOption('--partner <file>', 'the partner file whose clients to score')
    .option('--log <file>', 'the message log sild serve wrote', DEFAULT_LOG)
    .option('--federation <file>', 'federation file (default: the bundled specs/federation.yaml)')
    .option(
      '--report <format=path>',
      `also write a report (repeatable; formats: ${Object.keys(REPORT_FORMATS).join(', ')})`,
      (value: string, previous: ReportTarget[]) => [...previous, parseReportTarget(value)],
      [],
    )
    .option(
      '--certificate <[party=]path>',
      'write a signed conformance certificate of the consumer role',
      parseCertificateTarget,
    )
    .option('--signing-key <file>', 'Ed25519 private key (PEM) for --certificate, from sild keygen')
    .option(
      '--port-base <port>',
      'the --port-base sild serve runs with, for the curl lines that reproduce a failure',
      '4400',
    )
    .action(async (opts: ConsumerOptions) => done(await reportConsumer(opts)))
}

const reportConsumer = async (opts: ConsumerOptions): Promise<ExitCode> => {
  const writeCertificate = await certificateWriter(opts)
  // The log is read, no provider is called: any host a partner file names may stand.
  const { federation, partner } = loadPartnerFederation(
    opts.partner,
    [opts.federation ?? DEFAULT_FEDERATION_FILE],
    { providerHosts: 'any' },
  )
  const records = await readLogRecords(opts.log)
  const mine = records.filter((r) => isPartnerClientRecord(r, partner.instance))
  const exchanges = mine.flatMap((r): RecordedExchange[] => {
    const e = fromLogRecord(r, `log ${r.instance}#${r.seq ?? '?'}`)
    return e ? [e] : []
  })
  const report = await consumerReport(exchanges, {
    federation,
    instance: partner.instance,
    file: resolve(opts.log),
    digest: createHash('sha256')
      .update(await readFile(opts.log))
      .digest('hex'),
    version: await sildVersion(),
    specsDigest: await specsDigest(federation),
    startedAt: typeof mine[0]?.at === 'string' ? mine[0].at : new Date().toISOString(),
  })
  if (exchanges.length === 0) {
    process.stdout.write(
      `No request of ${partner.instance}'s clients in ${opts.log}: point a client at ${partner.instance}'s security server (sild serve --partner ${opts.partner}) and call a service.\n`,
    )
    return 1
  }
  const portBase = Number(opts.portBase)
  if (!Number.isInteger(portBase) || portBase < 1 || portBase > 65535) {
    process.stderr.write(
      `sild report consumer: --port-base ${opts.portBase} is not a port: give the --port-base sild serve runs with (default 4400)\n`,
    )
    return EXIT.badInput
  }
  await consoleReporter({
    reproduceUrl: servedUrl(federation, portBase),
    reproduceHint: `The curl lines call the security server of \`npx sild serve --partner ${opts.partner}\` on ports from ${portBase}: start it in another terminal first.`,
  }).onRunEnd?.(report, 'completed')
  await writeReports(report, opts.report)
  await writeCertificate?.(report)
  return report.summary.checks.failed === 0 ? 0 : 1
}

const writeReports = async (report: RunReport, targets: ReportTarget[]) => {
  for (const { format, path } of targets) {
    const render = REPORT_FORMATS[format] as (r: RunReport) => string
    await mkdir(dirname(path), { recursive: true })
    await writeFile(path, render(report))
  }
}
