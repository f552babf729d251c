// A level means its mandatory checks ran and passed: never a level while one of them has no
// application for that party × profile, or failed.
import fc from 'fast-check'
import { expect, test } from 'vitest'
import { checkByName, checks, type Check } from '../checks/index.ts'
import type { CheckOutcome, ScenarioResult, Scorecard, StepResult } from '../types.ts'
import { scoreRun } from './index.ts'

const PARTIES = ['ee-test', 'md-test'] as const
const PROFILES = [
  'ee-population-register',
  'ua-legal-entities-register',
  'person-register',
] as const

/** One application of a registry check (by name, so counterexamples read well). */
type Applied = { check: string; party: string; profile: string; passed: boolean }

const registry = (name: string): Check => checkByName(name) as Check

const outcome = ({ check: name, party, profile, passed }: Applied): CheckOutcome => {
  const check = registry(name)
  return {
    check: check.name,
    level: check.level,
    severity: check.severity,
    mandatory: check.mandatory,
    passed,
    ...(passed ? {} : { message: `${check.name} failed` }),
    party,
    profile,
  }
}

/** One scenario per party × profile seen, one step per exchange-check outcome. */
const scenarios = (applied: Applied[]): ScenarioResult[] => {
  const groups = new Map<string, Applied[]>()
  for (const a of applied) {
    const key = `${a.party} ${a.profile}`
    groups.set(key, [...(groups.get(key) ?? []), a])
  }
  return [...groups.entries()].map(([key, list], i) => {
    const steps: StepResult[] = list
      .filter((a) => registry(a.check).scope === 'exchange')
      .map((a, j) => ({
        stepId: `step${j}`,
        workflowId: 'wf',
        state: a.passed ? 'pass' : 'fail',
        attempts: 1,
        outcomes: [outcome(a)],
        failures: [],
        outputs: {},
      }))
    const workflowLevel = list.filter((a) => registry(a.check).scope === 'workflow')
    const failed = list.some((a) => !a.passed)
    return {
      id: `scenario-${i}`,
      file: `scenario-${i}.arazzo.yaml`,
      title: key,
      digest: '0'.repeat(64),
      state: failed ? 'fail' : 'pass',
      durationMs: 0,
      workflows: [
        {
          workflowId: 'wf',
          state: failed ? 'fail' : 'pass',
          steps,
          outcomes: workflowLevel.map(outcome),
          failures: [],
          outputs: {},
        },
      ],
    }
  })
}

const NAMES = checks.map((c) => c.name)

const passes = fc.integer({ min: 0, max: 19 }).map((n) => n > 0)

/** Outcomes for a random subset of the registry's checks (often all of them), mostly passing. */
const run = fc
  .array(
    fc.record({
      party: fc.constantFrom(...PARTIES),
      profile: fc.constantFrom(...PROFILES),
      subset: fc.oneof(fc.constant(NAMES), fc.subarray(NAMES, { minLength: 1 })),
      results: fc.array(passes, { minLength: 1, maxLength: 3 }),
    }),
    { minLength: 1, maxLength: 4 },
  )
  .map((cards) =>
    cards.flatMap(({ party, profile, subset, results }) =>
      subset.flatMap((check, i) =>
        results
          .slice(0, 1 + (i % results.length))
          .map((passed) => ({ check, party, profile, passed })),
      ),
    ),
  )

/** The checks the scorecard declares not applicable to its profile, when scoring says so. */
const exempt = (card: Scorecard): Set<string> =>
  new Set(
    ((card as Scorecard & { notApplicable?: Array<{ check: string }> }).notApplicable ?? []).map(
      (n) => n.check,
    ),
  )

/** Each mandatory provider check of a level that `card` may not claim, with why. */
const unearned = (card: Scorecard, applied: Applied[]): string[] => {
  const skip = exempt(card)
  const problems: string[] = []
  for (const check of checks) {
    if (!check.mandatory || check.subject === 'client' || check.level > card.level) continue
    if (skip.has(check.name)) continue
    const mine = applied.filter(
      (a) => a.check === check.name && a.party === card.party && a.profile === card.profile,
    )
    if (mine.length === 0) problems.push(`${check.name} (level ${check.level}) never applied`)
    else if (mine.some((a) => !a.passed))
      problems.push(`${check.name} (level ${check.level}) failed`)
  }
  return problems
}

test('no scorecard reports a level while a mandatory check of that level has no application or failed', () => {
  fc.assert(
    fc.property(run, (applied) => {
      for (const card of scoreRun(scenarios(applied))) {
        expect(
          unearned(card, applied),
          `${card.party} ${card.profile} level ${card.level}`,
        ).toEqual([])
      }
    }),
    { seed: 42, numRuns: 300 },
  )
})

const provider = checks.filter((c) => c.subject !== 'client')
const everyCheck = (passed: (c: Check) => boolean): Applied[] =>
  provider.map((check) => ({
    check: check.name,
    party: 'md-test',
    profile: PROFILES[0],
    passed: passed(check),
  }))
const levelOf = (applied: Applied[]): number | undefined => scoreRun(scenarios(applied))[0]?.level

test('a profile whose every check ran and passed reaches level 4', () => {
  expect(levelOf(everyCheck(() => true))).toBe(4)
})

test.each(provider.filter((c) => c.mandatory).map((c) => [c.name, c.level] as const))(
  'a profile where the mandatory %s never ran stays below level %i',
  (name, level) => {
    const card = scoreRun(scenarios(everyCheck((c) => c.name !== name).filter((a) => a.passed)))[0]
    expect(card !== undefined && (exempt(card).has(name) || card.level < level)).toBe(true)
  },
)
