import type { RunOutline, RunReport, ScenarioResult, StepResult, WorkflowResult } from './types.ts'

export type RunStart = {
  scenarios: ReadonlyArray<{ id: string; title: string }>
  seed: number
  mode: string
}

/** Why a run ended: all done, or cut short (never report a partial run as whole). */
export type RunEndReason = 'completed' | 'interrupted' | 'failed-to-run'

/**
 * What reporters hear from the runner; every hook is optional. Entities are read-only snapshots.
 * The runner never imports a reporter: the CLI passes them in. A listener that needs no more of
 * the run's end than its outline also hears streamed runs.
 */
export type RunnerListener<End extends RunOutline = RunReport> = {
  /** Before the first scenario starts. */
  onRunStart?(start: RunStart): void
  /** When a scenario's first workflow starts. */
  onScenarioStart?(scenario: { id: string; title: string }): void
  /** After each step (every attempt of a retried step reports once, at its last attempt). */
  onStepResult?(
    scenario: { id: string },
    workflow: { workflowId: string },
    step: Readonly<StepResult>,
  ): void
  /** After a workflow's last step and its workflow-level checks. */
  onWorkflowEnd?(scenario: { id: string }, workflow: Readonly<WorkflowResult>): void
  /** After a scenario's last workflow. */
  onScenarioEnd?(scenario: Readonly<ScenarioResult>): void
  /** Once, with the whole report (a streamed run: its outline). */
  onRunEnd?(report: Readonly<End>, reason: RunEndReason): void | Promise<void>
}
