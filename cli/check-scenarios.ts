import { basename, resolve } from 'node:path'
import type { ScenarioGate, ScenarioGateResult, LoadFailure } from '../gate/check/index.ts'
import type { Change } from '../gate/diff/index.ts'
import { repositoryFederation } from '../gate/mock-federation/index.ts'
import { openApi3Only, type Project } from '../gate/project/index.ts'
import { consoleReporter } from '../reports/console/index.ts'
import { runScenarios, scenarioId } from '../runner/run.ts'
import { findScenarioFiles, loadScenario, type Scenario } from '../runner/scenario/index.ts'
import type { Federation } from '../specs/federation/index.ts'
import { SildInputError, type SourceLocation } from '../specs/source-file/index.ts'
import { inprocEnvironment, servedUrl } from './environments.ts'
import { specsDigest } from './run.ts'
import { sildVersion } from './version.ts'

export type ScenarioGateOptions = {
  project: Project
  federation?: Federation
  /** Scenario files or folders given on the command line. */
  scenarios: string[]
  shard?: { index: number; total: number }
  concurrency: number
  seed: number
  timeout: number
  verbose?: boolean
}

/**
 * The scenario gate of `sild check`: the repository's Arazzo files (or those given) against the
 * federation, or, when the repository names none, against Prism mocks of its own specs behind a
 * security server of their own.
 */
export const scenarioGate =
  (opts: ScenarioGateOptions): ScenarioGate =>
  async () => {
    const { project } = opts
    const files = opts.scenarios.length
      ? opts.scenarios
      : project.kind === 'repository'
        ? project.scenarios
        : undefined
    if (project.kind === 'repository' && !files?.length)
      return { skipped: 'the repository has no Arazzo scenarios' }
    if (opts.federation)
      return runGate(opts, files, { federation: opts.federation, mocks: 'world' })
    const specs = project.kind === 'repository' ? openApi3Only(project.specs) : []
    if (!specs.length) return { skipped: 'the repository has no OpenAPI 3 document to mock' }
    const mocked = repositoryFederation(project.root, specs)
    return runGate(opts, files, {
      federation: mocked.federation,
      mocks: 'spec',
      defaultClient: mocked.client,
    })
  }

type World = { federation: Federation; mocks: 'world' | 'spec'; defaultClient?: string }

// Scenarios are loaded one by one against the working tree's specs: one that no longer loads
// (its operation was removed or renamed) is a failure of this gate, not bad input.
const runGate = async (
  opts: ScenarioGateOptions,
  paths: string[] | undefined,
  { federation, mocks, defaultClient }: World,
): Promise<ScenarioGateResult> => {
  const scenarios: Scenario[] = []
  const loadFailures: LoadFailure[] = []
  for (const file of inShard(findScenarioFiles(paths), opts.shard)) {
    try {
      scenarios.push(await loadScenario(file, { federation, defaultClient }))
    } catch (error) {
      if (!(error instanceof SildInputError)) throw error
      loadFailures.push({ file, id: idOf(file), message: error.message, location: error.location })
    }
  }
  let run = await runScenarios({
    scenarios,
    federation,
    env: inprocEnvironment({ federation, timeoutMs: opts.timeout, mocks }),
    listener: consoleReporter({ reproduceUrl: servedUrl(federation), verbose: opts.verbose }),
    concurrency: opts.concurrency,
    seed: opts.seed,
    timeoutMs: opts.timeout,
    version: await sildVersion(),
    specsDigest: await specsDigest(federation),
  })
  // The files were split before loading, so the report is marked with the shard here: sild merge
  // checks that the shards of a run cover 1..n.
  if (opts.shard) run = { ...run, shard: opts.shard }
  if (loadFailures.length) run = { ...run, complete: false }
  return {
    run,
    loadFailures,
    stepLocations: stepLocations(scenarios),
    callers: (changes) => callers(changes, scenarios),
  }
}

const idOf = (file: string) =>
  basename(file)
    .replace(/\.arazzo\.(ya?ml|json)$/i, '')
    .replace(/\.(ya?ml|json)$/i, '')

/** The scenario files of shard i of n, split as `sild run --shard` splits them: sorted by id, every n-th. */
const inShard = (files: string[], shard?: { index: number; total: number }) =>
  shard
    ? [...files]
        .sort((a, b) => idOf(a).localeCompare(idOf(b)))
        .filter((_, i) => i % shard.total === shard.index - 1)
    : files

const stepLocations = (scenarios: Scenario[]): Map<string, SourceLocation> => {
  const at = new Map<string, SourceLocation>()
  for (const scenario of scenarios)
    for (const workflow of scenario.workflows)
      for (const step of workflow.steps)
        at.set(
          `${scenarioId(scenario)}/${workflow.workflowId}/${step.stepId}`,
          scenario.locate(step.path),
        )
  return at
}

/** For each breaking change in an operation, the scenario steps that call that operation. */
const callers = (changes: Change[], scenarios: Scenario[]): Map<Change, string[]> => {
  const map = new Map<Change, string[]>()
  for (const change of changes) {
    const op = change.operation
    if (!op) continue
    const specFile = resolve(change.spec)
    const steps: string[] = []
    for (const scenario of scenarios)
      for (const workflow of scenario.workflows)
        for (const step of workflow.steps) {
          const t = step.target
          if (t.kind !== 'operation' || resolve(t.spec.file) !== specFile) continue
          if (
            t.operation.method === op.method &&
            (t.operationId === op.operationId || t.operation.pathTemplate === op.path)
          )
            steps.push(`${scenarioId(scenario)} (step ${step.stepId})`)
        }
    if (steps.length) map.set(change, [...new Set(steps)])
  }
  return map
}
