import type { RunEndReason, RunnerListener } from '../../runner/events.ts'
import { scenarioId } from '../../runner/run.ts'
import type { Scenario, Translations } from '../../runner/scenario/index.ts'
import type {
  CheckFailure,
  RunReport,
  RunSummary,
  Scorecard,
  StepResult,
  StepState,
} from '../../runner/types.ts'
import type { ServerEvent } from '../events/index.ts'
import { levelChange, type LevelMemory } from '../../reports/levels.ts'

/** A bundled scenario as the page lists it, with its story. */
export type ScenarioSummary = {
  id: string
  title: string
  description?: string
  /** `title` and `description` in other languages (`x-sild-i18n` of `info`). */
  i18n?: Translations
  workflows: Array<{
    workflowId: string
    summary?: string
    description?: string
    /** `summary` and `description` in other languages. */
    i18n?: Translations
    client?: string
    profile?: string
    steps: number
  }>
  steps: number
  /**
   * Each step's description, by `workflowId/stepId`, with its translations: what a step of a run
   * says it does, in the page's language.
   */
  stepTexts: Record<string, { description: string; i18n?: Translations }>
  /** Instances whose services or clients the scenario involves. */
  instances: string[]
  /** Some step's client and service belong to different instances. */
  crossBorder: boolean
  /** Some step expects a security server to refuse it. */
  negative: boolean
}

/** One finished step, small enough to stream to every page. */
export type StepView = {
  stepId: string
  workflowId: string
  state: StepState
  description?: string
  attempts: number
  message?: string
  operationId?: string
  client?: string
  service?: string
  serviceId?: string
  method?: string
  path?: string
  status?: number
  /** The X-Road or UXP fault code the response carried. */
  error?: string
  /** The instance whose security server refused the message, when one did. */
  refusedAt?: string
  durationMs?: number
  crossBorder: boolean
  /** Sent straight to a service reached over HTTPS, through no security server. */
  direct?: true
  logRefs: string[]
  failures: FailureView[]
}

export type FailureView = Pick<
  CheckFailure,
  'check' | 'title' | 'message' | 'severity' | 'level' | 'scenario' | 'workflowId' | 'stepId'
>

/**
 * A scorecard and the score the same party and profile had in the run before; for each check this
 * run left untested, the scenarios that applied it to the same party and profile in earlier runs.
 */
export type ScorecardView = Scorecard & {
  previousScore?: number
  previousLevel?: number
  testedBy?: Record<string, string[]>
}

export type RunEvent =
  | { type: 'start'; runId: number; scenarios: Array<{ id: string; title: string }> }
  | { type: 'scenario-start'; runId: number; scenario: string }
  | { type: 'step'; runId: number; scenario: string; step: StepView }
  | {
      type: 'scenario-end'
      runId: number
      scenario: string
      state: StepState
      durationMs: number
    }
  | {
      type: 'end'
      runId: number
      reason: RunEndReason
      complete: boolean
      durationMs: number
      summary: RunSummary
      scorecards: ScorecardView[]
      failures: FailureView[]
      formats: string[]
    }
  | { type: 'error'; runId: number; message: string }

export type RunView = {
  id: number
  status: 'running' | 'done' | 'error'
  scenarios: string[]
  startedAt: string
  /** Every event of the run so far, so a page opened mid-run can catch up. */
  events: RunEvent[]
}

/** Runs scenarios on the serving sandbox; the dashboard does not know how, `cli/` does. */
export type ScenarioRunner = (run: {
  scenarios: Scenario[]
  listener: RunnerListener
  interrupted: Promise<void>
}) => Promise<RunReport>

export type RunManagerOptions = {
  loadScenarios: () => Promise<Scenario[]>
  run: ScenarioRunner
  publish: (event: ServerEvent) => void
  /** Report formats a finished run can be downloaded in. */
  formats: string[]
  now?: () => Date
  /** Finished runs kept for download. */
  keep?: number
}

export class RunBusyError extends Error {}
export class UnknownScenarioError extends Error {}

export type RunManager = {
  scenarios(): Promise<ScenarioSummary[]>
  /** Starts a run of the scenarios with these ids (all when empty); one run at a time. */
  start(ids: string[]): Promise<RunView>
  get(id: number): RunView | undefined
  latest(): RunView | undefined
  report(id: number): RunReport | undefined
  /** Whether a run is in progress. */
  running(): boolean
  /** Resolves when the run ends (for tests and shutdown). */
  settled(): Promise<void>
  /** Interrupts a running run and waits for it. */
  close(): Promise<void>
}

const instanceOf = (key: string | undefined) => key?.split('/')[0]

export const summarizeScenario = (scenario: Scenario): ScenarioSummary => {
  const instances = new Set<string>()
  let crossBorder = false
  let negative = false
  let steps = 0
  const stepTexts: ScenarioSummary['stepTexts'] = {}
  const workflows = scenario.workflows.map((w) => {
    for (const step of w.steps) {
      steps++
      if (step.description) {
        stepTexts[`${w.workflowId}/${step.stepId}`] = {
          description: step.description.trim(),
          ...(step.translations ? { i18n: step.translations } : {}),
        }
      }
      if (step.expect) negative = true
      if (step.target.kind !== 'operation') continue
      const client = instanceOf(step.client ?? w.client)
      const provider = step.target.service.instance
      if (client) instances.add(client)
      instances.add(provider)
      if (client && client.toLowerCase() !== provider.toLowerCase()) crossBorder = true
    }
    return {
      workflowId: w.workflowId,
      ...(w.summary ? { summary: w.summary } : {}),
      ...(w.description ? { description: w.description.trim() } : {}),
      ...(w.translations ? { i18n: w.translations } : {}),
      ...(w.client ? { client: w.client } : {}),
      ...(w.profile ? { profile: w.profile } : {}),
      steps: w.steps.length,
    }
  })
  return {
    id: scenarioId(scenario),
    title: scenario.title,
    ...(scenario.description ? { description: scenario.description.trim() } : {}),
    ...(scenario.translations ? { i18n: scenario.translations } : {}),
    workflows,
    steps,
    stepTexts,
    instances: [...instances],
    crossBorder,
    negative,
  }
}

const failureView = (f: CheckFailure): FailureView => ({
  check: f.check,
  title: f.title,
  message: f.message,
  severity: f.severity,
  level: f.level,
  scenario: f.scenario,
  workflowId: f.workflowId,
  ...(f.stepId ? { stepId: f.stepId } : {}),
})

const pathOf = (url: string): string => {
  try {
    const parsed = new URL(url)
    return `${parsed.pathname}${parsed.search}`
  } catch {
    return url
  }
}

export const stepView = (step: Readonly<StepResult>): StepView => {
  const ex = step.exchange
  const headers = ex?.response?.headers ?? {}
  const error = headers['x-road-error'] ?? headers['uxp-error']
  const clientInstance = instanceOf(ex?.client)
  const serviceInstance = instanceOf(ex?.service)
  const view: StepView = {
    stepId: step.stepId,
    workflowId: step.workflowId,
    state: step.state,
    attempts: step.attempts,
    crossBorder:
      !!clientInstance &&
      !!serviceInstance &&
      clientInstance.toLowerCase() !== serviceInstance.toLowerCase(),
    logRefs: ex?.logRefs ?? [],
    failures: step.failures.map(failureView),
  }
  if (step.description) view.description = step.description
  if (step.message) view.message = step.message
  if (ex?.protocol === 'https') view.direct = true
  if (ex) {
    Object.assign(view, {
      operationId: ex.operationId,
      client: ex.client,
      service: ex.service,
      serviceId: ex.serviceId,
      method: ex.request.method,
      path: pathOf(ex.request.url),
      durationMs: Math.round(ex.durationMs * 10) / 10,
    })
    if (ex.response) view.status = ex.response.status
    if (error) {
      view.error = error
      // The provider's security server logged the message only if it got that far.
      const reached = ex.logRefs.some(
        (ref) => ref.split('#')[0]?.toLowerCase() === serviceInstance?.toLowerCase(),
      )
      const at = reached ? serviceInstance : clientInstance
      if (at) view.refusedAt = at
    }
    if (ex.transportError) view.message = ex.transportError
  }
  return view
}

const scoreKey = (card: Pick<Scorecard, 'party' | 'profile'>) =>
  `${card.party}\u0000${card.profile}`

/** Keeps the runs started from the page: one at a time, each event also kept for late pages. */
export const createRunManager = ({
  loadScenarios,
  run,
  publish,
  formats,
  now = () => new Date(),
  keep = 10,
}: RunManagerOptions): RunManager => {
  let loaded: Promise<Scenario[]> | undefined
  const load = () => {
    loaded ??= loadScenarios().catch((error) => {
      loaded = undefined
      throw error
    })
    return loaded
  }
  const runs = new Map<number, RunView & { report?: RunReport }>()
  const lastScores = new Map<string, LevelMemory & { score: number }>()
  // party + profile + check → the scenarios whose runs applied it: what would test it again.
  const appliedIn = new Map<string, Set<string>>()
  const remember = (report: RunReport) => {
    for (const scenario of report.scenarios)
      for (const workflow of scenario.workflows)
        for (const outcome of [
          ...workflow.steps.flatMap((st) => st.outcomes),
          ...workflow.outcomes,
        ]) {
          const key = `${scoreKey(outcome)}\n${outcome.check}`
          if (!appliedIn.has(key)) appliedIn.set(key, new Set())
          appliedIn.get(key)?.add(scenario.id)
        }
  }
  const testedBy = (card: Scorecard): Record<string, string[]> => {
    const found: Record<string, string[]> = {}
    for (const { untested } of card.levels)
      for (const { check } of untested) {
        const ids = appliedIn.get(`${scoreKey(card)}\n${check}`)
        if (ids?.size) found[check] = [...ids].sort()
      }
    return found
  }
  let nextId = 1
  let current: Promise<void> | undefined
  let starting = false
  let interrupt: (() => void) | undefined

  const emit = (view: RunView, event: RunEvent) => {
    view.events.push(event)
    publish({ event: 'run', data: event })
  }

  const execute = async (view: RunView & { report?: RunReport }, scenarios: Scenario[]) => {
    const runId = view.id
    const interrupted = new Promise<void>((resolve) => (interrupt = resolve))
    const listener: RunnerListener = {
      onRunStart: (start) => emit(view, { type: 'start', runId, scenarios: [...start.scenarios] }),
      onScenarioStart: (s) => emit(view, { type: 'scenario-start', runId, scenario: s.id }),
      onStepResult: (s, _w, step) =>
        emit(view, { type: 'step', runId, scenario: s.id, step: stepView(step) }),
      onScenarioEnd: (s) =>
        emit(view, {
          type: 'scenario-end',
          runId,
          scenario: s.id,
          state: s.state,
          durationMs: s.durationMs,
        }),
      onRunEnd: (report, reason) => {
        remember(report)
        const scorecards = report.scorecards.map((card): ScorecardView => {
          const before = lastScores.get(scoreKey(card))
          const tested = testedBy(card)
          const hint = Object.keys(tested).length ? { testedBy: tested } : {}
          if (!before) return { ...card, ...hint }
          // A level this run did not test is no drop (nor one the last run did not test a rise).
          const change = levelChange(before, card)
          return {
            ...card,
            ...hint,
            previousScore: before.score,
            ...(change ? { previousLevel: before.level } : {}),
          }
        })
        if (report.complete) {
          for (const card of report.scorecards)
            lastScores.set(scoreKey(card), {
              score: card.score,
              level: card.level,
              levels: card.levels.map(({ level, state }) => ({ level, state })),
            })
        }
        const failures = report.scenarios.flatMap((s) =>
          s.workflows.flatMap((w) => [
            ...w.steps.flatMap((st) => st.failures.map(failureView)),
            ...w.failures.map(failureView),
          ]),
        )
        emit(view, {
          type: 'end',
          runId,
          reason,
          complete: report.complete,
          durationMs: report.durationMs,
          summary: report.summary,
          scorecards,
          failures,
          formats,
        })
      },
    }
    try {
      view.report = await run({ scenarios, listener, interrupted })
      view.status = 'done'
    } catch (error) {
      view.status = 'error'
      emit(view, { type: 'error', runId, message: (error as Error).message })
    } finally {
      interrupt = undefined
    }
  }

  const begin = async (ids: string[]): Promise<RunView> => {
    const all = await load()
    const byId = new Map(all.map((s) => [scenarioId(s), s]))
    const unknown = ids.filter((id) => !byId.has(id))
    if (unknown.length) {
      throw new UnknownScenarioError(
        `no scenario ${unknown.join(', ')}; known: ${[...byId.keys()].join(', ')}`,
      )
    }
    const chosen = ids.length ? ids.map((id) => byId.get(id) as Scenario) : all
    const view: RunView & { report?: RunReport } = {
      id: nextId++,
      status: 'running',
      scenarios: chosen.map(scenarioId),
      startedAt: now().toISOString(),
      events: [],
    }
    runs.set(view.id, view)
    for (const id of [...runs.keys()].slice(0, Math.max(0, runs.size - keep))) runs.delete(id)
    current = execute(view, chosen).finally(() => (current = undefined))
    return view
  }

  return {
    scenarios: async () => (await load()).map(summarizeScenario),
    async start(ids) {
      if (current || starting) throw new RunBusyError('a run is in progress; wait for it to finish')
      // Busy from here on: the first start loads the scenarios, and a call meanwhile would
      // change the world the run is about to read.
      starting = true
      try {
        return await begin(ids)
      } finally {
        starting = false
      }
    },
    get: (id) => runs.get(id),

    latest: () => [...runs.values()].at(-1),
    report: (id) => runs.get(id)?.report,
    running: () => current !== undefined || starting,
    settled: async () => {
      await current
    },
    async close() {
      interrupt?.()
      await current
    },
  }
}
