import { createHash } from 'node:crypto'
import { expect, test } from 'vitest'
import { en } from '../i18n/index.ts'
import { sampleRunReport } from '../test-fixtures/run-report.ts'
import { renderHtmlReport } from './index.ts'
import { SCRIPT } from './page.ts'

const html = renderHtmlReport(sampleRunReport())
const count = (text: string, part: string) => text.split(part).length - 1

test('shows markup from a service as text', () => {
  expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
  expect(count(html, '<script')).toBe(1)
})

test('escapes scenario titles, check messages and header values too', () => {
  const report = sampleRunReport()
  const scenario = report.scenarios[0]
  const step = scenario?.workflows[0]?.steps[1]
  if (!scenario || !step?.exchange?.response) throw new Error('fixture changed')
  scenario.title = '<b onmouseover=x>title</b>'
  ;(step.failures[0] as { message: string }).message = '"><svg onload=alert(2)>'
  step.exchange.response.headers['x-evil'] = '<iframe src=javascript:alert(3)>'
  const page = renderHtmlReport(report)
  expect(page).not.toMatch(/<b onmouseover|<svg onload|<iframe/)
  expect(page).toContain('&lt;b onmouseover=x&gt;title&lt;/b&gt;')
  expect(page).toContain('&quot;&gt;&lt;svg onload=alert(2)&gt;')
})

test('redacts authorization headers, cookies and tokens', () => {
  expect(html).not.toContain('diia-partner-secret')
  expect(html).not.toContain('ab12cd34')
  expect(html).not.toContain('diia-access-token')
  expect(html).toContain('authorization: Bearer [REDACTED]')
  expect(html).toContain('set-cookie: [REDACTED]')
  expect(html).toContain('&quot;accessToken&quot;: &quot;[REDACTED]&quot;')
})

test('loads nothing from anywhere: no external script, style, image or font', () => {
  expect(html).not.toMatch(/<link\b|\bsrc=|@import|url\(/)
  expect(html).not.toMatch(/href="(?!#)/)
})

test('allows only its own script, by hash', () => {
  const hash = createHash('sha256').update(SCRIPT).digest('base64')
  expect(html).toContain(`script-src &#39;sha256-${hash}&#39;`)
  expect(html).toContain('default-src &#39;none&#39;')
})

test('draws a sequence diagram per scenario and marks the failing exchanges', () => {
  expect(count(html, '<svg class="sequence"')).toBe(5)
  expect(count(html, 'class="exchange failed"')).toBe(3)
  expect(html).toContain('<a href="#s1-w1-2" class="exchange failed">')
})

test('gives each party and profile a card with its level and what blocks the next', () => {
  expect(count(html, '<article class="card')).toBe(9)
  expect(html).toMatch(
    /SEVDEIR-TEST<\/span><span class="profile">ua-legal-entities-register<\/span>[\s\S]*?No level reached · level 1 not tested in this run[\s\S]*?83\.9[\s\S]*?level 1 not tested in this run[\s\S]*?never applied[\s\S]*?level 2 blocked by[\s\S]*?identifierFormatConformance/,
  )
})

test('puts each exchange in a closed details element with its failed checks', () => {
  expect(html).toMatch(
    /<details class="step failed" id="s1-w1-2">\n<summary>[\s\S]*?getCompanyDetails[\s\S]*?2 failed[\s\S]*?responseSchemaConformance[\s\S]*?Reproduce with/,
  )
  expect(html).not.toMatch(/<details[^>]* open/)
})

test('takes its labels from the catalogue it is given', () => {
  const page = renderHtmlReport(sampleRunReport(), {
    messages: { ...en, 'report.title': 'Звіт про відповідність' },
    lang: 'uk',
  })
  expect(page).toContain('<html lang="uk">')
  expect(page).toContain('<h1>Звіт про відповідність</h1>')
})

test('warns in large type when the run is incomplete', () => {
  const page = renderHtmlReport({ ...sampleRunReport(), complete: false })
  expect(page).toContain(
    '<p class="incomplete" role="alert">Incomplete run: this report covers 5 scenario(s) only.',
  )
})

test('sends the curl to the URL reproduceUrl gives', () => {
  const page = renderHtmlReport(sampleRunReport(), {
    reproduceUrl: (url) => url.replace('http://ee-test.ss.sild.test', 'http://127.0.0.1:4410'),
  })
  expect(page).toContain('curl -sS -i &#39;http://127.0.0.1:4410/r1/')
  expect(page).not.toContain('in-process sandbox')
})
