import { basename } from 'node:path'
import type { Federation } from '../specs/federation/index.ts'
import type { RunEndReason, RunnerListener } from './events.ts'
import { runWorkflow, scenarioSecrets, type ScenarioRun } from './execute/workflow.ts'

export { scenarioSecrets }
import type { Scenario, Workflow } from './scenario/types.ts'
import { scoreRun, summarize } from './scoring/index.ts'
import type { Environment } from './transport.ts'
import type { ProviderUse, RunReport, ScenarioResult, StepState } from './types.ts'

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
  const started = performance.now()
  const startedAt = new Date().toISOString()
  const listener = opts.listener ?? {}
  const selected = selectShard(opts.scenarios, opts.shard).filter(
    (s) =>
      !opts.grep ||
      opts.grep.test(
        `${scenarioId(s)} ${s.title} ${s.workflows.map((w) => w.workflowId).join(' ')}`,
      ),
  )
  const seed = opts.seed ?? 1
  listener.onRunStart?.({
    scenarios: selected.map((s) => ({ id: scenarioId(s), title: s.title })),
    seed,
    mode: opts.env.mode,
  })
  const results: Array<ScenarioResult | undefined> = new Array(selected.length)
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
        results[i] = await runScenario(opts, selected[i] as Scenario, session, listener)
      }
    } finally {
      await opts.env.closeSession(session)
    }
  }
  const workers = Math.max(1, Math.min(opts.concurrency ?? 1, selected.length || 1))
  await Promise.all(Array.from({ length: workers }, worker))
  const scenarios = results.filter((r): r is ScenarioResult => r !== undefined)
  const complete = !stop && scenarios.length === selected.length
  if (!complete && reason === 'completed') reason = 'failed-to-run'
  const providers = providersOf(scenarios, opts.federation, opts.targets ?? [])
  const report: RunReport = {
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
    scenarios,
    scorecards: scoreRun(scenarios, { providers }),
    summary: summarize(scenarios),
  }
  await listener.onRunEnd?.(report, reason)
  return report
}

const runScenario = async (
  opts: RunOptions,
  scenario: Scenario,
  session: import('./transport.ts').Session,
  listener: RunnerListener,
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
  scenarios: ReadonlyArray<ScenarioResult>,
  federation: Federation,
  targets: ReadonlyArray<string>,
): ProviderUse[] => {
  const keys = new Set<string>()
  for (const s of scenarios)
    for (const w of s.workflows)
      for (const step of w.steps) if (step.exchange) keys.add(step.exchange.service)
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
