import { InvalidArgumentError, Option, type Command } from 'commander'
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { GATES, failedGates, runCheck, type CheckOutcome, type Gate } from '../gate/check/index.ts'
import { FAIL_ON, gitRoot, type FailOn } from '../gate/diff/index.ts'
import { LINT_SEVERITIES, type LintSeverity } from '../gate/lint/index.ts'
import { configuredProviderHosts, federationSpecs, resolveProject } from '../gate/project/index.ts'
import { renderCheckSummary } from '../reports/console/check.ts'
import { REPORT_FORMATS } from '../reports/index.ts'
import { renderCheckJunit } from '../reports/junit/check.ts'
import { renderCheckMarkdown } from '../reports/markdown/check.ts'
import { renderCheckSarif } from '../reports/sarif/check.ts'
import { findScenarioFiles } from '../runner/scenario/index.ts'
import type { RunReport } from '../runner/types.ts'
import { escapeControl } from '../specs/control-chars/index.ts'
import { loadFederation } from '../specs/federation/index.ts'
import { SildInputError } from '../specs/source-file/index.ts'
import { scenarioGate } from './check-scenarios.ts'
import { rulesetFor } from './lint.ts'
// Types only: commands.ts imports this file, so a value import of main.ts would be a cycle.
import type { CommandModule, ExitCode } from './main.ts'
import { parseCount, parseShard } from './options.ts'
import { sildVersion } from './version.ts'

/** The formats `sild check --report` writes: its own three, and the run report's others. */
const CHECK_FORMATS = ['junit', 'sarif', 'markdown']
const checkFormats = () => [...new Set([...CHECK_FORMATS, ...Object.keys(REPORT_FORMATS)])]

type ReportTarget = { format: string; path: string }

type CheckOptions = {
  base?: string
  only: Gate[]
  federation?: string
  scenarios: string[]
  report: ReportTarget[]
  failSeverity: LintSeverity
  failOn: FailOn
  ruleset?: string
  shard?: { index: number; total: number }
  concurrency: number
  seed: number
  timeout: number
  verbose?: boolean
}

/** `sild check`: what a spec repository's CI runs on a change: lint, diff, scenarios. */
export const checkCommand: CommandModule = (program: Command, done) => {
  program
    .command('check')
    .description(
      "what a spec repository's CI runs: lint the specs, diff them against the base revision, and run every scenario against mocks built from the working tree",
    )
    .option(
      '--base <ref>',
      'diff against the merge base of HEAD and this revision (default: origin/main)',
    )
    .option(
      '--only <gates>',
      `run only these gates (comma-separated: ${GATES.join(', ')})`,
      parseGates,
      [...GATES],
    )
    .option(
      '--federation <file>',
      "federation file (default: the one sild.config.yaml names, in Sild's own repository the bundled one, else Prism mocks of the repository's specs)",
    )
    .option(
      '--scenarios <path>',
      "scenario file or folder (repeatable; default: the repository's Arazzo files, in Sild's own repository the bundled ones)",
      (value: string, previous: string[]) => [...previous, value],
      [],
    )
    .option(
      '--report <format=path>',
      `write a report (repeatable; formats: ${checkFormats().join(', ')}; json is the scenario run's, for sild merge)`,
      (value: string, previous: ReportTarget[]) => [...previous, parseTarget(value)],
      [],
    )
    .addOption(
      new Option('--fail-severity <severity>', 'lint fails on findings this severe or worse')
        .choices(LINT_SEVERITIES)
        .default('error'),
    )
    .addOption(
      new Option('--fail-on <changes>', 'diff fails on changes of this kind')
        .choices(FAIL_ON)
        .default('breaking'),
    )
    .option(
      '--ruleset <file>',
      "a Spectral ruleset extending Sild's (default: .spectral.yaml here, if any)",
    )
    .option(
      '--shard <i/n>',
      'run shard i of n of the scenarios (a deterministic split)',
      parseShard,
    )
    .option('--concurrency <n>', 'scenarios run at once', parseCount, 1)
    .option('--seed <n>', 'seed for generated data', parseCount, 1)
    .option('--timeout <ms>', 'per-exchange timeout', parseCount, 30_000)
    .option('--verbose', 'list passing scenario steps too')
    .action(async (opts: CheckOptions) => done(await check(opts)))
}

const check = async (opts: CheckOptions): Promise<ExitCode> => {
  const project = resolveProject({
    root: gitRoot(process.cwd()) ?? process.cwd(),
    federation: opts.federation,
  })
  const federation = project.federationFile
    ? loadFederation([project.federationFile], { providerHosts: configuredProviderHosts() })
    : undefined
  const scenarioOnly = opts.report.filter(
    (r) => !CHECK_FORMATS.includes(r.format) && !opts.only.includes('scenarios'),
  )
  if (scenarioOnly.length)
    throw new SildInputError(
      `--report ${scenarioOnly[0]?.format}=… is the scenario run's report, but --only leaves the scenarios out`,
      undefined,
      'Add scenarios to --only, or write junit, sarif or markdown.',
    )
  // Scenario paths named on the command line must exist, whichever gates run.
  if (opts.scenarios.length) findScenarioFiles(opts.scenarios)
  const outcome = await runCheck({
    project,
    specs:
      project.kind === 'repository' ? project.specs : federation ? federationSpecs(federation) : [],
    federation,
    only: opts.only,
    base: opts.base,
    failSeverity: opts.failSeverity,
    failOn: opts.failOn,
    rulesetFile: rulesetFor(opts.ruleset),
    sharded: opts.shard !== undefined,
    scenarioGate: scenarioGate({ ...opts, project, federation }),
  })
  process.stdout.write(escapeControl(renderCheckSummary(outcome), { multiline: true }))
  await writeReports(outcome, opts.report)
  return failedGates(outcome).length ? 1 : 0
}

const writeReports = async (o: CheckOutcome, targets: ReportTarget[]) => {
  for (const { format, path } of targets) {
    const text =
      format === 'junit'
        ? renderCheckJunit(o)
        : format === 'sarif'
          ? renderCheckSarif(o, {
              root: gitRoot(process.cwd()) ?? process.cwd(),
              version: await sildVersion(),
            })
          : format === 'markdown'
            ? renderCheckMarkdown(o)
            : (REPORT_FORMATS[format] as (r: RunReport) => string)(o.run as RunReport)
    await mkdir(dirname(resolve(path)), { recursive: true })
    await writeFile(path, text)
  }
}

const parseGates = (value: string): Gate[] => {
  const gates = value
    .split(',')
    .map((g) => g.trim())
    .filter(Boolean)
  const unknown = gates.filter((g) => !(GATES as readonly string[]).includes(g))
  if (unknown.length || gates.length === 0)
    throw new InvalidArgumentError(`write a comma-separated list of ${GATES.join(', ')}`)
  return gates as Gate[]
}

const parseTarget = (value: string): ReportTarget => {
  const eq = value.indexOf('=')
  const format = eq < 0 ? value : value.slice(0, eq)
  const path = eq < 0 ? '' : value.slice(eq + 1)
  if (!checkFormats().includes(format) || !path)
    throw new SildInputError(
      `--report ${value}: ${path ? `unknown format "${format}"` : 'no path'}`,
      undefined,
      `Write --report FORMAT=PATH with FORMAT one of ${checkFormats().join(', ')}, e.g. --report sarif=out/check.sarif.`,
    )
  return { format, path }
}
