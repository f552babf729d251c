import {
  SEVERITY_WEIGHT,
  type RunSummary,
  type StepState,
  type CheckOutcome,
  type Level,
  type ScenarioResult,
  type Scorecard,
  type ScorecardCheck,
  type LevelVerdict,
  type ProviderUse,
} from '../types.ts'
import { answeredBySild } from './answered-by.ts'
import { diagnose, type Diagnosis } from './diagnosis.ts'
import { requirementsOf, type ProfileRequirements } from './requirements.ts'

export { requirementsOf, type ProfileRequirements, type Requirement } from './requirements.ts'

const LEVELS: Level[] = [1, 2, 3, 4]

/** The profile under which checks about the calling client are recorded. */
export const CONSUMER_PROFILE = 'consumer'

/** Every check outcome of a run: steps' and workflows'. */
export const outcomesOf = (scenarios: ReadonlyArray<ScenarioResult>): CheckOutcome[] =>
  scenarios.flatMap((s) =>
    s.workflows.flatMap((w) => [...w.steps.flatMap((st) => st.outcomes), ...w.outcomes]),
  )

/** Options of `scoreRun`. */
export type ScoreOptions = {
  /** The mandatory checks each profile must see applied (default: the check registry's). */
  requirements?: (profile: string) => ProfileRequirements
  /**
   * Where the services were provided: names the provider in a diagnosis and tells which profiles
   * Sild itself answered. Left out, neither is said.
   */
  providers?: ReadonlyArray<ProviderUse>
}

/**
 * One scorecard per party × profile. The score is the severity-weighted share of passed check
 * applications; the level is the highest whose mandatory checks, and those of every level below,
 * were each applied at least once and all passed. A level whose required checks did not all run
 * is "not tested", never passed; a profile whose provider never answered scores 0 at level 0.
 */
export const scoreRun = (
  scenarios: ReadonlyArray<ScenarioResult>,
  { requirements = requirementsOf, providers }: ScoreOptions = {},
): Scorecard[] => {
  const groups = new Map<string, CheckOutcome[]>()
  for (const outcome of outcomesOf(scenarios)) {
    // Bundled runs drive their clients themselves; a client's conduct is scored from the message
    // log in the consumer role, not from scenario outcomes.
    if (outcome.profile === CONSUMER_PROFILE) continue
    const key = `${outcome.party}\u0000${outcome.profile}`
    const list = groups.get(key)
    if (list) list.push(outcome)
    else groups.set(key, [outcome])
  }
  const diagnoses = diagnose(scenarios, providers ?? [])
  const sandbox = answeredBySild(scenarios, providers)
  return [...groups.entries()]
    .map(([key, outcomes]) => {
      const [party = '', profile = ''] = key.split('\u0000')
      const card = scorecard(party, profile, outcomes, requirements(profile), diagnoses.get(key))
      const sild = sandbox.get(key)
      return sild ? { ...card, answeredBySild: sild } : card
    })
    .sort((a, b) => a.party.localeCompare(b.party) || a.profile.localeCompare(b.profile))
}

const scorecard = (
  party: string,
  profile: string,
  outcomes: CheckOutcome[],
  requirements: ProfileRequirements,
  diagnosis: Diagnosis | undefined,
): Scorecard => {
  const byCheck = new Map<string, ScorecardCheck>()
  const firstFailure = new Map<string, string>()
  let weighted = 0
  let total = 0
  for (const o of outcomes) {
    const entry = byCheck.get(o.check) ?? {
      check: o.check,
      level: o.level,
      severity: o.severity,
      mandatory: o.mandatory,
      passed: 0,
      failed: 0,
    }
    if (o.passed) entry.passed++
    else {
      entry.failed++
      if (!firstFailure.has(o.check)) firstFailure.set(o.check, o.message ?? '')
    }
    byCheck.set(o.check, entry)
    const weight = SEVERITY_WEIGHT[o.severity]
    total += weight
    if (o.passed) weighted += weight
  }
  const checks = [...byCheck.values()].sort(
    (a, b) => a.level - b.level || a.check.localeCompare(b.check),
  )
  const levels = LEVELS.map((l): LevelVerdict => {
    const blocking = checks
      .filter((c) => c.mandatory && c.level === l && c.failed > 0)
      .map((c) => ({ check: c.check, level: c.level, message: firstFailure.get(c.check) ?? '' }))
    const untested = requirements.required
      .filter((r) => r.level === l && !byCheck.has(r.check))
      .map((r) => ({ check: r.check, appliedBy: r.appliedBy }))
    const applied = checks.some((c) => c.mandatory && c.level === l)
    const state =
      blocking.length > 0 ? 'blocked' : untested.length > 0 || !applied ? 'not-tested' : 'passed'
    return { level: l, state, blocking, untested }
  })
  let level: 0 | Level = 0
  for (const verdict of levels) {
    if (verdict.state !== 'passed' || diagnosis?.silent) break
    level = verdict.level
  }
  const next = LEVELS.find((l) => l > level)
  const blocking = next ? levels.filter((v) => v.level <= next).flatMap((v) => v.blocking) : []
  return {
    party,
    profile,
    score: total === 0 || diagnosis?.silent ? 0 : Math.round((weighted / total) * 1000) / 10,
    level,
    checks,
    blocking,
    levels,
    notApplicable: requirements.notApplicable,
    ...(diagnosis ? { diagnosis: diagnosis.message } : {}),
  }
}

/** Counts of scenarios, steps, check applications and failures. */
export const summarize = (scenarios: ReadonlyArray<ScenarioResult>): RunSummary => {
  const zero = (): Record<StepState, number> => ({ pass: 0, fail: 0, skip: 0, error: 0 })
  const summary: RunSummary = {
    scenarios: zero(),
    steps: zero(),
    checks: { passed: 0, failed: 0 },
    failures: 0,
  }
  for (const s of scenarios) {
    summary.scenarios[s.state]++
    for (const w of s.workflows) {
      for (const step of w.steps) {
        summary.steps[step.state]++
        summary.failures += step.failures.length
      }
      summary.failures += w.failures.length
    }
  }
  for (const s of scenarios)
    for (const w of s.workflows)
      for (const o of [...w.steps.flatMap((st) => st.outcomes), ...w.outcomes]) {
        if (o.passed) summary.checks.passed++
        else summary.checks.failed++
      }
  return summary
}
