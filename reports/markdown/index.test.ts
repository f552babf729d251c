import { expect, test } from 'vitest'
import { sampleRunReport } from '../test-fixtures/run-report.ts'
import { escapeMarkdown, renderMarkdownReport } from './index.ts'

test('renders the representative report as pinned', async () => {
  await expect(renderMarkdownReport(sampleRunReport())).toMatchFileSnapshot(
    './__snapshots__/run-report.md.txt',
  )
})

test('escapes service data so it cannot format, link, mention or inject HTML', () => {
  expect(
    escapeMarkdown('<img src=x onerror=alert(1)> **bold** [x](http://e) | @ops $a$\nnext'),
  ).toBe(
    '&lt;img src=x onerror=alert(1)&gt; \\*\\*bold\\*\\* \\[x\\](http://e) \\| @&#8203;ops \\$a\\$ next',
  )
})

test('keeps a message with markup and pipes inside its table row', () => {
  const report = sampleRunReport()
  const failure = report.scenarios[0]?.workflows[0]?.steps[1]?.failures[0]
  if (!failure) throw new Error('fixture changed')
  failure.message = 'name "<script>alert(1)</script>" | has\na line break'
  const row = renderMarkdownReport(report)
    .split('\n')
    .find((line) => line.startsWith('| `responseSchemaConformance`'))
  expect(row).toBe(
    '| `responseSchemaConformance` | high | 2 Contract-conformant | bank-checks-ua-counterparty › checkCounterparty › getCompanyDetails | name "&lt;script&gt;alert(1)&lt;/script&gt;" \\| has a line break |',
  )
})

test('fences a body holding backticks with a longer fence', () => {
  const report = sampleRunReport()
  const response = report.scenarios[0]?.workflows[0]?.steps[1]?.exchange?.response
  if (!response) throw new Error('fixture changed')
  response.body = 'before ``` after'
  const text = renderMarkdownReport(report)
  expect(text).toContain('````text\n')
  expect(text).toContain('before ``` after')
})

test('collapses each failing step into details with its curl', () => {
  const text = renderMarkdownReport(sampleRunReport())
  expect(text).toContain(
    '<details><summary>tax-residency-exchange › exchangeCertificates › requestCertificate: statusCodeConformance, noInternalsLeaked, successCriteria</summary>',
  )
  expect(text).toContain("curl -sS -i -X POST 'http://ee-test.ss.sild.test/r1/SEVDEIR-TEST/")
})

test('stops adding details past the size limit and says how many are left', () => {
  const text = renderMarkdownReport(sampleRunReport(), { maxChars: 7000 })
  expect(text.length).toBeLessThan(7000)
  expect(text).toMatch(/… and \d+ more: see the HTML or JUnit report/)
})

test('says when the run is incomplete', () => {
  const text = renderMarkdownReport({ ...sampleRunReport(), complete: false })
  expect(text).toContain('> **Incomplete run: this report covers 5 scenario(s) only.')
})

test('says no check failed when none did', () => {
  const report = sampleRunReport()
  report.scenarios = report.scenarios.filter((s) => s.state === 'pass')
  for (const s of report.scenarios) for (const w of s.workflows) w.failures = []
  const text = renderMarkdownReport(report)
  expect(text).toContain('### Failures (0)\n\nNo check failed.')
  expect(text).not.toContain('<details>')
})
