import { createHash } from 'node:crypto'
import { mkdir, readFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { InvalidArgumentError, Option, type Command } from 'commander'
import {
  DEFAULT_FEDERATION_FILE,
  loadFederation,
  type Federation,
} from '../specs/federation/index.ts'
import { checkProviderUrl } from '../specs/provider-url/index.ts'
import { SildInputError } from '../specs/source-file/index.ts'
import { createMessageLog } from '../mocks/message-log/index.ts'
import { consoleReporter } from '../reports/console/index.ts'
import {
  parseReportTarget,
  REPORT_FORMATS,
  REPORT_STREAMS,
  type ReportOptions,
  type ReportStream,
  type ReportTarget,
} from '../reports/index.ts'
import type { RunnerListener } from '../runner/events.ts'
import {
  runScenarioStream,
  scenarioSecrets,
  type RunOptions as RunnerOptions,
} from '../runner/run.ts'
import { findScenarioFiles, loadScenarioSet } from '../runner/scenario/index.ts'
import type { RunOutline } from '../runner/types.ts'
import { certificateWriter, parseCertificateTarget, type CertificateTarget } from './certificate.ts'
import { httpEnvironment, inprocEnvironment, servedUrl } from './environments.ts'
import { assertInputsDeclared, inputOverrides, parseInput } from './inputs.ts'
import { EXIT } from './exit-codes.ts'
import { parseCount, parseShard } from './options.ts'
import type { CommandModule } from './main.ts'
import { partnerRun, type PartnerRun } from './partner.ts'
import { sildVersion } from './version.ts'
import { configuredProviderHosts } from '../gate/project/index.ts'

type RunOptions = {
  mode: 'inproc' | 'http'
  report: ReportTarget[]
  target: Array<{ name: string; url: string }>
  shard?: { index: number; total: number }
  concurrency: number
  seed: number
  dynamic?: boolean
  grep?: string
  timeout: number
  federation?: string
  log?: string
  verbose?: boolean
  certificate?: CertificateTarget
  signingKey?: string
  partner?: string
  partnerSecurityServer?: string
  allowProviderHost: string[]
  input: Array<[string, string]>
  inputs?: string
  maxRetryDelay: number
}

/** `sild run`: the bundled (or given) scenarios against the sandbox, scored. */
export const runCommand: CommandModule = (program: Command, done) => {
  program
    .command('run')
    .description('run Arazzo scenarios through the security servers and score every exchange')
    .argument('[scenario...]', 'scenario files or folders (default: the bundled scenarios/)')
    .addOption(
      new Option('--mode <mode>', 'in-process, or over HTTP on 127.0.0.1')
        .choices(['inproc', 'http'])
        .default('inproc'),
    )
    .option(
      '--report <format=path>',
      `write a report (repeatable; formats: ${Object.keys(REPORT_FORMATS).join(', ')})`,
      collect(parseReportTarget),
      [],
    )
    .option(
      '--target <name=url>',
      "send a service's calls to another provider (repeatable; name: a service id)",
      collect(parseTarget),
      [],
    )
    .option('--shard <i/n>', 'run shard i of n (a deterministic split)', parseShard)
    .option('--concurrency <n>', 'scenarios run at once, each on its own sandbox', parseCount, 1)
    .option('--seed <n>', 'seed for generated data', parseCount, 1)
    .option('--dynamic', 'Prism generates answers from schemas (seeded) instead of examples')
    .option('--grep <pattern>', 'only scenarios whose id, title or workflow ids match')
    .option('--timeout <ms>', 'per-exchange timeout', parseCount, 30_000)
    .option('--federation <file>', 'federation file (default: the bundled specs/federation.yaml)')
    .option('--log <file>', "also write the security servers' message log to this file")
    .option('--verbose', 'list passing steps too')
    .option(
      '--certificate <[party=]path>',
      'write a signed conformance certificate (and PATH.html); PARTY when several are scored',
      parseCertificateTarget,
    )
    .option('--signing-key <file>', 'Ed25519 private key (PEM) for --certificate, from sild keygen')
    .option(
      '--partner <file>',
      "a partner file: run its claimed profiles' scenarios with its services as providers",
    )
    .option(
      '--allow-provider-host <host>',
      'let provider URLs in files name this host or host:port besides loopback (repeatable; also allowProviderHosts in sild.config.yaml)',
      collect((value: string) => value),
      [],
    )
    .option(
      '--partner-security-server <url>',
      "the partner's own security server: also probe its protocol conformance",
      parseUrl,
    )
    .option('--input <name=value>', 'a value for an input (repeatable)', collect(parseInput), [])
    .option('--inputs <file>', 'input values from a JSON or YAML object of names and values')
    .option('--max-retry-delay <ms>', 'longest wait before an Arazzo retry', parseCount, 5_000)
    .action(async (paths: string[], opts: RunOptions) => {
      opts.allowProviderHost = [...opts.allowProviderHost, ...configuredProviderHosts()]
      const writeCertificate = await certificateWriter(opts)
      const federationFiles = [opts.federation ?? DEFAULT_FEDERATION_FILE]
      const partner = partnerOf(opts)
      const federation =
        partner?.federation ??
        loadFederation(federationFiles, { providerHosts: opts.allowProviderHost })
      applyTargets(federation, opts.target)
      const inputs = inputOverrides(opts.inputs, opts.input, partner?.partner.file)
      // One bad file is reported where it is wrong; the others still run (exit 2 at the end).
      const { scenarios, problems } = partner
        ? { scenarios: await partner.loadScenarios(paths), problems: [] }
        : await loadScenarioSet(findScenarioFiles(paths.length ? paths : undefined), {
            federation,
            ...(inputs ? { inputOverrides: inputs } : {}),
          })
      for (const problem of problems) process.stderr.write(`sild: ${problem.format()}\n`)
      if (problems.length && !scenarios.length) return done(EXIT.badInput)
      assertInputsDeclared(inputs, scenarios)
      const grep = opts.grep ? toRegExp(opts.grep) : undefined
      // Values of inputs a scenario marks secret stay out of the log as out of the reports.
      const secrets = [...new Set(scenarios.flatMap((s) => [...scenarioSecrets(s)]))]
      const log = opts.log ? await openLog(opts.log, secrets) : undefined
      // Prism answers examples first; --dynamic makes it generate data from schemas, seeded.
      const prism = { dynamic: Boolean(opts.dynamic), seed: String(opts.seed) }
      const sandbox =
        opts.mode === 'http'
          ? httpEnvironment({ federation, timeoutMs: opts.timeout, prism })
          : inprocEnvironment({ federation, log, timeoutMs: opts.timeout, prism })
      const env = partner ? partner.environment(sandbox) : sandbox
      const reporters: RunnerListener<RunOutline>[] = [
        consoleReporter({
          reproduceUrl: servedUrl(federation),
          reproduceHint: reproduceHint(opts),
          verbose: opts.verbose,
        }),
      ]
      let interrupt: () => void = () => {}
      const interrupted = new Promise<void>((resolve) => (interrupt = resolve))
      process.once('SIGINT', interrupt)
      const report = await runAndReport(
        {
          scenarios,
          federation,
          env,
          listener: fanOut(reporters),
          concurrency: opts.concurrency,
          seed: opts.seed,
          shard: opts.shard,
          grep,
          timeoutMs: opts.timeout,
          targets: opts.target.map((t) => t.name),
          maxRetryDelayMs: opts.maxRetryDelay,
          version: await sildVersion(),
          specsDigest: await specsDigest(federation),
          interrupted,
        },
        opts.report,
        { reproduceUrl: servedUrl(federation) },
        async () => {
          process.removeListener('SIGINT', interrupt)
          await log?.close()
        },
      )
      const certified = (await writeCertificate?.(report)) ?? true
      done(
        problems.length
          ? EXIT.badInput
          : certified &&
              report.complete &&
              report.summary.scenarios.pass === report.scenarios.length &&
              report.scenarios.length > 0
            ? EXIT.ok
            : EXIT.failed,
      )
    })
}

const collect =
  <T>(parse: (v: string) => T) =>
  (value: string, previous: T[]) => [...previous, parse(value)]

const parseTarget = (value: string) => {
  const eq = value.indexOf('=')
  if (eq < 1 || !/^https?:\/\//.test(value.slice(eq + 1))) {
    throw new InvalidArgumentError(
      'write NAME=URL, e.g. ee-population-register=http://127.0.0.1:8080',
    )
  }
  return { name: value.slice(0, eq), url: value.slice(eq + 1) }
}

const parseUrl = (value: string) => {
  const checked = checkProviderUrl(value, { anyHost: true })
  if (!checked.ok)
    throw new InvalidArgumentError(`the URL ${checked.error.reason}. ${checked.error.fix}`)
  return checked.value
}

/** `--partner FILE [--partner-security-server URL]`, or nothing without --partner. */
const partnerOf = (opts: RunOptions): PartnerRun | undefined => {
  if (!opts.partner) {
    if (opts.partnerSecurityServer)
      throw new SildInputError(
        '--partner-security-server needs --partner',
        undefined,
        'Name the partner file whose security server this is: --partner partner.yaml',
      )
    return undefined
  }
  return partnerRun({
    partner: opts.partner,
    federation: opts.federation ?? DEFAULT_FEDERATION_FILE,
    securityServer: opts.partnerSecurityServer,
    providerHosts: opts.allowProviderHost,
  })
}

const toRegExp = (pattern: string): RegExp => {
  try {
    return new RegExp(pattern, 'i')
  } catch (error) {
    throw new SildInputError(
      `--grep ${pattern} is not a valid regular expression: ${(error as Error).message}`,
    )
  }
}

const applyTargets = (federation: Federation, targets: Array<{ name: string; url: string }>) => {
  for (const { name, url } of targets) {
    const service = federation.serviceById(name)
    if (!service) {
      throw new SildInputError(
        `--target ${name}=${url}: no service "${name}" in the federation`,
        undefined,
        `Known services: ${federation.services
          .filter((s) => s.provider !== 'metaservice')
          .map((s) => s.id)
          .join(', ')}`,
      )
    }
    // The command line is the user's own: any host but link-local and metadata addresses.
    const checked = checkProviderUrl(url, { anyHost: true })
    if (!checked.ok) {
      throw new SildInputError(
        `--target ${name}=${url}: the URL ${checked.error.reason}`,
        undefined,
        checked.error.fix,
      )
    }
    service.provider = checked.value
  }
}

const openLog = async (file: string, secrets: readonly string[]) => {
  await mkdir(dirname(file), { recursive: true })
  // Nothing in a run reads the log back, so no record stays in memory besides the file.
  const log = await createMessageLog({
    file,
    memoryRecords: 0,
    ...(secrets.length ? { secrets: () => secrets } : {}),
  })
  if (log.repaired) process.stderr.write(`sild: message log ${file}: ${log.repaired.message}\n`)
  return log
}

const fanOut = <End extends RunOutline>(listeners: RunnerListener<End>[]): RunnerListener<End> => ({
  onRunStart: (s) => listeners.forEach((l) => l.onRunStart?.(s)),
  onScenarioStart: (s) => listeners.forEach((l) => l.onScenarioStart?.(s)),
  onStepResult: (s, w, r) => listeners.forEach((l) => l.onStepResult?.(s, w, r)),
  onWorkflowEnd: (s, w) => listeners.forEach((l) => l.onWorkflowEnd?.(s, w)),
  onScenarioEnd: (s) => listeners.forEach((l) => l.onScenarioEnd?.(s)),
  onRunEnd: async (r, reason) => {
    for (const l of listeners) await l.onRunEnd?.(r, reason)
  },
})

/** SHA-256 over the federation's spec files, by service id, so reports name the contracts they ran. */
export const specsDigest = async (federation: Federation): Promise<string> => {
  const hash = createHash('sha256')
  for (const service of [...federation.services].sort((a, b) => a.id.localeCompare(b.id))) {
    hash.update(`${service.id}\n`)
    hash.update(await readFile(service.specFile))
  }
  return hash.digest('hex')
}

/**
 * Runs and writes the reports a scenario at a time: each result goes to the reports as it is
 * handed on and the run keeps only its outline. `ended` runs before the reports are finished.
 */
const runAndReport = async (
  run: RunnerOptions & { listener: RunnerListener<RunOutline> },
  targets: ReportTarget[],
  options: ReportOptions,
  ended: () => Promise<void>,
): Promise<RunOutline> => {
  const streams: ReportStream[] = targets.map(({ format, path }) =>
    (REPORT_STREAMS[format] as NonNullable<(typeof REPORT_STREAMS)[string]>)(path, options),
  )
  try {
    const outline = await runScenarioStream({
      ...run,
      onResult: async (result) => {
        for (const stream of streams) await stream.scenario(result)
      },
    })
    await ended()
    for (const stream of streams) await stream.end(outline)
    return outline
  } catch (error) {
    await Promise.all(streams.map((s) => s.abort()))
    throw error
  }
}

/**
 * Where the curl lines of an in-process run reach: \`sild serve\` on its default ports, with the
 * same federation and partner. Over HTTP the run's own servers are gone when it ends, and a
 * partner's own security server is the partner's to run, so then there is nothing to say.
 */
const reproduceHint = (opts: RunOptions): string | undefined => {
  if (opts.mode === 'http' || opts.partnerSecurityServer) return undefined
  const args = [
    ...(opts.federation ? ['--federation', opts.federation] : []),
    ...(opts.partner ? ['--partner', opts.partner] : []),
  ]
  return `The curl lines call the security servers of \`npx sild serve${args.map((a) => ` ${a}`).join('')}\` on its default ports: start it in another terminal first.`
}
