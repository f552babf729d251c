import { relative } from 'node:path'
import type { LintFinding, LintResult, LintSeverity } from '../index.ts'

const SEVERITIES: LintSeverity[] = ['error', 'warn', 'info', 'hint']

const display = (file: string, cwd: string) => {
  const rel = relative(cwd, file)
  return rel && !rel.startsWith('..') ? rel : file
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

const counts = (findings: LintFinding[]) =>
  Object.fromEntries(
    SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s).length]),
  ) as Record<LintSeverity, number>

/** One line per finding, `file:line:column severity rule message`, then a summary line. */
export const formatLintText = (result: LintResult, cwd = process.cwd()): string => {
  const lines = result.findings.map(
    (f) =>
      `${display(f.file, cwd)}:${f.line}:${f.column} ${f.severity.padEnd(5)} ${f.rule}  ${f.message}`,
  )
  const c = counts(result.findings)
  const summary = result.findings.length
    ? `${plural(result.findings.length, 'problem')} (${plural(c.error, 'error')}, ${plural(c.warn, 'warning')}${c.info ? `, ${c.info} info` : ''}${c.hint ? `, ${plural(c.hint, 'hint')}` : ''}) in ${plural(result.specs.length, 'spec')}`
    : `no problems in ${plural(result.specs.length, 'spec')}`
  return `${[...lines, ...(lines.length ? [''] : []), summary].join('\n')}\n`
}

/** The findings as JSON, with paths relative to `cwd`. */
export const formatLintJson = (result: LintResult, cwd = process.cwd()): string =>
  `${JSON.stringify(
    {
      specs: result.specs.map((s) => display(s, cwd)),
      findings: result.findings.map((f) => ({ ...f, file: display(f.file, cwd) })),
      summary: counts(result.findings),
    },
    null,
    2,
  )}\n`

type JunitOptions = { failSeverity?: LintSeverity; cwd?: string }

/**
 * JUnit XML: one test case per file, failing when it has findings at `failSeverity` or worse;
 * the failure lists them as `line:column severity rule message`.
 */
export const formatLintJunit = (result: LintResult, options: JunitOptions = {}): string => {
  const suite = lintSuite(result, options)
  const failures = suite.filter((l) => l.includes('<failure')).length
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="sild lint" tests="${suite.filter((l) => l.includes('<testcase')).length}" failures="${failures}" errors="0">`,
    ...suite,
    '</testsuites>',
    '',
  ].join('\n')
}

/** The `<testsuite>` element of lint results (also part of `sild check`'s JUnit). */
export const lintSuite = (
  result: LintResult,
  { failSeverity = 'error', cwd = process.cwd() }: JunitOptions = {},
): string[] => {
  const files = [...new Set([...result.specs, ...result.findings.map((f) => f.file)])]
  const gate = SEVERITIES.slice(0, SEVERITIES.indexOf(failSeverity) + 1)
  const cases = files.map((file) => {
    const own = result.findings.filter((f) => f.file === file)
    const failing = own.filter((f) => gate.includes(f.severity))
    const text = own
      .map((f) => `${f.line}:${f.column} ${f.severity} ${f.rule} ${f.message}`)
      .join('\n')
    return { name: display(file, cwd), failing, text }
  })
  return [
    `  <testsuite name="lint" tests="${cases.length}" failures="${cases.filter((c) => c.failing.length).length}" errors="0" skipped="0">`,
    ...cases.map((c) =>
      c.failing.length
        ? `    <testcase classname="lint" name="${xml(c.name, true)}">\n      <failure message="${xml(`${plural(c.failing.length, 'problem')} at or above ${failSeverity}`, true)}" type="lint">${xml(c.text)}</failure>\n    </testcase>`
        : `    <testcase classname="lint" name="${xml(c.name, true)}"/>`,
    ),
    '  </testsuite>',
  ]
}

/** XML text or attribute content, with the characters XML 1.0 cannot carry replaced. */
export const xml = (value: string, attribute = false): string => {
  const text = value
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
  return attribute ? text.replace(/"/g, '&quot;').replace(/\n/g, '&#10;') : text
}
