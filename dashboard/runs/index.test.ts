import { expect, test } from 'vitest'
import { sampleRunReport } from '../../reports/test-fixtures/run-report.ts'
import { loadScenario, type Scenario } from '../../runner/scenario/index.ts'
import type { RunReport, StepResult } from '../../runner/types.ts'
import { loadFederation } from '../../specs/federation/index.ts'
import type { ServerEvent } from '../events/index.ts'
import {
  createRunManager,
  RunBusyError,
  stepView,
  summarizeScenario,
  UnknownScenarioError,
  type RunEvent,
  type ScenarioRunner,
} from './index.ts'

const federation = loadFederation()
const scenario = (name: string) => loadScenario(`scenarios/${name}.arazzo.yaml`, { federation })

const fake = (file: string): Scenario =>
  ({ file: `/x/${file}.arazzo.yaml`, title: file, workflows: [] }) as unknown as Scenario

const step = (overrides: Partial<StepResult> = {}): StepResult => ({
  stepId: 'lookup',
  workflowId: 'w',
  state: 'pass',
  attempts: 1,
  outcomes: [],
  failures: [],
  outputs: {},
  ...overrides,
})

/** A runner that reports one step per scenario and the sample report, scores set by the test. */
const fakeRunner = (score: { value: number }): ScenarioRunner =>
  async function fakeRun({ scenarios, listener }) {
    listener.onRunStart?.({
      scenarios: scenarios.map((s) => ({ id: s.title, title: s.title })),
      seed: 1,
      mode: 'inproc',
    })
    for (const s of scenarios) {
      listener.onScenarioStart?.({ id: s.title, title: s.title })
      listener.onStepResult?.({ id: s.title }, { workflowId: 'w' }, step())
    }
    const report: RunReport = sampleRunReport()
    report.scorecards = report.scorecards.map((card) => ({ ...card, score: score.value }))
    await listener.onRunEnd?.(report, 'completed')
    return report
  }

const manager = (score = { value: 50 }) => {
  const events: ServerEvent[] = []
  const runs = createRunManager({
    loadScenarios: async () => [fake('alpha'), fake('beta')],
    run: fakeRunner(score),
    publish: (event) => events.push(event),
    formats: ['json', 'html'],
    now: () => new Date('2026-01-01T00:00:00Z'),
  })
  return { runs, events, types: () => events.map((e) => (e.data as RunEvent).type) }
}

test('tells a cross-border story from one that stays home, and marks the refusals', async () => {
  const bank = summarizeScenario(await scenario('estonian-bank-checks-ukrainian-counterparty'))
  expect(bank).toMatchObject({ crossBorder: true, negative: false })
  expect(bank.instances.sort()).toEqual(['SEVDEIR-TEST', 'ee-test'])
  const refusals = summarizeScenario(await scenario('no-access-right'))
  expect(refusals.negative).toBe(true)
})

test('streams a run from start to end, and keeps its events for a late page', async () => {
  const { runs, types } = manager()
  const view = await runs.start(['beta'])
  await runs.settled()
  expect(types()).toEqual(['start', 'scenario-start', 'step', 'end'])
  expect(runs.get(view.id)?.status).toBe('done')
  expect(runs.get(view.id)?.events).toHaveLength(4)
  expect(runs.report(view.id)?.schema).toBe('sild.report/v1')
})

test('runs every scenario when none is named', async () => {
  const { runs } = manager()
  const view = await runs.start([])
  expect(view.scenarios).toEqual(['alpha', 'beta'])
})

test('refuses a second run while one is going', async () => {
  const { runs } = manager()
  const first = runs.start(['alpha'])
  await expect(runs.start(['beta'])).rejects.toBeInstanceOf(RunBusyError)
  await first
  await runs.settled()
})

test('names the known scenarios when asked for an unknown one', async () => {
  const { runs } = manager()
  await expect(runs.start(['gamma'])).rejects.toThrow(
    new UnknownScenarioError('no scenario gamma; known: alpha, beta'),
  )
})

test('gives each scorecard the score it had in the run before', async () => {
  const score = { value: 50 }
  const { runs, events } = manager(score)
  await runs.start([])
  await runs.settled()
  score.value = 75
  await runs.start([])
  await runs.settled()
  const ends = events.map((e) => e.data as RunEvent).filter((e) => e.type === 'end')
  const [first, second] = ends.map((e) => (e.type === 'end' ? e.scorecards[0] : undefined))
  expect(first?.previousScore).toBeUndefined()
  expect(second).toMatchObject({ score: 75, previousScore: 50 })
})

test('reports a runner that throws as an error event', async () => {
  const events: ServerEvent[] = []
  const runs = createRunManager({
    loadScenarios: async () => [fake('alpha')],
    run: async () => {
      throw new Error('sandbox closed')
    },
    publish: (event) => events.push(event),
    formats: [],
  })
  const view = await runs.start([])
  await runs.settled()
  expect(runs.get(view.id)?.status).toBe('error')
  expect(events.at(-1)?.data).toEqual({ type: 'error', runId: view.id, message: 'sandbox closed' })
})

test('puts a refusal at the provider when its security server logged the message', () => {
  const exchange = {
    id: 'x',
    client: 'FI-TEST/GOV/1234567-1/client',
    service: 'SEVDEIR-TEST/GOV/37508470/EDDR/DemographicRegister_v1',
    serviceId: 'ua-demographic-register',
    operationId: 'getPerson',
    protocol: 'xroad-rest' as const,
    request: { method: 'GET', url: 'http://fi-test.ss.sild.test/r1/x?y=1', headers: {} },
    response: { status: 500, headers: { 'x-road-error': 'Server.ServerProxy.AccessDenied' } },
    durationMs: 2.345,
    hops: [],
    logRefs: ['FI-TEST#2', 'SEVDEIR-TEST#1'],
  }
  expect(stepView(step({ exchange }))).toMatchObject({
    path: '/r1/x?y=1',
    error: 'Server.ServerProxy.AccessDenied',
    refusedAt: 'SEVDEIR-TEST',
    crossBorder: true,
    durationMs: 2.3,
  })
  const atHome = stepView(step({ exchange: { ...exchange, logRefs: ['FI-TEST#2'] } }))
  expect(atHome.refusedAt).toBe('FI-TEST')
})

test('counts as running from the moment a run starts loading its scenarios', async () => {
  let loaded = () => {}
  const gate = new Promise<void>((resolve) => (loaded = resolve))
  const runs = createRunManager({
    loadScenarios: async () => {
      await gate
      return [fake('alpha')]
    },
    run: fakeRunner({ value: 50 }),
    publish: () => {},
    formats: ['json'],
  })
  expect(runs.running()).toBe(false)
  const started = runs.start([])
  expect(runs.running()).toBe(true)
  await expect(runs.start([])).rejects.toBeInstanceOf(RunBusyError)
  loaded()
  await started
  await runs.settled()
  expect(runs.running()).toBe(false)
})
