import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect } from 'vitest'
import { openBrowser, type BrowserSession } from './dashboard/browser.ts'
import { browserTest, skipBrowserTests } from './helpers/chromium.ts'
import { startServe, type ServeProcess } from './helpers/serve-process.ts'

// The map as a presenter's screen shows it: at 1024, 1440 and 1920 px, in every language, with
// the bundled federation and with a partner instance added, nothing is cut, nothing overlaps the
// map and the arcs stay in view. Measured on the page's own boxes, in a real browser.

const PARTNER = fileURLToPath(new URL('../examples/partner-md/partner.yaml', import.meta.url))
const WIDTHS = [1024, 1440, 1920]
const LANGUAGES = ['en', 'uk', 'et']

let dir: string
const serves: ServeProcess[] = []
let browser: BrowserSession

beforeAll(async () => {
  if (skipBrowserTests) return
  dir = await mkdtemp(join(tmpdir(), 'sild-layout-'))
  await mkdir(join(dir, 'bundled'))
  await mkdir(join(dir, 'partner'))
  serves.push(
    await startServe(join(dir, 'bundled')),
    await startServe(join(dir, 'partner'), ['--partner', PARTNER]),
  )
  browser = await openBrowser('http://127.0.0.1')
}, 60_000)

afterAll(async () => {
  await browser?.close()
  for (const serve of serves) if (serve.child.exitCode === null) await serve.stop('SIGTERM')
  if (dir) await rm(dir, { recursive: true, force: true })
})

type Box = { left: number; right: number; top: number; bottom: number }

/** What is wrong with the map as drawn: each problem named, so a failure says what and where. */
const layoutProblems = () => {
  const box = (el: Element): Box => {
    const r = el.getBoundingClientRect()
    return { left: r.left, right: r.right, top: r.top, bottom: r.bottom }
  }
  const overlap = (a: Box, b: Box) =>
    a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1
  const problems: string[] = []
  const svg = document.querySelector('svg.map') as SVGSVGElement
  const map = box(svg)
  const legend = document.querySelector('.legend')
  if (legend && overlap(box(legend), map)) problems.push('the legend overlaps the map')
  for (const text of svg.querySelectorAll(
    '.instance-name, .member-name, .subsystem-name, .service-code, .ss-name',
  )) {
    if (text.textContent?.includes('…')) problems.push(`cut: ${text.textContent}`)
    const container =
      text.closest('.member')?.querySelector('.member-box') ??
      text.closest('.instance')?.querySelector('.panel')
    if (container) {
      const c = box(container)
      const t = box(text)
      if (t.left < c.left - 1 || t.right > c.right + 1)
        problems.push(`outside its box: ${text.textContent}`)
    }
  }
  for (const arc of svg.querySelectorAll('path.federation')) {
    if (box(arc).top < map.top - 1) problems.push('a federation arc runs off the top of the map')
  }
  const labels = [...svg.querySelectorAll('.label-bg')].map(box)
  labels.forEach((a, i) => {
    for (const b of labels.slice(i + 1))
      if (overlap(a, b)) problems.push('two federation labels overlap')
  })
  for (const button of document.querySelectorAll('header.top button')) {
    const b = box(button)
    if (b.right > window.innerWidth || b.left < 0)
      problems.push(`off screen: ${button.textContent}`)
  }
  return problems
}

// Partner instances beyond the first, as a federation that several partners joined declares them:
// each a copy of md-test under its own code and a long official name, federated both ways with the
// sandbox's instances as md-test is.
const MORE_PARTNERS: Array<[string, string]> = [
  ['ge-test', 'Georgia (Georgian Data Exchange Bus test environment)'],
  ['am-test', 'Armenia (Interoperability Platform of the Republic of Armenia, test)'],
]

type FederationJson = {
  instances: Array<{ code: string; name: string }>
  links: Array<{ a: string; b: string; aAcceptsB: boolean; bAcceptsA: boolean }>
}

/** The partner serve's map data with `count` more partner instances, served to the page. */
const withMorePartners = async (origin: string, count: number) => {
  const base = (await (await fetch(`${origin}/api/federation`)).json()) as FederationJson
  const md = base.instances.find((i) => i.code === 'md-test')
  if (!md) throw new Error('the partner serve has no md-test instance')
  const added = MORE_PARTNERS.slice(0, count)
  const instances = added.map(([code, name]) => ({
    ...(JSON.parse(JSON.stringify(md).replaceAll('md-test', code)) as typeof md),
    name,
  }))
  const links = [
    ...base.links,
    ...added.flatMap(([code]) =>
      base.links
        .filter((l) => l.a === 'md-test' || l.b === 'md-test')
        .map((l) => JSON.parse(JSON.stringify(l).replaceAll('md-test', code)) as typeof l),
    ),
  ]
  await browser.page.route('**/api/federation', (route) =>
    route.fulfill({ json: { ...base, instances: [...base.instances, ...instances], links } }),
  )
}

const check = async (origin: string, instances: number) => {
  const { page } = browser
  const found: Record<string, string[]> = {}
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 })
    for (const lang of LANGUAGES) {
      await page.goto(`${origin}/?lang=${lang}#map`)
      await page.waitForSelector('body[data-ready="true"]', { state: 'attached' })
      await expect.poll(() => page.locator('svg.map .instance').count()).toBe(instances)
      // The labels size themselves on the next frame.
      await page.evaluate(
        () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
      )
      const problems = await page.evaluate(layoutProblems)
      if (problems.length) found[`${width}px ${lang}`] = problems
    }
  }
  return found
}

browserTest(
  'lays out the bundled federation at 1024, 1440 and 1920 px in every language',
  async () => {
    expect(await check(serves[0]?.ready.dashboard ?? '', 3)).toEqual({})
  },
  60_000,
)

browserTest(
  'lays out the federation with a partner instance added, in every language',
  async () => {
    expect(await check(serves[1]?.ready.dashboard ?? '', 4)).toEqual({})
  },
  60_000,
)

browserTest(
  'lays out the federation with two and three partner instances, in every language',
  async () => {
    const origin = serves[1]?.ready.dashboard ?? ''
    try {
      await withMorePartners(origin, 1)
      expect(await check(origin, 5)).toEqual({})
      await browser.page.unrouteAll()
      await withMorePartners(origin, 2)
      expect(await check(origin, 6)).toEqual({})
    } finally {
      await browser.page.unrouteAll()
    }
  },
  120_000,
)
