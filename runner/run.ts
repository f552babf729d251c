import { basename } from 'node:path'
import type { Federation } from '../specs/federation/index.ts'
import type { RunEndReason, RunnerListener } from './events.ts'
import { runWorkflow, scenarioSecrets, type ScenarioRun } from './execute/workflow.ts'

export { scenarioSecrets }
import type { Scenario, Workflow } from './scenario/types.ts'
import { outlineOf } from './outline.ts'
import { scoreTally, summaryTally } from './scoring/index.ts'
import type { Environment } from './transport.ts'
import type {
  ProviderUse,
  RunOutline,
  RunReport,
  ScenarioOutline,
  ScenarioResult,
  StepState,
} from './types.ts'

export type RunOptions = {
  scenarios: Scenario[]
  federation: Federation
  env: Environment
  listener?: RunnerListener
  concurrency?: number
  seed?: number
  /** 1-based shard of a deterministic split. */
  shard?: { index: number; total: number }
  grep?: RegExp
  timeoutMs?: number
  maxRetryDelayMs?: number
  version: string
  specsDigest: string
  /** The services whose provider `--target` replaced, by id: the report says so of each. */
  targets?: ReadonlyArray<string>
  /** Resolves when the run should stop early (SIGINT): the report then says it is incomplete. */
  interrupted?: Promise<void>
}

/** `population-lookup.arazzo.yaml` → `population-lookup`. */
export const scenarioId = (scenario: Scenario): string =>
  basename(scenario.file)
    .replace(/\.arazzo\.(ya?ml|json)$/i, '')
    .replace(/\.(ya?ml|json)$/i, '')

/** The scenarios of shard i of n: sorted by id, every n-th from i. */
export const selectShard = <T extends Scenario>(
  scenarios: T[],
  shard?: { index: number; total: number },
): T[] => {
  const sorted = [...scenarios].sort((a, b) => scenarioId(a).localeCompare(scenarioId(b)))
  return shard ? sorted.filter((_, i) => i % shard.total === shard.index - 1) : sorted
}

/** Runs scenarios on isolated sandbox sessions, reporting through the listener, and scores them. */
export const runScenarios = async (opts: RunOptions): Promise<RunReport> => {
  const scenarios: ScenarioResult[] = []
  const listener = opts.listener ?? {}
  return run(
    [...opts.scenarios],
    opts,
    (result) => void scenarios.push(result),
    async (outline, reason) => {
      const { scenarios: _outlines, scorecards, summary, ...head } = outline
      const report: RunReport = { ...head, scenarios, scorecards, summary }
      await listener.onRunEnd?.(report, reason)
      return report
    },
  )
}

export type StreamOptions = Omit<RunOptions, 'listener'> & {
  /**
   * Taken, not lent: the array is emptied and each scenario let go once it has run, so that a
   * large suite need not stay in memory to the end.
   */
  scenarios: Scenario[]
  listener?: RunnerListener<RunOutline>
  /**
   * Each scenario's whole result, in run order, as soon as it and every one before it are done;
   * the run waits for it before handing on the next.
   */
  onResult: (result: ScenarioResult) => void | Promise<void>
}

/**
 * `runScenarios` for runs of any size: hands each scenario's result on and keeps only what the
 * summary, scorecards and providers need, and an outline of each scenario.
 */
export const runScenarioStream = ({ scenarios, ...opts }: StreamOptions): Promise<RunOutline> => {
  const listener = opts.listener ?? {}
  return run(scenarios.splice(0), opts, opts.onResult, async (outline, reason) => {
    await listener.onRunEnd?.(outline, reason)
    return outline
  })
}

/** Runs `scenarios`, an array of its own: it is emptied, and each scenario let go once it ran. */
const run = async <End>(
  scenarios: Scenario[],
  opts: Omit<RunOptions, 'scenarios' | 'listener'> & {
    listener?: Omit<RunnerListener, 'onRunEnd'>
  },
  onResult: (result: ScenarioResult) => void | Promise<void>,
  onEnd: (outline: RunOutline, reason: RunEndReason) => Promise<End>,
): Promise<End> => {
  const started = performance.now()
  const startedAt = new Date().toISOString()
  const listener = opts.listener ?? {}
  const selected: Array<Scenario | undefined> = selectShard(scenarios, opts.shard).filter(
    (s) =>
      !opts.grep ||
      opts.grep.test(
        `${scenarioId(s)} ${s.title} ${s.workflows.map((w) => w.workflowId).join(' ')}`,
      ),
  )
  scenarios.length = 0
  const seed = opts.seed ?? 1
  listener.onRunStart?.({
    scenarios: selected.flatMap((s) => (s ? [{ id: scenarioId(s), title: s.title }] : [])),
    seed,
    mode: opts.env.mode,
  })
  const score = scoreTally()
  const summary = summaryTally()
  const services = new Set<string>()
  const outlines: ScenarioOutline[] = []
  // Results wait here until those of every scenario before them are done.
  const waiting = new Map<number, ScenarioResult>()
  let handed = 0
  const handOn = async (result: ScenarioResult) => {
    score.add(result)
    summary.add(result)
    for (const w of result.workflows)
      for (const step of w.steps) if (step.exchange) services.add(step.exchange.service)
    outlines.push(outlineOf(result))
    await onResult(result)
  }
  let handing = Promise.resolve()
  const handOnReady = async () => {
    for (let result = waiting.get(handed); result; result = waiting.get(handed)) {
      waiting.delete(handed++)
      await handOn(result)
    }
  }
  let stop = false
  let reason: RunEndReason = 'completed'
  void opts.interrupted?.then(() => {
    stop = true
    reason = 'interrupted'
  })
  let next = 0
  const worker = async () => {
    const session = await opts.env.openSession()
    try {
      while (!stop) {
        const i = next++
        if (i >= selected.length) break
        await session.reset()
        const scenario = selected[i] as Scenario
        selected[i] = undefined
        waiting.set(i, await runScenario(opts, scenario, session, listener))
        handing = handing.then(handOnReady)
        await handing
      }
    } finally {
      await opts.env.closeSession(session)
    }
  }
  const workers = Math.max(1, Math.min(opts.concurrency ?? 1, selected.length || 1))
  await Promise.all(Array.from({ length: workers }, worker))
  await handing
  for (const i of [...waiting.keys()].sort((a, b) => a - b)) {
    await handOn(waiting.get(i) as ScenarioResult)
    waiting.delete(i)
  }
  const complete = !stop && outlines.length === selected.length
  if (!complete && reason === 'completed') reason = 'failed-to-run'
  const providers = providersOf(services, opts.federation, opts.targets ?? [])
  const outline: RunOutline = {
    schema: 'sild.report/v1',
    sild: { version: opts.version },
    specsDigest: opts.specsDigest,
    seed,
    mode: opts.env.mode,
    ...(opts.shard ? { shard: opts.shard } : {}),
    complete,
    startedAt,
    durationMs: Math.round(performance.now() - started),
    providers,
    scenarios: outlines,
    scorecards: score.scorecards({ providers }),
    summary: summary.summary(),
  }
  return onEnd(outline, reason)
}

const runScenario = async (
  opts: Omit<RunOptions, 'scenarios' | 'listener'>,
  scenario: Scenario,
  session: import('./transport.ts').Session,
  listener: Omit<RunnerListener, 'onRunEnd'>,
): Promise<ScenarioResult> => {
  const started = performance.now()
  const id = scenarioId(scenario)
  listener.onScenarioStart?.({ id, title: scenario.title })
  const run: ScenarioRun = {
    scenario,
    scenarioId: id,
    federation: opts.federation,
    session,
    env: opts.env,
    listener,
    timeoutMs: opts.timeoutMs ?? 30_000,
    maxRetryDelayMs: opts.maxRetryDelayMs ?? 5_000,
    done: new Map(),
    inputsOf: new Map(),
    secrets: scenarioSecrets(scenario),
    outputsOf: new Map(),
  }
  const calledByOthers = new Set(
    scenario.workflows.flatMap((w) =>
      w.steps.flatMap((s) => (s.target.kind === 'workflow' ? [s.target.workflowId] : [])),
    ),
  )
  for (const workflow of scenario.workflows) {
    if (calledByOthers.has(workflow.workflowId) || run.done.has(workflow.workflowId)) continue
    await runWorkflow(run, workflow as Workflow, workflow.inputDefaults)
  }
  const workflows = scenario.workflows.flatMap((w) => {
    const r = run.done.get(w.workflowId)
    return r ? [r] : []
  })
  const result: ScenarioResult = {
    id,
    file: scenario.file,
    title: scenario.title,
    ...(scenario.description ? { description: scenario.description } : {}),
    digest: scenario.digest,
    state: worst(workflows.map((w) => w.state)),
    workflows,
    durationMs: Math.round(performance.now() - started),
  }
  listener.onScenarioEnd?.(result)
  return result
}

const ORDER: StepState[] = ['pass', 'skip', 'fail', 'error']

const worst = (states: StepState[]): StepState =>
  states.reduce<StepState>((a, b) => (ORDER.indexOf(b) > ORDER.indexOf(a) ? b : a), 'pass')

/** Where each service the run called was provided (metaservices are the security servers' own). */
const providersOf = (
  keys: ReadonlySet<string>,
  federation: Federation,
  targets: ReadonlyArray<string>,
): ProviderUse[] => {
  const uses = new Map<string, ProviderUse>()
  for (const key of keys) {
    // A direct service is published by no security server, so only the whole list has its key.
    const service = federation.service(key) ?? federation.services.find((s) => s.key === key)
    if (!service || service.provider === 'metaservice') continue
    uses.set(service.id, {
      service: service.id,
      key,
      party: key.slice(0, key.indexOf('/')),
      url: service.provider,
      target: targets.includes(service.id),
    })
  }
  return [...uses.values()].sort((a, b) => a.service.localeCompare(b.service))
}
