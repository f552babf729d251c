import { expect, test } from 'vitest'
import type { LintFinding, LintResult } from '../index.ts'
import { formatLintJson, formatLintJunit, formatLintText } from './index.ts'

const finding = (over: Partial<LintFinding>): LintFinding => ({
  rule: 'operation-operationId',
  severity: 'error',
  message: 'Operation must have "operationId".',
  file: '/repo/specs/a.yaml',
  line: 7,
  column: 5,
  endLine: 9,
  endColumn: 1,
  pointer: '/paths/~1x/get',
  ...over,
})

const result: LintResult = {
  specs: ['/repo/specs/a.yaml', '/repo/specs/b.yaml'],
  findings: [
    finding({}),
    finding({
      rule: 'info-contact',
      severity: 'warn',
      message: 'No <contact> & no "url"',
      line: 2,
      column: 6,
    }),
  ],
}

test('prints file:line:column severity rule message, then counts', () => {
  expect(formatLintText(result, '/repo')).toBe(
    [
      'specs/a.yaml:7:5 error operation-operationId  Operation must have "operationId".',
      'specs/a.yaml:2:6 warn  info-contact  No <contact> & no "url"',
      '',
      '2 problems (1 error, 1 warning) in 2 specs',
      '',
    ].join('\n'),
  )
  expect(formatLintText({ specs: ['/repo/a.yaml'], findings: [] }, '/repo')).toBe(
    'no problems in 1 spec\n',
  )
})

test('writes JSON with relative paths and counts', () => {
  const json = JSON.parse(formatLintJson(result, '/repo'))
  expect(json.findings[0]).toMatchObject({
    file: 'specs/a.yaml',
    line: 7,
    column: 5,
    rule: 'operation-operationId',
  })
  expect(json.summary).toEqual({ error: 1, warn: 1, info: 0, hint: 0 })
})

test('fails the JUnit case of a file at the fail severity, escaping its text', () => {
  const xml = formatLintJunit(result, { cwd: '/repo' })
  expect(xml).toMatch(/<testsuites name="sild lint" tests="2" failures="1" errors="0">/)
  expect(xml).toContain('<testcase classname="lint" name="specs/b.yaml"/>')
  expect(xml).toContain('2:6 warn info-contact No &lt;contact&gt; &amp; no "url"')
  const strict = formatLintJunit(
    { ...result, findings: [result.findings[1] as LintFinding] },
    { cwd: '/repo', failSeverity: 'warn' },
  )
  expect(strict).toContain('failures="1"')
})
