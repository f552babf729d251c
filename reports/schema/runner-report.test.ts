import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, test, vi } from 'vitest'
import { main } from '../../cli/main.ts'
import { KEY_FILES } from '../../cli/keygen.ts'
import type { RunReport, Scorecard } from '../../runner/types.ts'
import { validateRunReport } from './index.ts'

// A real run of every bundled scenario, through `sild run` with every report and a certificate
// asked for. Every profile reaches level 4, and every one was answered by Sild's own mocks and
// simulated security servers: the sandbox at work, which no certificate may state.
const scenario = (name: string) =>
  fileURLToPath(new URL(`../../scenarios/${name}.arazzo.yaml`, import.meta.url))

let dir: string
let code: number
let errors: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sild-live-report-'))
  const captured: string[] = []
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
  vi.spyOn(process.stderr, 'write').mockImplementation((text) => {
    captured.push(String(text))
    return true
  })
  await main(['keygen', '--out', dir])
  code = await main([
    'run',
    ...['json', 'junit', 'html', 'markdown'].flatMap((f) => [
      '--report',
      `${f}=${join(dir, `report.${f}`)}`,
    ]),
    '--certificate',
    `ee-test=${join(dir, 'certificate.json')}`,
    '--signing-key',
    join(dir, KEY_FILES.private),
  ])
  errors = captured.join('')
  vi.restoreAllMocks()
}, 120_000)

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
})

const readReport = async (): Promise<RunReport> =>
  JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as RunReport

const card = (report: RunReport, party: string, profile: string): Scorecard | undefined =>
  report.scorecards.find((c) => c.party === party && c.profile === profile)

test(`a report written by sild run validates against the schema`, async () => {
  const report = await readReport()
  expect(report.summary.scenarios).toEqual({ pass: 18, fail: 0, error: 0, skip: 0 })
  const result = validateRunReport(report)
  expect(result.ok ? [] : result.problems).toEqual([])
})

test(`sild run writes every format`, async () => {
  expect(await readFile(join(dir, 'report.junit'), 'utf8')).toContain(
    '<testsuite name="no-access-right"',
  )
  const html = await readFile(join(dir, 'report.html'), 'utf8')
  expect(html).toContain('<svg class="sequence"')
  expect(html).toContain('<p class="sandbox">Every scorecard here was answered by Sild itself')
  const markdown = await readFile(join(dir, 'report.markdown'), 'utf8')
  expect(markdown).toContain('| ee-test |')
  expect(markdown).toContain('_Every scorecard here was answered by Sild itself')
})

test("refuses to certify the sandbox's own mocks at level 4, with exit 1, naming the mock", async () => {
  expect(code).toBe(1)
  expect(existsSync(join(dir, 'certificate.json'))).toBe(false)
  expect(errors).toMatch(
    /no certificate written to .*certificate\.json: ee-test × ee-business-register was answered by Sild's own mock of ee-business-register, not by an implementation/,
  )
  const report = await readReport()
  expect(report.scorecards.every((c) => c.level === 4 && c.answeredBySild)).toBe(true)
  expect(card(report, 'ee-test', 'ee-population-register')?.answeredBySild).toEqual({
    mocks: ['ee-population-register'],
    securityServer: false,
  })
  expect(card(report, 'ee-test', 'metaservices')?.answeredBySild).toEqual({
    mocks: [],
    securityServer: true,
  })
})

test("records the provider of Diia's acquirer API, which no security server publishes", async () => {
  const report = await readReport()
  expect(report.providers).toContainEqual({
    service: 'ua-diia',
    key: 'SEVDEIR-TEST/GOV/43220851/DIIA/acquirer-api',
    party: 'SEVDEIR-TEST',
    url: 'mock',
    target: false,
  })
  expect(card(report, 'SEVDEIR-TEST', 'ua-diia')?.answeredBySild?.mocks).toEqual(['ua-diia'])
})

test("refuses a party whose metaservices only Sild's simulated security server answered", async () => {
  const captured: string[] = []
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
  vi.spyOn(process.stderr, 'write').mockImplementation((text) => {
    captured.push(String(text))
    return true
  })
  const file = join(dir, 'discovery.cert.json')
  const refused = await main([
    'run',
    scenario('service-discovery'),
    '--certificate',
    `SEVDEIR-TEST=${file}`,
    '--signing-key',
    join(dir, KEY_FILES.private),
  ])
  vi.restoreAllMocks()
  expect(refused).toBe(1)
  expect(existsSync(file)).toBe(false)
  expect(captured.join('')).toMatch(
    /no certificate written to .*discovery\.cert\.json: SEVDEIR-TEST × metaservices was answered by Sild's simulated security server, not by SEVDEIR-TEST's own/,
  )
})
