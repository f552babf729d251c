import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect } from 'vitest'
import { openBrowser, type BrowserSession } from './dashboard/browser.ts'
import { browserTest, NEEDS_CHROMIUM, skipBrowserTests } from './helpers/chromium.ts'
import { startServe, type ServeProcess } from './helpers/serve-process.ts'

// The workshop's first minute, in a real browser against a real `sild serve`: the map, a
// cross-border scenario run, its exchanges in the live feed, one opened, the language switched,
// and a body full of markup shown as text.

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const SCREENSHOTS = join(ROOT, 'docs/screenshots')
const ARTIFACTS = join(ROOT, 'test-results/dashboard')
const PORTAL = 'ee-test/GOV/70006317/eesti-ee'
const MARKUP = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'

let dir: string
let serve: ServeProcess
let browser: BrowserSession
let dashboard: string

const maybe = browserTest

beforeAll(async () => {
  if (skipBrowserTests) return
  dir = await mkdtemp(join(tmpdir(), 'sild-dashboard-'))
  const started = performance.now()
  serve = await startServe(dir)
  dashboard = serve.ready.dashboard ?? ''
  // The ready file is written once everything listens; measure until the page itself answers.
  while (
    !(await fetch(dashboard).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  const answeredMs = Math.round(performance.now() - started)
  await mkdir(ARTIFACTS, { recursive: true })
  await writeFile(
    join(ARTIFACTS, 'timing.json'),
    `${JSON.stringify({ serveToDashboardMs: answeredMs }, null, 2)}\n`,
  )
  console.log(`sild serve → dashboard answering: ${answeredMs} ms`)
  browser = await openBrowser(dashboard)
}, 60_000)

afterAll(async () => {
  await browser?.close()
  if (serve && serve.child.exitCode === null) await serve.stop('SIGTERM')
  if (dir) await rm(dir, { recursive: true, force: true })
})

/**
 * Every screenshot is a test artifact; the README's (`keep`) are written to docs/screenshots only
 * when missing or asked for, so a test run leaves the working tree clean.
 */
const shoot = async (name: string, keep: boolean) => {
  await browser.page.screenshot({ path: join(ARTIFACTS, `${name}.png`) })
  const readme = join(SCREENSHOTS, `${name}.png`)
  if (keep && (process.env.SILD_UPDATE_SCREENSHOTS === '1' || !existsSync(readme))) {
    await mkdir(SCREENSHOTS, { recursive: true })
    await browser.page.screenshot({ path: readme })
  }
}

maybe(`prints the dashboard's URL first and writes it to the ready file ${NEEDS_CHROMIUM}`, () => {
  expect(dashboard).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
  expect(serve.output()).toMatch(
    new RegExp(`^Sild sandbox is up\\.\\n\\nDashboard \\(open in a browser\\): ${dashboard}\\n`),
  )
})

maybe(
  'opens on the federation map: three instances, their security servers and services',
  async () => {
    const { page } = browser
    await page.goto(dashboard)
    await page.waitForSelector('body[data-ready="true"]', { state: 'attached' })
    const map = page.locator('svg.map')
    await expect.poll(() => map.locator('.instance').count()).toBe(3)
    expect(await map.locator('.ss-name').allTextContents()).toEqual([
      'ee-test',
      'SEVDEIR-TEST',
      'FI-TEST',
    ])
    // Seven services behind the security servers; Diia's acquirer API is reached directly, not
    // through Trembita, so the map does not draw it there.
    expect(await map.locator('.service').count()).toBe(7)
    expect(await map.locator('.federation-label.one-sided').textContent()).toBe(
      'SEVDEIR-TEST does not accept FI-TEST',
    )
    await shoot('dashboard-map', true)
  },
)

maybe('shows the access rights of a subsystem chosen with the keyboard', async () => {
  const { page } = browser
  const kyc = page.locator('svg.map .subsystem[data-key="ee-test/COM/14001233/kyc"]')
  await kyc.focus()
  await page.keyboard.press('Enter')
  await expect.poll(() => page.locator('svg.map .right').count()).toBe(2)
  expect(await page.locator('.map-details').textContent()).toContain(
    'SEVDEIR-TEST/GOV/00015622/EDR/LegalEntities_v1 · GET /legal-entities/**',
  )
  await page.keyboard.press('Escape')
  await expect.poll(() => page.locator('svg.map .right').count()).toBe(0)
})

maybe('runs the cross-border story from the header and shows its scorecards', async () => {
  const { page } = browser
  await page.getByRole('button', { name: 'Run the cross-border story' }).click()
  await expect
    .poll(() => page.getByRole('tab', { name: 'Scenarios' }).getAttribute('aria-selected'))
    .toBe('true')
  const results = page.locator('.results')
  await results.waitFor({ timeout: 30_000 })
  expect(await results.locator('.verdict').textContent()).toBe('1 of 1 scenarios passed')
  const parties = await results
    .locator('.scorecard')
    .evaluateAll((cards) => cards.map((c) => (c as HTMLElement).dataset.party))
  expect(parties).toEqual(expect.arrayContaining(['ee-test', 'SEVDEIR-TEST']))
  expect(await page.locator('svg.sequence .border-line').count()).toBe(1)
  expect(await page.locator('.steps .step.st-pass').count()).toBe(12)
  await shoot('dashboard-run', true)
})

maybe("lists the run's exchanges in the live feed, across the border", async () => {
  const { page } = browser
  await page.getByRole('tab', { name: /Live exchanges/ }).click()
  const rows = page.locator('.feed .exchange')
  // The story's security-server exchanges; its calls to Diia's acquirer API pass none.
  await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(8)
  const crossing = page.locator('.feed .exchange:has(.border-chip)')
  expect(await crossing.count()).toBeGreaterThan(0)
  expect(await crossing.first().locator('.c-service').textContent()).toMatch(/^(UA|EE) /)
  await page.selectOption('#filter-instance', 'FI-TEST')
  await expect.poll(() => page.locator('.feed .feed-row:not([hidden])').count()).toBe(0)
  await page.selectOption('#filter-instance', '')
  await shoot('dashboard-feed', false)
})

maybe('opens an exchange with both log records and its place in the hash chain', async () => {
  const { page } = browser
  const row = page.locator('.feed .exchange:has(.border-chip)').first()
  await row.focus()
  await page.keyboard.press('Enter')
  const dialog = page.locator('dialog[open]')
  await dialog.waitFor()
  expect(await dialog.locator('.record').count()).toBe(2)
  expect(await dialog.locator('.chain').first().textContent()).toMatch(
    /Message log record #\d+ of \d+/,
  )
  expect(await dialog.locator('.chain-ok').count()).toBe(1)
  expect(await dialog.locator('.verify code').textContent()).toMatch(
    /^npx sild log verify .+log\.jsonl$/,
  )
  await shoot('dashboard-exchange', false)
  await page.keyboard.press('Escape')
  await expect.poll(() => dialog.count()).toBe(0)
  expect(await page.evaluate(() => document.activeElement?.classList.contains('exchange'))).toBe(
    true,
  )
})

maybe('switches every label to Ukrainian and Estonian, and the HTML report with it', async () => {
  const { page } = browser
  await page.getByRole('button', { name: 'Українська' }).click()
  expect(await page.getAttribute('html', 'lang')).toBe('uk')
  expect(await page.getByRole('tab').allInnerTexts()).toEqual([
    'Мапа',
    'Обмін наживо',
    'Сценарії',
    'Спробуйте самі',
  ])
  expect(await page.locator('.feed-columns').textContent()).toContain('Тип помилки')
  await page.getByRole('tab', { name: 'Сценарії' }).click()
  const link = page.locator('.downloads a[data-format="html"]')
  const report = await page.request.get(
    new URL((await link.getAttribute('href')) ?? '', dashboard).href,
  )
  expect(await report.text()).toContain('<html lang="uk">')
  await page.getByRole('button', { name: 'Eesti' }).click()
  expect(await page.getByRole('tab').first().textContent()).toBe('Kaart')
  expect(await page.locator('.results h4').first().textContent()).toBe('Tulemuskaardid')
  await page.getByRole('button', { name: 'English' }).click()
  expect(await page.getByRole('tab').first().textContent()).toBe('Map')
})

maybe(
  "sends a call from Try it yourself and names each server's side in the language chosen",
  async () => {
    const { page } = browser
    await page.getByRole('tab', { name: 'Try it yourself' }).click()
    await page.locator('#try-send').click()
    const roles = page.locator('.try-result .try-step .role')
    await expect.poll(() => roles.count()).toBeGreaterThan(0)
    expect(await roles.first().textContent()).toMatch(/consumer side/)
    await page.getByRole('button', { name: 'Українська' }).click()
    expect(await roles.first().textContent()).toMatch(/бік клієнта/)
    await page.getByRole('button', { name: 'English' }).click()
    expect(await roles.first().textContent()).toMatch(/consumer side/)
    await page.getByRole('tab', { name: 'Map' }).click()
  },
)

maybe('shows markup from a service as text, never as elements', async () => {
  const { page, watch } = browser
  await page.locator('[data-tab="feed"]').click()
  const applications = page.locator('.feed .exchange', { hasText: 'POST /applications' })
  const before = await applications.count()
  const ss = serve.ready.securityServers['ee-test']
  const answer = await fetch(`${ss}/r1/ee-test/GOV/70008747/e-residency/e-residency/applications`, {
    method: 'POST',
    headers: { 'x-road-client': PORTAL, 'content-type': 'application/json' },
    body: JSON.stringify({
      applicant: {
        givenName: 'Olena',
        familyName: 'Kovalenko',
        sex: 'F',
        birthDate: '1990-03-14',
        citizenship: 'UA',
        identityDocument: {
          type: 'passport',
          number: 'FA100234',
          issuingCountry: 'UA',
          expiryDate: '2031-06-15',
        },
        email: 'olena.kovalenko@example.com',
      },
      motivation: MARKUP,
      pickupLocation: 'Estonian Embassy in Kyiv',
    }),
  })
  expect(answer.status).toBeLessThan(500)
  await expect.poll(() => applications.count()).toBe(before + 1)
  await applications.first().click()
  const dialog = page.locator('dialog[open]')
  await dialog.waitFor()
  expect(await dialog.locator('pre.body-text').allTextContents()).toEqual(
    expect.arrayContaining([expect.stringContaining(MARKUP.replace(/"/g, '\\"'))]),
  )
  expect(await dialog.locator('img, script').count()).toBe(0)
  expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined()
  expect(watch.dialogs).toEqual([])
  await page.keyboard.press('Escape')
})

maybe('never calls a level a shorter run did not test a drop, and says it was not tested', async () => {
  const { page } = browser
  await page.getByRole('tab', { name: 'Scenarios' }).click()
  const verdict = page.locator('.results .verdict')
  await page.locator('#run-all').click()
  await expect.poll(() => verdict.textContent(), { timeout: 30_000 }).toMatch(/^18 of 18/)
  await page.getByRole('button', { name: 'Run the cross-border story' }).click()
  await expect
    .poll(() => verdict.textContent(), { timeout: 30_000 })
    .toBe('1 of 1 scenarios passed')
  const changes = await page
    .locator('.scorecard .delta')
    .evaluateAll((els) => els.map((e) => e.textContent ?? ''))
  expect(changes.filter((text) => text.includes('level'))).toEqual([])
  const levels = await page
    .locator('.scorecard .level')
    .evaluateAll((els) => els.map((e) => e.textContent ?? ''))
  expect(levels).toEqual(
    expect.arrayContaining([expect.stringMatching(/· level [1-4] not tested in this run$/)]),
  )
  expect(await page.locator('.scorecard .blocking li.untested').count()).toBeGreaterThan(0)
})

maybe('loads nothing from outside the sandbox and logs no error', () => {
  expect(browser.watch.foreignRequests).toEqual([])
  expect(browser.watch.errors).toEqual([])
})
