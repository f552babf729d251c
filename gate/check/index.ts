import { dirname } from 'node:path'
import type { Federation } from '../../specs/federation/index.ts'
import type { SourceLocation } from '../../specs/source-file/index.ts'
// The scenario gate's result is the runner's report; the gate only carries it to the reporters.
import type { RunReport } from '../../runner/types.ts'
import {
  diffAgainstRevision,
  diffFails,
  findMergeBase,
  gitRoot,
  resolveRevision,
  type Change,
  type FailOn,
  type RevisionDiff,
} from '../diff/index.ts'
import { lintFails, lintSpecs, type LintResult, type LintSeverity } from '../lint/index.ts'
import { openApi3Only, type Project } from '../project/index.ts'

export const GATES = ['lint', 'diff', 'scenarios'] as const
export type Gate = (typeof GATES)[number]
export type GateState = 'pass' | 'fail' | 'skip'

/** What was compared with: the commit, how it was chosen, or why nothing was. */
export type BaseChoice = { sha?: string; label: string; note?: string }

/** A scenario that could not be loaded against the working tree's specs (often: a removed operation). */
export type LoadFailure = { file: string; id: string; message: string; location?: SourceLocation }

/** What the scenario gate hands back: the run, and what it knows about the scenarios it ran. */
export type ScenarioGateResult = {
  run: RunReport
  loadFailures: LoadFailure[]
  /** Where each step is written: `scenarioId/workflowId/stepId` → its place in the scenario file. */
  stepLocations: Map<string, SourceLocation>
  /** For each breaking change in an operation, the scenario steps that call that operation. */
  callers(changes: Change[]): Map<Change, string[]>
}

/** The scenario gate, wired by the caller: it runs the scenarios, or says why it cannot. */
export type ScenarioGate = () => Promise<ScenarioGateResult | { skipped: string }>

export type CheckSettings = {
  project: Project
  /** The specs to lint and diff. */
  specs: string[]
  federation?: Federation
  only: Gate[]
  /** The revision asked for with --base (default origin/main). */
  base?: string
  failSeverity: LintSeverity
  failOn: FailOn
  rulesetFile?: string
  /** A shard of the scenarios was asked for: an empty shard passes. */
  sharded?: boolean
  scenarioGate: ScenarioGate
}

/** The outcome of `sild check`: each gate's state and findings, for the console and the reports. */
export type CheckOutcome = {
  project: Project
  only: Gate[]
  failSeverity: LintSeverity
  failOn: FailOn
  states: Record<Gate, GateState>
  lint?: LintResult
  diff?: RevisionDiff
  base?: BaseChoice
  run?: RunReport
  loadFailures: LoadFailure[]
  stepLocations: Map<string, SourceLocation>
  /** Breaking change → the scenario steps that call its operation. */
  usedBy: Map<Change, string[]>
  durationMs: number
  /** How long each gate took, in ms. */
  took: Partial<Record<Gate, number>>
  /** Why a gate was skipped, when it was not asked to be. */
  skipped: Partial<Record<Gate, string>>
}

/**
 * Runs the gates asked for, in order: lint the specs, diff them against the base revision, run the
 * scenarios. Every gate that fails is recorded; none stops the others.
 */
export const runCheck = async (settings: CheckSettings): Promise<CheckOutcome> => {
  const started = performance.now()
  const { project, only } = settings
  const outcome: CheckOutcome = {
    project,
    only,
    failSeverity: settings.failSeverity,
    failOn: settings.failOn,
    states: { lint: 'skip', diff: 'skip', scenarios: 'skip' },
    loadFailures: [],
    stepLocations: new Map(),
    usedBy: new Map(),
    durationMs: 0,
    took: {},
    skipped: {},
  }
  const { states } = outcome
  const timed = async (gate: Gate, work: () => Promise<void>) => {
    const start = performance.now()
    await work()
    outcome.took[gate] = Math.round(performance.now() - start)
  }
  if (only.includes('lint'))
    await timed('lint', async () => {
      outcome.lint = await lintSpecs(settings.specs, {
        federation: settings.federation,
        wholeFederation: project.kind === 'federation',
        rulesetFile: settings.rulesetFile,
      })
      states.lint = lintFails(outcome.lint, settings.failSeverity) ? 'fail' : 'pass'
    })
  if (only.includes('diff'))
    await timed('diff', async () => {
      outcome.base = chooseBase(
        settings.base,
        project.kind === 'federation' ? dirname(project.federationFile) : project.root,
      )
      if (!outcome.base.sha) return
      outcome.diff = await diffAgainstRevision({
        ref: outcome.base.sha,
        refLabel: outcome.base.label,
        specs: openApi3Only(settings.specs),
        federationFile: project.kind === 'federation' ? project.federationFile : undefined,
      })
      states.diff = diffFails(outcome.diff, settings.failOn) ? 'fail' : 'pass'
    })
  let scenarios: ScenarioGateResult | undefined
  if (only.includes('scenarios')) {
    const start = performance.now()
    const result = await settings.scenarioGate()
    if ('skipped' in result) outcome.skipped.scenarios = result.skipped
    else {
      outcome.took.scenarios = Math.round(performance.now() - start)
      scenarios = result
      outcome.run = result.run
      outcome.loadFailures = result.loadFailures
      outcome.stepLocations = result.stepLocations
      states.scenarios = scenariosPass(result, settings.sharded === true) ? 'pass' : 'fail'
    }
  }
  if (outcome.diff && scenarios) outcome.usedBy = scenarios.callers(outcome.diff.breaking)
  outcome.durationMs = Math.round(performance.now() - started)
  return outcome
}

/** The gates that failed, in order. */
export const failedGates = (outcome: CheckOutcome): Gate[] =>
  GATES.filter((g) => outcome.states[g] === 'fail')

// Every scenario loaded and passed, and there was at least one (an empty shard of many is fine).
const scenariosPass = ({ run, loadFailures }: ScenarioGateResult, sharded: boolean) =>
  loadFailures.length === 0 &&
  run.complete &&
  run.scenarios.every((s) => s.state === 'pass') &&
  (run.scenarios.length > 0 || sharded)

const short = (sha: string) => sha.slice(0, 12)

/**
 * The revision to diff against: the merge base of HEAD and --base (default origin/main). Without
 * origin/main, or without history shared with it (a shallow clone), it falls back to HEAD and
 * says so: then only uncommitted changes are diffed.
 */
export const chooseBase = (given: string | undefined, dir: string): BaseChoice => {
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
