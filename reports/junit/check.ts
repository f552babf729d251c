import { diffSuite } from '../../gate/diff/index.ts'
import type { CheckOutcome } from '../../gate/check/index.ts'
import { lintSuite } from '../../gate/lint/index.ts'
import { displayPath } from '../console/check.ts'
import { escapeXml, renderJunitReport } from './index.ts'

/** JUnit for `sild check`: a suite for lint, one for diff, and the scenario run's suites. */
export const renderCheckJunit = (o: CheckOutcome): string => {
  const suites: string[] = []
  if (o.lint) suites.push(...lintSuite(o.lint, { failSeverity: o.failSeverity }))
  if (o.diff)
    suites.push(
      ...diffSuite(o.diff, o.diff.specs, (c) =>
        o.failOn === 'any' ? true : o.failOn === 'none' ? false : c.breaking,
      ),
    )
  if (o.loadFailures.length)
    suites.push(
      `  <testsuite name="scenario-loading" tests="${o.loadFailures.length}" failures="${o.loadFailures.length}" errors="0" skipped="0">`,
      ...o.loadFailures.map(
        (f) =>
          `    <testcase classname="scenarios" name="${escapeXml(f.id, true)}">\n      <failure message="${escapeXml('cannot run against the changed specs', true)}" type="load">${escapeXml(`${f.location ? `${displayPath(f.location.file)}:${f.location.line}:${f.location.column}: ` : ''}${f.message}`)}</failure>\n    </testcase>`,
      ),
      '  </testsuite>',
    )
  if (o.run)
    suites.push(
      ...(renderJunitReport(o.run).match(/ {2}<testsuite[\s>][\s\S]*?<\/testsuite>/g) ?? []),
    )
  const count = (pattern: RegExp) => suites.join('\n').match(pattern)?.length ?? 0
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="sild check" tests="${count(/<testcase[\s>]/g)}" failures="${count(/<failure[\s>]/g)}" errors="${count(/<error[\s>]/g)}" time="${(o.durationMs / 1000).toFixed(3)}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n')
}
