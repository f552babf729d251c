import type { CheckOutcome } from '../../gate/check/index.ts'
import type { RunReport } from '../../runner/types.ts'
import { failingSteps } from '../console/check.ts'
import {
  diffToSarif,
  lintToSarif,
  renderSarif,
  untestedLevelsToSarif,
  type SarifFinding,
  type SarifOptions,
} from './index.ts'

/** SARIF for `sild check`: lint findings, breaking changes, and failing steps where the scenario writes them. */
export const renderCheckSarif = (o: CheckOutcome, options: SarifOptions): string => {
  const findings: SarifFinding[] = [
    ...(o.lint ? lintToSarif(o.lint.findings) : []),
    ...(o.diff ? diffToSarif(o.diff) : []),
    ...o.loadFailures.map((f) => ({
      ruleId: 'scenario/cannot-load',
      level: 'error' as const,
      message: `scenario ${f.id} cannot run against the changed specs: ${f.message}`,
      file: f.location?.file ?? f.file,
      line: f.location?.line,
      column: f.location?.column,
    })),
    ...(o.run ? scenarioFindings(o.run, o) : []),
    ...(o.run ? untestedLevelsToSarif(o.run) : []),
  ]
  return renderSarif(findings, options)
}

const scenarioFindings = (run: RunReport, o: CheckOutcome): SarifFinding[] =>
  failingSteps(run).flatMap(({ scenario, workflowId, step }) => {
    const at = o.stepLocations.get(`${scenario.id}/${workflowId}/${step.stepId}`)
    const failures = step.failures.length
      ? step.failures
      : [{ check: 'step-error', message: step.message ?? 'the step could not run' }]
    return failures.map((f) => ({
      ruleId: `scenario/${f.check}`,
      level: 'error' as const,
      message: `scenario ${scenario.id}, step ${step.stepId}: ${f.message}`,
      file: at?.file ?? scenario.file,
      line: at?.line,
      column: at?.column,
    }))
  })
