import type { RunEndReason, RunnerListener, RunStart } from '../../runner/events.ts'
import { escapeControl } from '../../specs/control-chars/index.ts'
import { toCurl } from '../curl.ts'
import { allSandbox, levelsAbove, sandboxNote } from '../levels.ts'
import {
  LEVEL_NAMES,
  type CheckFailure,
  type Exchange,
  type RunOutline,
  type ScenarioResult,
  type Severity,
  type StepState,
} from '../../runner/types.ts'

export type ConsoleReporterOptions = {
  write?: (text: string) => void
  /** Colours and the live status line; default: stdout is a TTY and NO_COLOR is unset. */
  color?: boolean
  /** Turns an exchange URL into one a person can call (in-process hosts → `sild serve` ports). */
  reproduceUrl?: (url: string) => string
  /** Says where the curl lines reach, printed once above the failures. */
  reproduceHint?: string
  /** Also list passing steps. */
  verbose?: boolean
}

const MARK: Record<StepState, string> = { pass: '✓', fail: '✗', skip: '-', error: '!' }
const SEVERITY_ORDER: Severity[] = ['critical', 'high', 'medium', 'low']

/** Live progress, failure blocks with a reproducing curl, scorecards and a summary. */
export const consoleReporter = ({
  write = (t) => void process.stdout.write(t),
  color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
  reproduceUrl = (u) => u,
  reproduceHint,
  verbose = false,
}: ConsoleReporterOptions = {}): RunnerListener<RunOutline> => {
  const paint = (code: number) => (s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s)
  const green = paint(32)
  const red = paint(31)
  const dim = paint(2)
  const bold = paint(1)
  const stateColor: Record<StepState, (s: string) => string> = {
    pass: green,
    fail: red,
    skip: dim,
    error: red,
  }
  let total = 0
  let finished = 0

  return {
    onRunStart(start: RunStart) {
      total = start.scenarios.length
      write(
        `${bold('Sild')} · ${total} scenario${total === 1 ? '' : 's'} · seed ${start.seed} · ${start.mode === 'http' ? 'over HTTP' : 'in-process'}\n\n`,
      )
    },
    onScenarioEnd(scenario: ScenarioResult) {
      finished++
      const steps = scenario.workflows.flatMap((w) => w.steps)
      const lines = [
        `${stateColor[scenario.state](MARK[scenario.state])} ${bold(t(scenario.id))} ${dim(`${t(scenario.title)} (${steps.length} steps, ${scenario.durationMs} ms)`)} ${dim(`[${finished}/${total}]`)}`,
      ]
      for (const w of scenario.workflows) {
        for (const step of w.steps) {
          if (!verbose && step.state === 'pass') continue
          const ex = step.exchange
          const call = ex
            ? `${ex.request.method} ${ex.serviceId} ${ex.operationId} → ${ex.response?.status ?? ex.transportError}`
            : (step.message ?? '')
          lines.push(
            `    ${stateColor[step.state](MARK[step.state])} ${t(w.workflowId)} › ${t(step.stepId)}  ${dim(t(call))}`,
          )
        }
        if (w.message && w.state !== 'pass')
          lines.push(`    ${red('!')} ${t(w.workflowId)}: ${t(w.message)}`)
      }
      write(`${lines.join('\n')}\n`)
    },
    onRunEnd(report: RunOutline, reason: RunEndReason) {
      const out: string[] = ['']
      if (report.scenarios.length === 0 && reason === 'completed') {
        out.push(red('No scenario ran: none matched the paths, --grep or --shard given.'))
      }
      const causes = report.scorecards.filter((c) => c.diagnosis)
      if (causes.length) {
        // The one cause behind many failures comes first, once, with its fix.
        out.push(bold('Root cause'), '')
        for (const card of causes)
          out.push(t(`${red('✗')} ${card.party} × ${card.profile}: ${card.diagnosis}`))
        out.push('')
      }
      const failures = allFailures(report)
      if (failures.length) {
        out.push(bold(`Failures (${failures.length})`), '')
        if (reproduceHint && failures.some((f) => f.exchange)) out.push(dim(reproduceHint), '')
        for (const { failure, exchange } of failures)
          out.push(...failureBlock(failure, exchange, reproduceUrl, red, dim), '')
      }
      out.push(bold('Scorecards'))
      // Columns as wide as their longest entry, so a long profile cannot push the row out of line.
      const partyWidth = Math.max(14, ...report.scorecards.map((c) => c.party.length))
      const profileWidth = Math.max(30, ...report.scorecards.map((c) => c.profile.length))
      out.push(
        dim(
          `  ${'party'.padEnd(partyWidth)} ${'profile'.padEnd(profileWidth)} ${'level'.padEnd(24)} score`,
        ),
      )
      const everySandbox = allSandbox(report.scorecards)
      for (const card of report.scorecards) {
        const level = card.level === 0 ? '0 none' : `${card.level} ${LEVEL_NAMES[card.level]}`
        out.push(
          `  ${card.party.padEnd(partyWidth)} ${card.profile.padEnd(profileWidth)} ${level.padEnd(24)} ${card.score.toFixed(1).padStart(5)}`,
        )
        const sandbox = everySandbox ? undefined : sandboxNote(card)
        if (sandbox) out.push(dim(`      ${sandbox}`))
        if (card.diagnosis && card.level === 0 && card.score === 0) {
          out.push(dim(`      the provider never answered: see the root cause above`))
          continue
        }
        // Every blocked level, and the first level not tested in detail: the rest by number only.
        const above = levelsAbove(card)
        const untested = above.filter((v) => v.state === 'not-tested')
        for (const verdict of above) {
          if (verdict.state === 'blocked') {
            for (const b of verdict.blocking.slice(0, 3))
              out.push(
                dim(
                  `      level ${verdict.level} blocked by ${b.check}: ${truncate(t(b.message), 90)}`,
                ),
              )
          } else if (verdict === untested[0]) {
            const checks = verdict.untested.map((u) => u.check)
            const more = untested.slice(1).map((v) => v.level)
            out.push(
              dim(
                `      level ${verdict.level} not tested in this run${checks.length ? `: ${checks.join(', ')} never applied (${truncate(verdict.untested[0]?.appliedBy ?? '', 70)}${checks.length > 1 ? ', …' : ''})` : ''}${more.length ? `; level${more.length > 1 ? 's' : ''} ${more.join(', ')} not tested either` : ''}`,
              ),
            )
          }
        }
      }
      if (everySandbox)
        out.push(
          '',
          dim(
            "Every scorecard above was answered by Sild itself, by its own mocks and simulated security servers: they show the sandbox at work, not an implementation, and no certificate states them. To score an implementation, send a service's calls to it (sild run --target SERVICE=URL, or --partner FILE).",
          ),
        )
      const s = report.summary
      const count = (r: Record<StepState, number>) =>
        (['pass', 'fail', 'error', 'skip'] as StepState[])
          .filter((k) => r[k] > 0)
          .map(
            (k) =>
              `${r[k]} ${k === 'pass' ? 'passed' : k === 'fail' ? 'failed' : k === 'error' ? 'errored' : 'skipped'}`,
          )
          .join(', ') || '0'
      out.push(
        '',
        `${bold('Scenarios')} ${count(s.scenarios)}  ${bold('Steps')} ${count(s.steps)}  ${bold('Checks')} ${s.checks.passed} passed, ${s.checks.failed} failed`,
        `${dim(`seed ${report.seed} · ${(report.durationMs / 1000).toFixed(1)} s${report.shard ? ` · shard ${report.shard.index}/${report.shard.total}` : ''}`)}`,
      )
      if (reason !== 'completed' || !report.complete) {
        out.push(
          red(
            `INCOMPLETE: the run was ${reason === 'interrupted' ? 'interrupted' : 'not finished'}; this report covers ${report.scenarios.length} scenario(s) only.`,
          ),
        )
      }
      write(`${out.join('\n')}\n`)
    },
  }
}

// Every failed check application is listed, so the count matches the summary's failed checks.
const allFailures = (report: RunOutline): Array<{ failure: CheckFailure; exchange?: Exchange }> => {
  const list: Array<{ failure: CheckFailure; exchange?: Exchange }> = []
  for (const s of report.scenarios)
    for (const w of s.workflows) {
      for (const step of w.steps)
        for (const failure of step.failures) list.push({ failure, exchange: step.exchange })
      for (const failure of w.failures) list.push({ failure })
    }
  return list.sort(
    (a, b) =>
      SEVERITY_ORDER.indexOf(a.failure.severity) - SEVERITY_ORDER.indexOf(b.failure.severity),
  )
}

const failureBlock = (
  f: CheckFailure,
  exchange: Exchange | undefined,
  reproduceUrl: (url: string) => string,
  red: (s: string) => string,
  dim: (s: string) => string,
): string[] => {
  const lines = [
    `${red('✗')} ${f.check} ${dim(`[${f.severity} · level ${f.level} ${LEVEL_NAMES[f.level]}]`)} ${t(`${f.scenario} › ${f.workflowId}${f.stepId ? ` › ${f.stepId}` : ''}`)}`,
    `  ${t(f.message)}`,
  ]
  if (exchange) {
    lines.push(
      dim(
        t(
          `  ${exchange.client} → ${exchange.service} ${exchange.operationId}: ${exchange.response ? `HTTP ${exchange.response.status}` : exchange.transportError}`,
        ),
      ),
    )
    const body =
      typeof exchange.request.body === 'string'
        ? exchange.request.body
        : exchange.request.body === undefined
          ? undefined
          : JSON.stringify(exchange.request.body)
    lines.push(
      `  Reproduce with: ${t(toCurl({ ...exchange.request, url: reproduceUrl(exchange.request.url), body }))}`,
    )
  }
  return lines
}

/** Text from specs, scenarios and partners, with control characters shown, not obeyed. */
const t = (text: string): string => escapeControl(text)

const truncate = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s)
