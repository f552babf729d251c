import type { RunReport } from '../../runner/types.ts'

/** The canonical JSON report: the run result as is, stable key order, 2-space indent. */
export const renderJsonReport = (report: RunReport): string =>
  `${JSON.stringify(report, null, 2)}\n`
