import {
  SEVERITY_WEIGHT,
  type RunSummary,
  type StepState,
  type CheckOutcome,
  type Level,
  type ScenarioResult,
  type Scorecard,
  type ScorecardCheck,
} from '../types.ts'

const LEVELS: Level[] = [1, 2, 3, 4]

/** The profile under which checks about the calling client are recorded. */
export const CONSUMER_PROFILE = 'consumer'

/** Every check outcome of a run: steps' and workflows'. */
export const outcomesOf = (scenarios: ReadonlyArray<ScenarioResult>): CheckOutcome[] =>
  scenarios.flatMap((s) =>
    s.workflows.flatMap((w) => [...w.steps.flatMap((st) => st.outcomes), ...w.outcomes]),
  )

/**
 * One scorecard per party × profile. The score is the severity-weighted share of passed check
 * applications; the level is the highest whose mandatory checks, and those of every level below,
 * were applied at least once and all passed (a level nothing tested is not reached).
 */
export const scoreRun = (scenarios: ReadonlyArray<ScenarioResult>): Scorecard[] => {
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
  return [...groups.entries()]
    .map(([key, outcomes]) => {
      const [party = '', profile = ''] = key.split('\u0000')
      return scorecard(party, profile, outcomes)
    })
    .sort((a, b) => a.party.localeCompare(b.party) || a.profile.localeCompare(b.profile))
}

const scorecard = (party: string, profile: string, outcomes: CheckOutcome[]): Scorecard => {
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
  let level: 0 | Level = 0
  for (const l of LEVELS) {
    const mandatory = checks.filter((c) => c.mandatory && c.level === l)
    if (mandatory.length === 0 || mandatory.some((c) => c.failed > 0)) break
    level = l
  }
  const next = LEVELS.find((l) => l > level)
  const blocking = next
    ? checks
        .filter((c) => c.mandatory && c.level <= next && c.failed > 0)
        .map((c) => ({ check: c.check, level: c.level, message: firstFailure.get(c.check) ?? '' }))
    : []
  return {
    party,
    profile,
    score: total === 0 ? 0 : Math.round((weighted / total) * 1000) / 10,
    level,
    checks,
    blocking,
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
