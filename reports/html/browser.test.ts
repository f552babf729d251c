import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, expect } from 'vitest'
import { sampleRunReport } from '../test-fixtures/run-report.ts'
import { renderHtmlReport } from './index.ts'
import {
  browserTest,
  chromiumExecutable,
  NEEDS_CHROMIUM,
  skipBrowserTests,
} from '../../test/helpers/chromium.ts'

const PAYLOAD = '<script>window.__pwned = 1</script>'
const SCREENSHOT = new URL('../../test-results/html-report.png', import.meta.url)

let browser: Browser
let page: Page
const dialogs: string[] = []
const problems: string[] = []

beforeAll(async () => {
  if (skipBrowserTests) return
  const report = sampleRunReport()
  const step = report.scenarios[0]?.workflows[0]?.steps[1]
  if (!step?.exchange?.response) throw new Error('fixture changed')
  step.exchange.response.body = { name: PAYLOAD, note: '<img src=x onerror="window.__pwned = 2">' }
  const dir = await mkdtemp(join(tmpdir(), 'sild-html-'))
  const file = join(dir, 'report.html')
  await writeFile(file, renderHtmlReport(report))
  browser = await chromium.launch({
    executablePath: chromiumExecutable(),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  })
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } })
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message())
    void dialog.dismiss()
  })
  page.on('pageerror', (error) => problems.push(error.message))
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text())
  })
  page.on('request', (request) => {
    if (!request.url().startsWith('file:')) problems.push(`network: ${request.url()}`)
  })
  await page.goto(pathToFileURL(file).href)
})

afterAll(async () => {
  await browser?.close()
})

const needs = NEEDS_CHROMIUM

browserTest(`opens from file:// and renders the scorecards ${needs}`, async () => {
  expect(await page.locator('article.card').count()).toBe(9)
  await expect.poll(() => page.locator('article.card').first().isVisible()).toBe(true)
  expect(await page.locator('h1').textContent()).toBe('Sild conformance report')
})

browserTest(`draws the sequence diagrams as SVG ${needs}`, async () => {
  const diagram = page.locator('#s1 svg.sequence')
  const box = await diagram.boundingBox()
  expect(box?.width).toBeGreaterThan(600)
  expect(box?.height).toBeGreaterThan(100)
  expect(await page.locator('#s1 svg.sequence a.exchange.failed').count()).toBe(1)
})

browserTest(`expands a failing exchange on click ${needs}`, async () => {
  const details = page.locator('#s1-w1-2')
  expect(await details.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false)
  await details.locator('summary').click()
  expect(await details.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true)
  expect(await details.locator('ul.failed-checks li').count()).toBe(2)
})

browserTest(`opens an exchange's details from its arrow in the diagram ${needs}`, async () => {
  await page.locator('#s5 svg.sequence a.exchange').first().click()
  expect(await page.locator('#s5-w1-1').evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true)
})

browserTest(`shows a body with a script as text and never runs it ${needs}`, async () => {
  const response = page.locator('#s1-w1-2 .http section').nth(1).locator('pre')
  expect(await response.textContent()).toContain(PAYLOAD)
  expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined()
  expect(dialogs).toEqual([])
  await mkdir(new URL('.', SCREENSHOT), { recursive: true })
  await page.evaluate(() => window.scrollTo(0, 0))
  await page.screenshot({ path: SCREENSHOT.pathname, fullPage: true })
})

browserTest(`runs its script without errors or network requests ${needs}`, async () => {
  await page.locator('button[data-open="true"]').click()
  expect(await page.locator('details.step.failed:not([open])').count()).toBe(0)
  await page.locator('#only-failing').check()
  expect(await page.locator('#s2').isVisible()).toBe(false)
  expect(problems).toEqual([])
})
