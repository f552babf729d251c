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
    // Seven services behind the security servers, and Diia's acquirer API, reached directly over
    // HTTPS: drawn with its subsystem, marked as not going through a security server.
    expect(await map.locator('.service').count()).toBe(8)
    const direct = map.locator('.service.direct')
    expect(await direct.count()).toBe(1)
    expect(await direct.getAttribute('aria-label')).toMatch(
      /acquirer-api.*reached directly over HTTPS, not through a security server/,
    )
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

maybe(
  'replays the cross-border story on the map one exchange at a time, then its scorecards',
  async () => {
    const { page } = browser
    await page.getByRole('button', { name: 'Run the cross-border story' }).click()
    // The story plays where the audience looks: the map stays in view.
    expect(await page.getByRole('tab', { name: 'Map' }).getAttribute('aria-selected')).toBe('true')
    const step = page.locator('.presenter-step strong')
    await expect.poll(() => step.textContent(), { timeout: 30_000 }).toBe('Step 1 of 12:')
    // The first exchange stays in Estonia: the portal, its security server and the e-Residency
    // service light up while the message travels, and no border does.
    expect(await page.locator('svg.map .lit').count()).toBe(3)
    expect(await page.locator('svg.map .border-lit').count()).toBe(0)
    await page.locator('#presenter-play').click()
    // The run itself is long over; the replay waits for the presenter.
    await expect
      .poll(
        async () =>
          (await page.request.get(`${dashboard}/api/runs/latest`).then((r) => r.json())).status,
      )
      .toBe('done')
    expect(await step.textContent()).toBe('Step 1 of 12:')
    await page.locator('#presenter-next').click()
    expect(await step.textContent()).toBe('Step 2 of 12:')
    expect(await page.locator('.presenter-step span').textContent()).toBe(
      'Exchange the acquirer token for a session token.',
    )
    // Diia's acquirer API is called directly: its service lights up, no security server does.
    expect(await page.locator('svg.map .service.direct.lit').count()).toBe(1)
    expect(await page.locator('svg.map .ss.lit').count()).toBe(0)
    await shoot('dashboard-presenter', true)
    await page.selectOption('#presenter-speed', '4')
    await page.locator('#presenter-play').click()
    const ending = page.locator('.presenter-end .verdict')
    await expect
      .poll(() => ending.textContent(), { timeout: 30_000 })
      .toBe('1 of 1 scenarios passed')
    expect(await page.locator('.presenter-cards li').count()).toBe(2)
    // A finished run replays from its first exchange.
    await page.locator('#presenter-replay').click()
    expect(await step.textContent()).toBe('Step 1 of 12:')
    await page.locator('#presenter-play').click()
    await page.getByRole('tab', { name: 'Scenarios' }).click()
    const results = page.locator('.results')
    await results.waitFor({ timeout: 30_000 })
    expect(await results.locator('.verdict').textContent()).toBe('1 of 1 scenarios passed')
    const parties = await results
      .locator('.scorecard')
      .evaluateAll((cards) => cards.map((c) => (c as HTMLElement).dataset.party))
    expect(parties).toEqual(expect.arrayContaining(['ee-test', 'SEVDEIR-TEST']))
    // Sild's own mocks answered every call: the results say so once, above the cards.
    expect(await results.locator('p.sandbox').allTextContents()).toEqual([
      'Sild’s own mocks and simulated security servers answered every call here: these scorecards show the sandbox at work, not an implementation. Plug in your own service to score it.',
    ])
    expect(await page.locator('svg.sequence .border-line').count()).toBe(1)
    // The sequence diagram: one column per party, arrows named by operation, no label over another.
    const lanes = await page
      .locator('svg.sequence .lane-name')
      .evaluateAll((els) => els.map((e) => e.textContent ?? ''))
    expect(new Set(lanes).size).toBe(lanes.length)
    expect(lanes).toEqual(expect.arrayContaining(['e-residency', 'e-residency/e-residency']))
    const calls = await page.locator('svg.sequence .call').allTextContents()
    expect(calls[0]).toBe('POST submitApplication')
    expect(calls.filter((call) => call.includes('…'))).toEqual([])
    const boxes = await page.locator('svg.sequence .call, svg.sequence .reply').evaluateAll((els) =>
      els.map((e) => {
        const r = e.getBoundingClientRect()
        return { left: r.left, right: r.right, top: r.top, bottom: r.bottom }
      }),
    )
    const overlapping = boxes.flatMap((a, i) =>
      boxes
        .slice(i + 1)
        .filter(
          (b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom,
        ),
    )
    expect(overlapping).toEqual([])
    expect(await page.locator('.steps .step.st-pass').count()).toBe(12)
    await shoot('dashboard-run', true)
  },
)

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

maybe('shows the bundled data in Ukrainian and Estonian, with no English left over', async () => {
  const { page } = browser
  const untranslated = page.locator('.untranslated')
  await page.getByRole('button', { name: 'Українська' }).click()
  await page.getByRole('tab', { name: 'Мапа' }).click()
  // A name on two lines is two tspans: read them as the words they are.
  const lines = (selector: string) =>
    page
      .locator(selector)
      .evaluateAll((els) =>
        els.map((e) => [...e.querySelectorAll('tspan')].map((l) => l.textContent).join(' ')),
      )
  expect(await lines('svg.map .instance-name')).toEqual([
    'Естонія (тестове середовище X-tee)',
    'Україна (тестове середовище Трембіти)',
    'Фінляндія (тестове середовище)',
  ])
  // A long name wraps onto lines of its own (tspans) instead of being cut.
  const memberNames = await page
    .locator('svg.map .member-name')
    .evaluateAll((els) =>
      els.map((e) => [...e.querySelectorAll('tspan')].map((l) => l.textContent).join(' ')),
    )
  expect(memberNames).toContain('Державна міграційна служба України')
  expect(memberNames.filter((name) => name.includes('…'))).toEqual([])
  expect(await untranslated.count()).toBe(0)
  await page.getByRole('tab', { name: 'Сценарії' }).click()
  expect(
    await page.locator('.scenario[data-scenario="e-residency-via-diia"] h3').textContent(),
  ).toBe('Українка ділиться паспортом із Дії і стає е-резиденткою')
  // What would test an untested level is said in Ukrainian too.
  expect(await page.locator('.scorecard li.untested').allTextContents()).toEqual(
    expect.arrayContaining([
      expect.stringContaining('крок, що надсилає ідентифікатор із хибною контрольною цифрою'),
    ]),
  )
  expect(await page.locator('.steps .step-text').first().textContent()).toBe(
    'Олена подає заяву на порталі.',
  )
  // Durations in the page's own units: "с" and "мс", never the English "s".
  expect(await page.locator('.steps .step-ms').allTextContents()).toEqual(
    expect.arrayContaining([expect.stringMatching(/^\d+ мс$/)]),
  )
  // What screen readers heard last (the verdict or the presenter's ending) follows the language.
  expect(await page.locator('#announcer').textContent()).toMatch(/^[^A-Za-z]+[.:]?[^A-Za-z]*$/)
  expect(await untranslated.count()).toBe(0)
  await page.getByRole('tab', { name: 'Спробуйте самі' }).click()
  await page.selectOption('#try-service', 'ua-demographic-register')
  const help = page.locator('.try-form .hint').first()
  await expect.poll(() => help.textContent()).toMatch(/^УНЗР/)
  // The spec's Markdown is rendered: `YYYYMMDD` is code, not backticks.
  expect(await help.locator('code').allTextContents()).toEqual(['YYYYMMDD'])
  expect(await untranslated.count()).toBe(0)
  await page.getByRole('button', { name: 'Eesti' }).click()
  await expect.poll(() => help.textContent()).toMatch(/^UNZR \(kirje/)
  expect(await page.locator('#try-operation option').first().textContent()).toContain(
    'Isik UNZR-i järgi',
  )
  await page.getByRole('tab', { name: 'Kaart' }).click()
  expect((await lines('svg.map .instance-name'))[0]).toBe('Eesti (X-tee testkeskkond)')
  expect(await untranslated.count()).toBe(0)
  await page.getByRole('button', { name: 'English' }).click()
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

maybe(
  "puts a refusal on the side that refused and says why in the visitor's language",
  async () => {
    const { page } = browser
    await page.getByRole('button', { name: 'Українська' }).click()
    await page.getByRole('tab', { name: 'Спробуйте самі' }).click()
    await page.selectOption('#try-service', 'ua-demographic-register')
    await expect.poll(() => page.locator('#try-operation').inputValue()).toBe('getPersonByUnzr')
    await page.selectOption('#try-client', 'FI-TEST/GOV/1234567-1/client')
    await page.locator('#try-send').click()
    // The answer replaces the last call's: wait for the refusal to be explained.
    await expect.poll(() => page.locator('.try-result .why').count(), { timeout: 10_000 }).toBe(1)
    // Finland's server only passed the refusal back; Ukraine's refused, and says it in Ukrainian.
    expect(await page.locator('.try-result .try-step.refused').count()).toBe(1)
    expect(await page.locator('.try-result .relayed').count()).toBe(1)
    expect(await page.locator('.try-result .why').textContent()).toBe(
      'Сервер безпеки інстанції «Україна (тестове середовище Трембіти)» не приймає клієнтів інстанції «Фінляндія (тестове середовище)»: SEVDEIR-TEST не має FI-TEST серед інстанцій, з якими федерується (allowed-federations).',
    )
    await page.getByRole('button', { name: 'English' }).click()
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

maybe(
  'never calls a level a shorter run did not test a drop, and says it was not tested',
  async () => {
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
    // Each untested check names the story that applied it in the full run, one press away.
    const testWith = page.locator('.scorecard[data-profile="ua-diia"] [data-test-with]')
    expect(
      await testWith.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.testWith)),
    ).toEqual(expect.arrayContaining(['no-access-right']))
    // No failed check, yet levels went untested: no tick claiming all is well.
    expect(await page.locator('.results .all-passed').count()).toBe(0)
    expect(await page.locator('.results .none-failed').textContent()).toBe(
      'No check failed. Not every level was tested in this run: the scorecards name what would test it.',
    )
  },
)

maybe('loads nothing from outside the sandbox and logs no error', () => {
  expect(browser.watch.foreignRequests).toEqual([])
  expect(browser.watch.errors).toEqual([])
})
