import type { ScenarioOutline, ScenarioResult } from './types.ts'

/** A scenario's result without its passing steps, outcomes and outputs. */
export const outlineOf = (result: ScenarioResult): ScenarioOutline => ({
  id: result.id,
  file: result.file,
  title: result.title,
  digest: result.digest,
  state: result.state,
  durationMs: result.durationMs,
  workflows: result.workflows.map((w) => ({
    workflowId: w.workflowId,
    failures: w.failures,
    steps: w.steps
      .filter((step) => step.failures.length > 0)
      .map((step) => ({
        stepId: step.stepId,
        failures: step.failures,
        ...(step.exchange ? { exchange: step.exchange } : {}),
      })),
  })),
})
