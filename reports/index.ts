import { SildInputError } from '../specs/source-file/index.ts'
import type { RunReport } from '../runner/types.ts'
import { htmlReportStream, renderHtmlReport } from './html/index.ts'
import { renderJsonReport } from './json/index.ts'
import { jsonReportStream } from './json/stream.ts'
import { junitReportStream, renderJunitReport } from './junit/index.ts'
import { renderMarkdownReport } from './markdown/index.ts'
import { outlineReportStream, type ReportStream } from './stream/index.ts'

export type { ReportStream } from './stream/index.ts'

/** Every file format a run can write, by name: each renders the canonical JSON report. */
export const REPORT_FORMATS: Record<
  string,
  (report: RunReport, options?: ReportOptions) => string
> = {
  json: renderJsonReport,
  junit: (report, options) => renderJunitReport(report, options),
  html: (report, options) => renderHtmlReport(report, options),
  markdown: (report, options) => renderMarkdownReport(report, options),
}

/**
 * Every format of REPORT_FORMATS written while the run goes on, a scenario at a time, with the
 * same content: a run never holds all its results.
 */
export const REPORT_STREAMS: Record<
  string,
  (path: string, options?: ReportOptions) => ReportStream
> = {
  json: (path) => jsonReportStream(path),
  junit: (path, options) => junitReportStream(path, options),
  html: (path, options) => htmlReportStream(path, options),
  markdown: (path, options) =>
    outlineReportStream(path, (outline) => renderMarkdownReport(outline, options)),
}

/** What every renderer may be told besides the report. */
export type ReportOptions = {
  /** Turns an exchange URL into one a person can call (in-process hosts → `sild serve` ports). */
  reproduceUrl?: (url: string) => string
}

export type ReportTarget = { format: string; path: string }

/** Parses `--report FORMAT=PATH`; an unknown format lists the valid ones. */
export const parseReportTarget = (value: string): ReportTarget => {
  const eq = value.indexOf('=')
  const format = eq < 0 ? value : value.slice(0, eq)
  const path = eq < 0 ? '' : value.slice(eq + 1)
  if (!Object.hasOwn(REPORT_FORMATS, format)) {
    throw new SildInputError(
      `unknown report format "${format}" in --report ${value}`,
      undefined,
      `Valid formats: ${Object.keys(REPORT_FORMATS).join(', ')}. Write --report FORMAT=PATH, e.g. --report json=out/report.json.`,
    )
  }
  if (!path) {
    throw new SildInputError(
      `--report ${value} has no path`,
      undefined,
      `Write --report ${format}=PATH, e.g. --report ${format}=out/report.${format}.`,
    )
  }
  return { format, path }
}
