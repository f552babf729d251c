import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { retryDelayMs } from '../runner/execute/workflow.ts'
import type { RunReport } from '../runner/types.ts'
import { sild, type Outcome } from './helpers/cli.ts'

// Standard-only Arazzo files (no x-sild extension anywhere) and the outcome each must produce.
const CORPUS = 'test/fixtures/standard-arazzo'
const dir = mkdtempSync(join(tmpdir(), 'sild-standard-arazzo-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

type StepOutcome = [stepId: string, state: string, attempts: number]
const steps = (report: RunReport, workflowId: string): StepOutcome[] => {
  const workflow = report.scenarios
    .flatMap((s) => s.workflows)
    .find((w) => w.workflowId === workflowId)
  if (!workflow) throw new Error(`workflow ${workflowId} did not run`)
  return workflow.steps.map((s) => [s.stepId, s.state, s.attempts ?? 1])
}
const stateOf = (report: RunReport, workflowId: string) =>
  report.scenarios.flatMap((s) => s.workflows).find((w) => w.workflowId === workflowId)?.state

let run: Outcome
let report: RunReport
beforeAll(async () => {
  const out = join(dir, 'corpus.json')
  run = await sild(
    'run',
    CORPUS,
    '--input',
    'givenPersonalCode=48001013546',
    '--report',
    `json=${out}`,
  )
  report = JSON.parse(readFileSync(out, 'utf8')) as RunReport
}, 60_000)

test('the corpus uses no Sild extension', () => {
  const files = readdirSync(CORPUS, { recursive: true, encoding: 'utf8' }).filter((f) =>
    f.endsWith('.arazzo.yaml'),
  )
  expect(files.length).toBeGreaterThanOrEqual(7)
  for (const file of files) expect(readFileSync(join(CORPUS, file), 'utf8')).not.toMatch(/x-sild/)
})

test('names the caller by an X-Road-Client header parameter at step level', () => {
  expect(run.stderr).toBe('')
  expect(stateOf(report, 'stepLevelClient')).toBe('pass')
})

test('applies a workflow-level client header parameter to every step', () => {
  expect(steps(report, 'workflowLevelClient')).toEqual([
    ['readPersonOnce', 'pass', 1],
    ['readResidence', 'pass', 1],
  ])
})

test('calls across the border with Uxp-Client and Uxp-Service header parameters', () => {
  expect(stateOf(report, 'trembitaCallerTemplatedPayload')).toBe('pass')
})

test('sends a JSON-templated string payload as JSON, with its replacements applied', () => {
  const step = report.scenarios
    .flatMap((s) => s.workflows)
    .flatMap((w) => w.steps)
    .find((s) => s.stepId === 'issueCertificate')
  expect(step?.exchange?.request.body).toEqual({
    personalCode: '38302284976',
    year: 2025,
    country: 'UA',
  })
})

test('sends a malformed client header as written and scores it against the caller', () => {
  const [step] = report.scenarios
    .flatMap((s) => s.workflows)
    .find((w) => w.workflowId === 'malformedClientHeader')!.steps
  expect(step?.exchange?.response?.status).toBe(500)
  expect(step?.failures.map((f) => f.check)).toEqual(['clientHeaderWellFormed'])
})

test('runs a workflow-level success action: end after the first step', () => {
  expect(steps(report, 'workflowSuccessActionEnds')).toEqual([['readFirst', 'pass', 1]])
  expect(stateOf(report, 'workflowSuccessActionEnds')).toBe('pass')
})

test('runs a workflow-level failure action: goto the recovery step', () => {
  expect(steps(report, 'workflowFailureActionGoes')).toEqual([
    ['expectOtherName', 'fail', 1],
    ['recover', 'pass', 1],
  ])
})

test('runs the next failure action once a retry without retryAfter has run out its limit', () => {
  expect(steps(report, 'retryThenNextAction')).toEqual([
    ['expectTeapot', 'fail', 3],
    ['recoverAfterRetries', 'pass', 1],
  ])
})

test('takes $components.parameters and $sourceDescriptions urls as values, and a criterion type object', () => {
  expect(steps(report, 'componentValues')).toEqual([
    ['byReference', 'pass', 1],
    ['byValue', 'pass', 1],
  ])
})

test('runs a workflow whose input has no default with --input', () => {
  expect(stateOf(report, 'readGivenPerson')).toBe('pass')
})

test('says how to give an input without a default that got no value', async () => {
  const out = join(dir, 'no-input.json')
  const result = await sild(
    'run',
    `${CORPUS}/inputs-without-default.arazzo.yaml`,
    '--report',
    `json=${out}`,
  )
  expect(result.code).toBe(1)
  const missing = JSON.parse(readFileSync(out, 'utf8')) as RunReport
  const [step] = missing.scenarios[0]!.workflows[0]!.steps
  expect(step?.message).toMatch(
    'input givenPersonalCode has no default: pass --input givenPersonalCode=…',
  )
})

test('takes input values from --inputs, a YAML file', async () => {
  const inputs = join(dir, 'inputs.yaml')
  writeFileSync(inputs, "givenPersonalCode: '48001013546'\n")
  const result = await sild(
    'run',
    `${CORPUS}/inputs-without-default.arazzo.yaml`,
    '--inputs',
    inputs,
  )
  expect(result.code).toBe(0)
})

test('refuses an input that no workflow declares', async () => {
  const result = await sild(
    'run',
    `${CORPUS}/inputs-without-default.arazzo.yaml`,
    '--input',
    'givenPersonalCod=48001013546',
  )
  expect(result.code).toBe(2)
  expect(result.stderr).toMatch(
    'input "givenPersonalCod" is declared by no workflow of the scenarios run',
  )
})

test('reports one invalid file in a folder at its location and still runs the others', async () => {
  const out = join(dir, 'mixed.json')
  const result = await sild('run', `${CORPUS}/mixed`, '--report', `json=${out}`)
  expect(result.code).toBe(2)
  expect(result.stderr).toMatch(
    /unknown-operation\.arazzo\.yaml:15:22: unknown operationId "getPersn" in source population \(did you mean "getPerson"\?\)/,
  )
  const mixed = JSON.parse(readFileSync(out, 'utf8')) as RunReport
  expect(mixed.scenarios.map((s) => [s.id, s.state])).toEqual([['good', 'pass']])
})

test('waits the longer of retryAfter and Retry-After, within the cap', () => {
  expect(retryDelayMs({ retryAfter: 0.5 }, undefined, 5_000)).toBe(500)
  expect(retryDelayMs({}, { 'retry-after': '2' }, 5_000)).toBe(2_000)
  expect(retryDelayMs({ retryAfter: 3 }, { 'Retry-After': '1' }, 5_000)).toBe(3_000)
  expect(retryDelayMs({ retryAfter: 60 }, undefined, 5_000)).toBe(5_000)
  const now = () => Date.parse('Mon, 07 Dec 2026 20:00:00 GMT')
  expect(retryDelayMs({}, { 'retry-after': 'Mon, 07 Dec 2026 20:00:04 GMT' }, 5_000, now)).toBe(
    4_000,
  )
})

test('the example of scenarios/README.md runs green as written', async () => {
  const readme = readFileSync('scenarios/README.md', 'utf8')
  const example = /```yaml\n([\s\S]*?)```/.exec(readme)?.[1]
  expect(example).toMatch(/^arazzo: 1\.0\.1/)
  // Its source url is relative to a scenario folder beside specs/, as scenarios/ is.
  const folder = mkdtempSync(join(process.cwd(), '.readme-example-'))
  try {
    const file = join(folder, 'example.arazzo.yaml')
    writeFileSync(file, example!)
    const result = await sild('run', file)
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
})
