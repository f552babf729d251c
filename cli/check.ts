import { InvalidArgumentError, Option, type Command } from 'commander'
import { mkdir, writeFile } from 'node:fs/promises'
import { basename, dirname, relative, resolve } from 'node:path'
import {
  diffAgainstRevision,
  diffFails,
  diffSuite,
  diffSummary,
  escapeMarkdownText,
  FAIL_ON,
  findMergeBase,
  formatDiffMarkdown,
  gitRoot,
  resolveRevision,
  type Change,
  type FailOn,
  type RevisionDiff,
} from '../gate/diff/index.ts'
import { loadFederation, type Federation } from '../specs/federation/index.ts'
import { openApi3Only, resolveProject, type Project } from '../gate/project/index.ts'
import {
  atLeast,
  countSeverities,
  LINT_SEVERITIES,
  lintSpecs,
  lintSuite,
  type LintResult,
  type LintSeverity,
} from '../gate/lint/index.ts'
import { SildInputError, type SourceLocation } from '../specs/source-file/index.ts'
import { consoleReporter } from '../reports/console/index.ts'
import { REPORT_FORMATS } from '../reports/index.ts'
import {
  diffToSarif,
  lintToSarif,
  untestedLevelsToSarif,
  renderSarif,
  type SarifFinding,
} from '../reports/sarif/index.ts'
import { runScenarios, scenarioId } from '../runner/run.ts'
import { findScenarioFiles, loadScenario, type Scenario } from '../runner/scenario/index.ts'
import type { RunReport, StepResult } from '../runner/types.ts'
import { inprocEnvironment, servedUrl } from './environments.ts'
import { federationSpecs, lintFails, rulesetFor } from './lint.ts'
// Types only: commands.ts imports this file, so a value import of main.ts would be a cycle.
import type { CommandModule, ExitCode } from './main.ts'
import { specsDigest } from './run.ts'
import { sildVersion } from './version.ts'
import { escapeControl } from '../specs/control-chars/index.ts'

export const GATES = ['lint', 'diff', 'scenarios'] as const
export type Gate = (typeof GATES)[number]
type GateState = 'pass' | 'fail' | 'skip'

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

/** What was compared with: the commit, how it was chosen, or why nothing was. */
type BaseChoice = { sha?: string; label: string; note?: string }

/** A scenario that could not be loaded against the working tree's specs (often: a removed operation). */
type LoadFailure = { file: string; id: string; message: string; location?: SourceLocation }

type CheckOutcome = {
  states: Record<Gate, GateState>
  lint?: LintResult
  diff?: RevisionDiff
  base?: BaseChoice
  run?: RunReport
  scenarios: Scenario[]
  loadFailures: LoadFailure[]
  /** Breaking change → the scenario steps that call its operation. */
  usedBy: Map<Change, string[]>
  durationMs: number
  /** How long each gate took, in ms. */
  took: Partial<Record<Gate, number>>
  /** Why a gate was skipped, when it was not asked to be. */
  skipped: Partial<Record<Gate, string>>
  project: Project
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
    .option('--federation <file>', 'federation file (default: the bundled specs/federation.yaml)')
    .option(
      '--scenarios <path>',
      'scenario file or folder (repeatable; default: the bundled scenarios/)',
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
  const started = performance.now()
  const project = resolveProject({
    root: gitRoot(process.cwd()) ?? process.cwd(),
    federation: opts.federation,
  })
  const federationFile = project.federationFile
  const federation = federationFile ? loadFederation([federationFile]) : undefined
  const specs =
    project.kind === 'repository' ? project.specs : federation ? federationSpecs(federation) : []
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
  const states: Record<Gate, GateState> = { lint: 'skip', diff: 'skip', scenarios: 'skip' }
  const outcome: CheckOutcome = {
    states,
    scenarios: [],
    loadFailures: [],
    usedBy: new Map(),
    durationMs: 0,
    took: {},
    skipped: {},
    project,
  }
  const timed = async (gate: Gate, work: () => Promise<void>) => {
    const start = performance.now()
    await work()
    outcome.took[gate] = Math.round(performance.now() - start)
  }

  if (opts.only.includes('lint'))
    await timed('lint', async () => {
      outcome.lint = await lintSpecs(specs, {
        federation,
        wholeFederation: project.kind === 'federation',
        rulesetFile: rulesetFor(opts.ruleset),
      })
      states.lint = lintFails(outcome.lint, opts.failSeverity) ? 'fail' : 'pass'
    })
  if (opts.only.includes('diff'))
    await timed('diff', async () => {
      outcome.base = chooseBase(
        opts.base,
        project.kind === 'federation' ? dirname(project.federationFile) : project.root,
      )
      if (!outcome.base.sha) return
      outcome.diff = await diffAgainstRevision({
        ref: outcome.base.sha,
        refLabel: outcome.base.label,
        specs: openApi3Only(specs),
        federationFile: project.kind === 'federation' ? federationFile : undefined,
      })
      states.diff = diffFails(outcome.diff, opts.failOn) ? 'fail' : 'pass'
    })
  const scenarioFiles = opts.scenarios.length
    ? opts.scenarios
    : project.kind === 'repository'
      ? project.scenarios
      : undefined
  if (opts.only.includes('scenarios') && project.kind === 'repository' && !scenarioFiles?.length)
    outcome.skipped.scenarios = 'the repository has no Arazzo scenarios'
  else if (opts.only.includes('scenarios') && !federation)
    outcome.skipped.scenarios = `scenarios need a federation that serves the specs: name one in sild.config.yaml (federation: federation.yaml) or pass --federation`
  else if (opts.only.includes('scenarios') && federation) {
    await timed('scenarios', () => runGate(opts, federation, scenarioFiles, outcome))
    const run = outcome.run
    states.scenarios =
      outcome.loadFailures.length === 0 &&
      run !== undefined &&
      run.complete &&
      run.scenarios.every((s) => s.state === 'pass') &&
      (run.scenarios.length > 0 || opts.shard !== undefined)
        ? 'pass'
        : 'fail'
  }
  if (outcome.diff) outcome.usedBy = callers(outcome.diff.breaking, outcome.scenarios)
  outcome.durationMs = Math.round(performance.now() - started)
  process.stdout.write(escapeControl(summaryText(outcome, opts), { multiline: true }))
  await writeReports(outcome, opts)
  return Object.values(states).includes('fail') ? 1 : 0
}

const short = (sha: string) => sha.slice(0, 12)

/**
 * The revision to diff against: the merge base of HEAD and --base (default origin/main). Without
 * origin/main, or without history shared with it (a shallow clone), it falls back to HEAD and
 * says so: then only uncommitted changes are diffed.
 */
const chooseBase = (given: string | undefined, dir: string): BaseChoice => {
  const root = gitRoot(dir)
  if (!root) return { label: 'none', note: 'not a git repository: no base to diff against' }
  const target = given ?? 'origin/main'
  let targetSha: string | undefined
  try {
    targetSha = resolveRevision(root, target)
  } catch (error) {
    if (given !== undefined) throw error
  }
  const mergeBase = targetSha ? findMergeBase(root, 'HEAD', targetSha) : undefined
  if (mergeBase === targetSha) return { sha: mergeBase, label: target }
  if (mergeBase)
    return { sha: mergeBase, label: short(mergeBase), note: `merge base of HEAD and ${target}` }
  if (targetSha)
    return { sha: targetSha, label: target, note: `${target} (it shares no history with HEAD)` }
  let head: string | undefined
  try {
    head = resolveRevision(root, 'HEAD')
  } catch {
    return { label: 'none', note: 'the repository has no commits yet: no base to diff against' }
  }
  return {
    sha: head,
    label: 'HEAD',
    note: `no ${target} here (not fetched, or a shallow clone): comparing with HEAD, so only uncommitted changes are diffed; pass --base REF, and in CI fetch the history (fetch-depth: 0)`,
  }
}

// Scenarios are loaded one by one against the working tree's specs: one that no longer loads
// (its operation was removed or renamed) is a failure of this gate, not bad input.
const runGate = async (
  opts: CheckOptions,
  federation: Federation,
  scenarioFiles: string[] | undefined,
  outcome: CheckOutcome,
) => {
  const files = inShard(findScenarioFiles(scenarioFiles), opts.shard)
  for (const file of files) {
    try {
      outcome.scenarios.push(await loadScenario(file, { federation }))
    } catch (error) {
      if (!(error instanceof SildInputError)) throw error
      outcome.loadFailures.push({
        file,
        id: idOf(file),
        message: error.message,
        location: error.location,
      })
    }
  }
  outcome.run = await runScenarios({
    scenarios: outcome.scenarios,
    federation,
    env: inprocEnvironment({ federation, timeoutMs: opts.timeout }),
    listener: consoleReporter({ reproduceUrl: servedUrl(federation), verbose: opts.verbose }),
    concurrency: opts.concurrency,
    seed: opts.seed,
    timeoutMs: opts.timeout,
    version: await sildVersion(),
    specsDigest: await specsDigest(federation),
  })
  // The files were split before loading, so the report is marked with the shard here: sild merge
  // checks that the shards of a run cover 1..n.
  if (opts.shard) outcome.run = { ...outcome.run, shard: opts.shard }
  if (outcome.loadFailures.length) outcome.run = { ...outcome.run, complete: false }
}

const idOf = (file: string) =>
  basename(file)
    .replace(/\.arazzo\.(ya?ml|json)$/i, '')
    .replace(/\.(ya?ml|json)$/i, '')

/** The scenario files of shard i of n, split as `sild run --shard` splits them: sorted by id, every n-th. */
const inShard = (files: string[], shard?: { index: number; total: number }) =>
  shard
    ? [...files]
        .sort((a, b) => idOf(a).localeCompare(idOf(b)))
        .filter((_, i) => i % shard.total === shard.index - 1)
    : files

/** For each breaking change in an operation, the scenario steps that call that operation. */
const callers = (changes: Change[], scenarios: Scenario[]): Map<Change, string[]> => {
  const map = new Map<Change, string[]>()
  for (const change of changes) {
    const op = change.operation
    if (!op) continue
    const specFile = resolve(change.spec)
    const steps: string[] = []
    for (const scenario of scenarios)
      for (const workflow of scenario.workflows)
        for (const step of workflow.steps) {
          const t = step.target
          if (t.kind !== 'operation' || resolve(t.spec.file) !== specFile) continue
          if (
            t.operation.method === op.method &&
            (t.operationId === op.operationId || t.operation.pathTemplate === op.path)
          )
            steps.push(`${scenarioId(scenario)} (step ${step.stepId})`)
        }
    if (steps.length) map.set(change, [...new Set(steps)])
  }
  return map
}

const projectLine = (p: Project) =>
  p.kind === 'federation'
    ? `the federation ${displayPath(p.federationFile)}`
    : `${plural(p.specs.length, 'spec')} ${p.configFile ? `named in ${displayPath(p.configFile)}` : `found in ${displayPath(p.root) || '.'}`}`

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
const MARK: Record<GateState, string> = { pass: '✓', fail: '✗', skip: '-' }

const lintLine = (lint: LintResult) => {
  const c = countSeverities(lint.findings)
  return `${plural(c.error, 'error')}, ${plural(c.warn, 'warning')} in ${plural(lint.specs.length, 'spec')}`
}

const scenarioLine = (o: CheckOutcome) => {
  const run = o.run
  if (!run) return 'not run'
  const s = run.summary.scenarios
  const total = run.scenarios.length + o.loadFailures.length
  const failed = s.fail + s.error + o.loadFailures.length
  return `${s.pass} of ${plural(total, 'scenario')} passed${failed ? `, ${failed} failed` : ''}${run.shard ? ` (shard ${run.shard.index}/${run.shard.total})` : ''}`
}

const failingSteps = (run: RunReport) =>
  run.scenarios.flatMap((s) =>
    s.workflows.flatMap((w) =>
      w.steps
        .filter((step) => step.state === 'fail' || step.state === 'error')
        .map((step) => ({ scenario: s, workflowId: w.workflowId, step })),
    ),
  )

const stepReason = (step: StepResult) =>
  step.failures[0]
    ? `${step.failures[0].check}: ${step.failures[0].message}`
    : (step.message ?? step.state)

const displayPath = (file: string) => {
  const rel = relative(process.cwd(), file)
  return rel && !rel.startsWith('..') ? rel : file
}

const where = (c: Change) =>
  c.location.file
    ? `${c.location.file}${c.location.line ? `:${c.location.line}:${c.location.column ?? 1}` : ''}`
    : c.spec

const took = (o: CheckOutcome, gate: Gate) =>
  o.took[gate] === undefined ? '' : ` · ${((o.took[gate] ?? 0) / 1000).toFixed(1)} s`

/** The console summary: one line per gate, then what failed and what it breaks. */
const summaryText = (o: CheckOutcome, opts: CheckOptions): string => {
  const lines = ['', `Sild check of ${projectLine(o.project)}`]
  const { states } = o
  if (o.lint) {
    lines.push(`  lint       ${MARK[states.lint]} ${lintLine(o.lint)}${took(o, 'lint')}`)
    for (const f of o.lint.findings.filter((f) => atLeast(f.severity, opts.failSeverity)))
      lines.push(
        `    ${displayPath(f.file)}:${f.line}:${f.column} ${f.severity} ${f.rule}  ${f.message}`,
      )
  }
  if (opts.only.includes('diff')) {
    const against = o.base ? `against ${o.base.label}${o.base.note ? ` (${o.base.note})` : ''}` : ''
    lines.push(
      o.diff
        ? `  diff       ${MARK[states.diff]} ${diffSummary(o.diff)} ${against}${took(o, 'diff')}`
        : `  diff       - skipped: ${o.base?.note ?? 'no base'}`,
    )
    const shown =
      opts.failOn === 'any'
        ? [...(o.diff?.breaking ?? []), ...(o.diff?.nonBreaking ?? [])]
        : (o.diff?.breaking ?? [])
    for (const c of opts.failOn === 'none' ? [] : shown) {
      lines.push(
        `    ${where(c)} ${c.rule}  ${c.message}${c.breaks.length ? ` (breaks ${c.breaks.join(' and ')})` : ''}`,
      )
      const users = o.usedBy.get(c)
      if (users) lines.push(`      called by scenario ${users.join(', ')}`)
    }
  }
  if (opts.only.includes('scenarios') && o.skipped.scenarios)
    lines.push(`  scenarios  - skipped: ${o.skipped.scenarios}`)
  else if (opts.only.includes('scenarios')) {
    lines.push(`  scenarios  ${MARK[states.scenarios]} ${scenarioLine(o)}${took(o, 'scenarios')}`)
    for (const f of o.loadFailures) {
      const at = f.location
        ? `${displayPath(f.location.file)}:${f.location.line}:${f.location.column}: `
        : ''
      lines.push(`    ✗ ${f.id}: cannot run against the changed specs: ${at}${f.message}`)
    }
    for (const { scenario, step } of o.run ? failingSteps(o.run) : [])
      lines.push(
        `    ✗ ${scenario.id}: step ${step.stepId} ${step.state === 'error' ? 'errored' : 'failed'}: ${stepReason(step)}`,
      )
  }
  const failed = GATES.filter((g) => states[g] === 'fail')
  lines.push(
    '',
    `${failed.length ? `check failed: ${failed.join(', ')}` : 'check passed'} · ${(o.durationMs / 1000).toFixed(1)} s`,
    '',
  )
  return lines.join('\n')
}

const writeReports = async (o: CheckOutcome, opts: CheckOptions) => {
  for (const { format, path } of opts.report) {
    const text =
      format === 'junit'
        ? checkJunit(o, opts)
        : format === 'sarif'
          ? await checkSarif(o)
          : format === 'markdown'
            ? escapeControl(checkMarkdown(o, opts), { multiline: true })
            : (REPORT_FORMATS[format] as (r: RunReport) => string)(o.run as RunReport)
    await mkdir(dirname(resolve(path)), { recursive: true })
    await writeFile(path, text)
  }
}

/** JUnit: a suite for lint, one for diff, and the scenario run's suites. */
const checkJunit = (o: CheckOutcome, opts: CheckOptions): string => {
  const suites: string[] = []
  if (o.lint) suites.push(...lintSuite(o.lint, { failSeverity: opts.failSeverity }))
  if (o.diff)
    suites.push(
      ...diffSuite(o.diff, o.diff.specs, (c) =>
        opts.failOn === 'any' ? true : opts.failOn === 'none' ? false : c.breaking,
      ),
    )
  if (o.loadFailures.length)
    suites.push(
      `  <testsuite name="scenario-loading" tests="${o.loadFailures.length}" failures="${o.loadFailures.length}" errors="0" skipped="0">`,
      ...o.loadFailures.map(
        (f) =>
          `    <testcase classname="scenarios" name="${xml(f.id, true)}">\n      <failure message="${xml('cannot run against the changed specs', true)}" type="load">${xml(`${f.location ? `${displayPath(f.location.file)}:${f.location.line}:${f.location.column}: ` : ''}${f.message}`)}</failure>\n    </testcase>`,
      ),
      '  </testsuite>',
    )
  const render = REPORT_FORMATS.junit
  if (o.run && render)
    suites.push(...(render(o.run).match(/ {2}<testsuite[\s>][\s\S]*?<\/testsuite>/g) ?? []))
  const count = (pattern: RegExp) => suites.join('\n').match(pattern)?.length ?? 0
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="sild check" tests="${count(/<testcase[\s>]/g)}" failures="${count(/<failure[\s>]/g)}" errors="${count(/<error[\s>]/g)}" time="${(o.durationMs / 1000).toFixed(3)}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n')
}

/** SARIF: lint findings, breaking changes, and failing scenario steps at their place in the scenario. */
const checkSarif = async (o: CheckOutcome): Promise<string> => {
  const findings: SarifFinding[] = [
    ...(o.lint ? lintToSarif(o.lint.findings) : []),
    ...(o.diff ? diffToSarif(o.diff) : []),
    ...o.loadFailures.map((f) => ({
      ruleId: 'scenario/cannot-load',
      level: 'error' as const,
      message: `scenario ${f.id} cannot run against the changed specs: ${f.message}`,
      file: f.location?.file ?? f.file,
      line: f.location?.line,
      column: f.location?.column,
    })),
    ...(o.run ? scenarioFindings(o.run, o.scenarios) : []),
    ...(o.run ? untestedLevelsToSarif(o.run) : []),
  ]
  const root = gitRoot(process.cwd()) ?? process.cwd()
  return renderSarif(findings, { root, version: await sildVersion() })
}

const scenarioFindings = (run: RunReport, scenarios: Scenario[]): SarifFinding[] =>
  failingSteps(run).flatMap(({ scenario, workflowId, step }) => {
    const loaded = scenarios.find((s) => scenarioId(s) === scenario.id)
    const def = loaded?.workflows
      .find((w) => w.workflowId === workflowId)
      ?.steps.find((s) => s.stepId === step.stepId)
    const at = loaded && def ? loaded.locate(def.path) : undefined
    const failures = step.failures.length
      ? step.failures
      : [{ check: 'step-error', message: step.message ?? 'the step could not run' }]
    return failures.map((f) => ({
      ruleId: `scenario/${f.check}`,
      level: 'error' as const,
      message: `scenario ${scenario.id}, step ${step.stepId}: ${f.message}`,
      file: at?.file ?? scenario.file,
      line: at?.line,
      column: at?.column,
    }))
  })

/** Markdown for the pull request: the gates, lint problems, breaking changes and what they break, then the scenarios. */
const checkMarkdown = (o: CheckOutcome, opts: CheckOptions): string => {
  const { states } = o
  const failed = GATES.filter((g) => states[g] === 'fail')
  const out = [
    `## Sild check: ${failed.length ? `✗ failed (${failed.join(', ')})` : '✓ passed'}`,
    '',
    '| gate | result |',
    '|---|---|',
  ]
  if (o.lint) out.push(`| lint | ${MARK[states.lint]} ${lintLine(o.lint)} |`)
  if (opts.only.includes('diff'))
    out.push(
      `| diff | ${o.diff ? `${MARK[states.diff]} ${diffSummary(o.diff)} against \`${o.base?.label}\`` : '- skipped'} |`,
    )
  if (opts.only.includes('scenarios'))
    out.push(
      `| scenarios | ${o.skipped.scenarios ? `- skipped: ${escapeMarkdownText(o.skipped.scenarios)}` : `${MARK[states.scenarios]} ${scenarioLine(o)}`} |`,
    )
  out.push('')
  if (o.base?.note) out.push(`> Diff base: ${escapeMarkdownText(o.base.note)}`, '')
  const problems = o.lint?.findings.filter((f) => atLeast(f.severity, opts.failSeverity)) ?? []
  if (problems.length) {
    out.push('### Lint', '', '| where | rule | problem |', '|---|---|---|')
    for (const f of problems.slice(0, 100))
      out.push(
        `| ${escapeMarkdownText(`${displayPath(f.file)}:${f.line}:${f.column}`)} | \`${f.rule}\` | ${escapeMarkdownText(f.message)} |`,
      )
    if (problems.length > 100) out.push('', `…and ${problems.length - 100} more.`)
    out.push('')
  }
  if (o.diff) {
    out.push(formatDiffMarkdown(o.diff, { heading: '### Spec changes' }))
    const used = [...o.usedBy.entries()]
    if (used.length) {
      out.push('**Scenarios calling changed operations**', '')
      for (const [change, steps] of used)
        out.push(
          `- \`${change.rule}\` ${escapeMarkdownText(change.message)}: ${escapeMarkdownText(steps.join(', '))}`,
        )
      out.push('')
    }
  }
  if (o.loadFailures.length) {
    out.push('### Scenarios that cannot run against the changed specs', '')
    for (const f of o.loadFailures)
      out.push(`- **${escapeMarkdownText(f.id)}**: ${escapeMarkdownText(f.message)}`)
    out.push('')
  }
  const render = REPORT_FORMATS.markdown
  if (o.run && render) out.push(render(o.run))
  return `${out.join('\n').trimEnd()}\n`
}

const xml = (value: string, attribute = false): string => {
  const text = value
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
  return attribute ? text.replace(/"/g, '&quot;').replace(/\n/g, '&#10;') : text
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

const parseShard = (value: string) => {
  const m = /^(\d+)\/(\d+)$/.exec(value)
  const index = Number(m?.[1])
  const total = Number(m?.[2])
  if (!m || total < 1 || index < 1 || index > total)
    throw new InvalidArgumentError('write i/n with 1 ≤ i ≤ n, e.g. 2/3')
  return { index, total }
}

const parseCount = (value: string) => {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number ≥ 1')
  return n
}
