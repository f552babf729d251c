import { relative } from 'node:path'
import { diffSummary, type Change } from '../../gate/diff/index.ts'
import {
  failedGates,
  type CheckOutcome,
  type Gate,
  type GateState,
} from '../../gate/check/index.ts'
import { atLeast, countSeverities, type LintResult } from '../../gate/lint/index.ts'
import type { Project } from '../../gate/project/index.ts'
import type { RunReport, StepResult } from '../../runner/types.ts'

export const MARK: Record<GateState, string> = { pass: '✓', fail: '✗', skip: '-' }

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

/** A path relative to the current folder when it is inside it. */
export const displayPath = (file: string) => {
  const rel = relative(process.cwd(), file)
  return rel && !rel.startsWith('..') ? rel : file
}

export const lintLine = (lint: LintResult) => {
  const c = countSeverities(lint.findings)
  return `${plural(c.error, 'error')}, ${plural(c.warn, 'warning')} in ${plural(lint.specs.length, 'spec')}`
}

export const scenarioLine = (o: CheckOutcome) => {
  const run = o.run
  if (!run) return 'not run'
  const s = run.summary.scenarios
  const total = run.scenarios.length + o.loadFailures.length
  const failed = s.fail + s.error + o.loadFailures.length
  return `${s.pass} of ${plural(total, 'scenario')} passed${failed ? `, ${failed} failed` : ''}${run.shard ? ` (shard ${run.shard.index}/${run.shard.total})` : ''}`
}

/** The steps that failed or errored, with their scenario and workflow. */
export const failingSteps = (run: RunReport) =>
  run.scenarios.flatMap((s) =>
    s.workflows.flatMap((w) =>
      w.steps
        .filter((step) => step.state === 'fail' || step.state === 'error')
        .map((step) => ({ scenario: s, workflowId: w.workflowId, step })),
    ),
  )

/** The lint findings at or above the failing severity. */
export const lintProblems = (o: CheckOutcome) =>
  o.lint?.findings.filter((f) => atLeast(f.severity, o.failSeverity)) ?? []

const projectLine = (p: Project) =>
  p.kind === 'federation'
    ? `the federation ${displayPath(p.federationFile)}`
    : `${plural(p.specs.length, 'spec')} ${p.configFile ? `named in ${displayPath(p.configFile)}` : `found in ${displayPath(p.root) || '.'}`}`

const stepReason = (step: StepResult) =>
  step.failures[0]
    ? `${step.failures[0].check}: ${step.failures[0].message}`
    : (step.message ?? step.state)

const where = (c: Change) =>
  c.location.file
    ? `${c.location.file}${c.location.line ? `:${c.location.line}:${c.location.column ?? 1}` : ''}`
    : c.spec

const took = (o: CheckOutcome, gate: Gate) =>
  o.took[gate] === undefined ? '' : ` · ${((o.took[gate] ?? 0) / 1000).toFixed(1)} s`

/** The console summary of `sild check`: one line per gate, then what failed and what it breaks. */
export const renderCheckSummary = (o: CheckOutcome): string => {
  const lines = ['', `Sild check of ${projectLine(o.project)}`]
  const { states } = o
  if (o.lint) {
    lines.push(`  lint       ${MARK[states.lint]} ${lintLine(o.lint)}${took(o, 'lint')}`)
    for (const f of lintProblems(o))
      lines.push(
        `    ${displayPath(f.file)}:${f.line}:${f.column} ${f.severity} ${f.rule}  ${f.message}`,
      )
  }
  if (o.only.includes('diff')) {
    const against = o.base ? `against ${o.base.label}${o.base.note ? ` (${o.base.note})` : ''}` : ''
    lines.push(
      o.diff
        ? `  diff       ${MARK[states.diff]} ${diffSummary(o.diff)} ${against}${took(o, 'diff')}`
        : `  diff       - skipped: ${o.base?.note ?? 'no base'}`,
    )
    const shown =
      o.failOn === 'any'
        ? [...(o.diff?.breaking ?? []), ...(o.diff?.nonBreaking ?? [])]
        : (o.diff?.breaking ?? [])
    for (const c of o.failOn === 'none' ? [] : shown) {
      lines.push(
        `    ${where(c)} ${c.rule}  ${c.message}${c.breaks.length ? ` (breaks ${c.breaks.join(' and ')})` : ''}`,
      )
      const users = o.usedBy.get(c)
      if (users) lines.push(`      called by scenario ${users.join(', ')}`)
    }
  }
  if (o.only.includes('scenarios') && o.skipped.scenarios)
    lines.push(`  scenarios  - skipped: ${o.skipped.scenarios}`)
  else if (o.only.includes('scenarios')) {
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
  const failed = failedGates(o)
  lines.push(
    '',
    `${failed.length ? `check failed: ${failed.join(', ')}` : 'check passed'} · ${(o.durationMs / 1000).toFixed(1)} s`,
    '',
  )
  return lines.join('\n')
}
