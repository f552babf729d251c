import { expect, test } from 'vitest'
import type {
  CheckFailure,
  CheckOutcome,
  Exchange,
  LevelVerdict,
  ProviderUse,
  RunReport,
  RunSummary,
  ScenarioResult,
  Scorecard,
  ScorecardCheck,
  StepResult,
  WorkflowResult,
} from '../../runner/types.ts'
import { sampleRunReport } from '../test-fixtures/run-report.ts'
import { SildInputError } from '../../specs/source-file/index.ts'
import { parseRunReport, RUN_REPORT_SCHEMA, validateRunReport } from './index.ts'

type Schema = { properties: Record<string, unknown>; $defs: Record<string, Schema> }
const schema = RUN_REPORT_SCHEMA as Schema
const propertiesOf = (def?: string) =>
  Object.keys((def ? schema.$defs[def] : schema)?.properties ?? {}).sort()

// Each record must name every key of its type (TypeScript enforces that), so a field added to
// runner/types.ts without a schema change fails here.
const KEYS = {
  runReport: {
    schema: 1,
    sild: 1,
    specsDigest: 1,
    seed: 1,
    mode: 1,
    shard: 1,
    complete: 1,
    startedAt: 1,
    durationMs: 1,
    providers: 1,
    scenarios: 1,
    scorecards: 1,
    summary: 1,
  } satisfies Record<keyof RunReport, 1>,
  scenarioResult: {
    id: 1,
    file: 1,
    title: 1,
    description: 1,
    digest: 1,
    state: 1,
    workflows: 1,
    durationMs: 1,
  } satisfies Record<keyof ScenarioResult, 1>,
  workflowResult: {
    workflowId: 1,
    summary: 1,
    profile: 1,
    client: 1,
    state: 1,
    steps: 1,
    outcomes: 1,
    failures: 1,
    outputs: 1,
    message: 1,
  } satisfies Record<keyof WorkflowResult, 1>,
  stepResult: {
    stepId: 1,
    workflowId: 1,
    state: 1,
    description: 1,
    attempts: 1,
    exchange: 1,
    outcomes: 1,
    failures: 1,
    message: 1,
    outputs: 1,
  } satisfies Record<keyof StepResult, 1>,
  exchange: {
    id: 1,
    client: 1,
    service: 1,
    serviceId: 1,
    operationId: 1,
    protocol: 1,
    request: 1,
    response: 1,
    transportError: 1,
    durationMs: 1,
    hops: 1,
    logRefs: 1,
  } satisfies Record<keyof Exchange, 1>,
  checkFailure: {
    check: 1,
    title: 1,
    message: 1,
    severity: 1,
    level: 1,
    scenario: 1,
    workflowId: 1,
    stepId: 1,
    exchangeId: 1,
    operationId: 1,
  } satisfies Record<keyof CheckFailure, 1>,
  checkOutcome: {
    check: 1,
    level: 1,
    severity: 1,
    mandatory: 1,
    passed: 1,
    message: 1,
    party: 1,
    profile: 1,
  } satisfies Record<keyof CheckOutcome, 1>,
  scorecard: {
    party: 1,
    profile: 1,
    score: 1,
    level: 1,
    checks: 1,
    blocking: 1,
    levels: 1,
    notApplicable: 1,
    diagnosis: 1,
    answeredBySild: 1,
  } satisfies Record<keyof Scorecard, 1>,
  scorecardCheck: {
    check: 1,
    level: 1,
    severity: 1,
    mandatory: 1,
    passed: 1,
    failed: 1,
  } satisfies Record<keyof ScorecardCheck, 1>,
  levelVerdict: { level: 1, state: 1, blocking: 1, untested: 1 } satisfies Record<
    keyof LevelVerdict,
    1
  >,
  providerUse: { service: 1, key: 1, party: 1, url: 1, target: 1 } satisfies Record<
    keyof ProviderUse,
    1
  >,
  runSummary: { scenarios: 1, steps: 1, checks: 1, failures: 1 } satisfies Record<
    keyof RunSummary,
    1
  >,
}

test('names exactly the properties of each result type', () => {
  for (const [def, keys] of Object.entries(KEYS)) {
    expect(propertiesOf(def === 'runReport' ? undefined : def), def).toEqual(
      Object.keys(keys).sort(),
    )
  }
})

test('accepts the representative report', () => {
  const result = validateRunReport(sampleRunReport())
  expect(result.ok ? [] : result.problems).toEqual([])
})

test('accepts a shard report round-tripped through JSON', () => {
  const report: RunReport = { ...sampleRunReport(), shard: { index: 2, total: 3 } }
  expect(validateRunReport(JSON.parse(JSON.stringify(report))).ok).toBe(true)
})

test('rejects an unknown property deep in an exchange', () => {
  const report = sampleRunReport() as unknown as {
    scenarios: Array<{ workflows: Array<{ steps: Array<{ exchange: Record<string, unknown> }> }> }>
  }
  const exchange = report.scenarios[0]?.workflows[0]?.steps[0]?.exchange as Record<string, unknown>
  exchange.secretNote = 'x'
  const result = validateRunReport(report)
  expect(result.ok).toBe(false)
  expect(result.ok ? undefined : result.problems[0]).toEqual({
    pointer: '/scenarios/0/workflows/0/steps/0/exchange/secretNote',
    message: 'unknown property "secretNote"',
  })
})

test('rejects a step state outside the four states', () => {
  const report = sampleRunReport()
  ;(report.scenarios[0]?.workflows[0]?.steps[0] as { state: string }).state = 'passed'
  const result = validateRunReport(report)
  expect(result.ok ? undefined : result.problems[0]).toEqual({
    pointer: '/scenarios/0/workflows/0/steps/0/state',
    message: 'must be one of "pass", "fail", "skip", "error"',
  })
})

test('rejects another schema version', () => {
  const result = validateRunReport({ ...sampleRunReport(), schema: 'sild.report/v2' })
  expect(result.ok ? undefined : result.problems).toContainEqual({
    pointer: '/schema',
    message: 'must be "sild.report/v1"',
  })
})

const problemOf = (text: string): { message: string; where?: string } => {
  try {
    parseRunReport(text, 'report.json')
  } catch (error) {
    if (!(error instanceof SildInputError)) throw error
    const at = error.location
    return { message: error.message, ...(at ? { where: `${at.line}:${at.column}` } : {}) }
  }
  throw new Error('parsed')
}

test('parses the text of a report written as JSON', () => {
  const report = sampleRunReport()
  expect(parseRunReport(JSON.stringify(report, null, 2), 'report.json')).toEqual(report)
})

test('points at the line of the first schema problem', () => {
  const text = JSON.stringify({ ...sampleRunReport(), seed: 'one' }, null, 2)
  expect(problemOf(text)).toEqual({
    message: 'not a valid sild.report/v1 report: must be integer at /seed',
    where: `${text.split('\n').findIndex((l) => l.includes('"seed"')) + 1}:3`,
  })
})

test('says a file of another kind is not a report', () => {
  expect(problemOf('{"version": "sild.federation/v1"}').message).toMatch(
    /^not a sild.report\/v1 report: /,
  )
})

test('points at the place where the text stops being JSON', () => {
  expect(problemOf('{\n  "schema": "sild.report/v1",\n  oops\n}').where).toBe('3:3')
})
