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
import { answeredByTally } from './answered-by.ts'
import { diagnosisTally, type Diagnosis } from './diagnosis.ts'
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
  options: ScoreOptions = {},
): Scorecard[] => {
  const tally = scoreTally()
  for (const scenario of scenarios) tally.add(scenario)
  return tally.scorecards(options)
}

/** Where one party × profile stands so far: per check counts and its first failure message. */
type CardTally = {
  byCheck: Map<string, ScorecardCheck>
  firstFailure: Map<string, string>
  weighted: number
  total: number
}

/**
 * `scoreRun` one scenario at a time, keeping counts only, so a run of any size scores in little
 * memory. Scenarios must be added in run order: a check's first failure message is the first met.
 */
export const scoreTally = () => {
  const cards = new Map<string, CardTally>()
  const diagnosis = diagnosisTally()
  const answered = answeredByTally()
  const count = (outcome: CheckOutcome) => {
    // Bundled runs drive their clients themselves; a client's conduct is scored from the message
    // log in the consumer role, not from scenario outcomes.
    if (outcome.profile === CONSUMER_PROFILE) return
    const key = `${outcome.party}\u0000${outcome.profile}`
    let card = cards.get(key)
    if (!card) {
      card = { byCheck: new Map(), firstFailure: new Map(), weighted: 0, total: 0 }
      cards.set(key, card)
    }
    const entry = card.byCheck.get(outcome.check) ?? {
      check: outcome.check,
      level: outcome.level,
      severity: outcome.severity,
      mandatory: outcome.mandatory,
      passed: 0,
      failed: 0,
    }
    if (outcome.passed) entry.passed++
    else {
      entry.failed++
      if (!card.firstFailure.has(outcome.check))
        card.firstFailure.set(outcome.check, outcome.message ?? '')
    }
    card.byCheck.set(outcome.check, entry)
    const weight = SEVERITY_WEIGHT[outcome.severity]
    card.total += weight
    if (outcome.passed) card.weighted += weight
  }
  return {
    add(scenario: ScenarioResult) {
      for (const w of scenario.workflows) {
        for (const step of w.steps) for (const outcome of step.outcomes) count(outcome)
        for (const outcome of w.outcomes) count(outcome)
      }
      diagnosis.add(scenario)
      answered.add(scenario)
    },
    scorecards({ requirements = requirementsOf, providers }: ScoreOptions = {}): Scorecard[] {
      const diagnoses = diagnosis.diagnoses(providers ?? [])
      const sandbox = answered.answered(providers)
      return [...cards.entries()]
        .map(([key, card]) => {
          const [party = '', profile = ''] = key.split('\u0000')
          const scored = scorecard(party, profile, card, requirements(profile), diagnoses.get(key))
          const sild = sandbox.get(key)
          return sild ? { ...scored, answeredBySild: sild } : scored
        })
        .sort((a, b) => a.party.localeCompare(b.party) || a.profile.localeCompare(b.profile))
    },
  }
}

const scorecard = (
  party: string,
  profile: string,
  { byCheck, firstFailure, weighted, total }: CardTally,
  requirements: ProfileRequirements,
  diagnosis: Diagnosis | undefined,
): Scorecard => {
  const checks = [...byCheck.values()]
    .map((c) => ({ ...c }))
    .sort((a, b) => a.level - b.level || a.check.localeCompare(b.check))
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
  const tally = summaryTally()
  for (const scenario of scenarios) tally.add(scenario)
  return tally.summary()
}

/** `summarize` one scenario at a time. */
export const summaryTally = () => {
  const zero = (): Record<StepState, number> => ({ pass: 0, fail: 0, skip: 0, error: 0 })
  const summary: RunSummary = {
    scenarios: zero(),
    steps: zero(),
    checks: { passed: 0, failed: 0 },
    failures: 0,
  }
  return {
    add(s: ScenarioResult) {
      summary.scenarios[s.state]++
      for (const w of s.workflows) {
        for (const step of w.steps) {
          summary.steps[step.state]++
          summary.failures += step.failures.length
          for (const o of step.outcomes) summary.checks[o.passed ? 'passed' : 'failed']++
        }
        summary.failures += w.failures.length
        for (const o of w.outcomes) summary.checks[o.passed ? 'passed' : 'failed']++
      }
    },
    summary: (): RunSummary => structuredClone(summary),
  }
}
