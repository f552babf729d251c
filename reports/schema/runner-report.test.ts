import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, test, vi } from 'vitest'
import { main } from '../../cli/main.ts'
import { KEY_FILES } from '../../cli/keygen.ts'
import { readEd25519Key, verifyCertificate } from '../certificate/index.ts'
import { validateRunReport } from './index.ts'

// A real run of every bundled scenario, through `sild run` with every report and a certificate:
// only the whole suite tests every level of ee-test's profiles, so only it can be certified.
const scenario = (name: string) =>
  fileURLToPath(new URL(`../../scenarios/${name}.arazzo.yaml`, import.meta.url))
const TWO_SCENARIOS = [
  scenario('no-access-right'),
  scenario('estonian-bank-checks-ukrainian-counterparty'),
]

let dir: string
let code: number

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sild-live-report-'))
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
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
  vi.restoreAllMocks()
}, 120_000)

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
})

test(`a report written by sild run validates against the schema`, async () => {
  expect(code).toBe(0)
  const result = validateRunReport(JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')))
  expect(result.ok ? [] : result.problems).toEqual([])
})

test(`sild run writes every format and a certificate that verifies`, async () => {
  const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as {
    scenarios: Array<{ id: string }>
  }
  expect(await readFile(join(dir, 'report.junit'), 'utf8')).toContain(
    '<testsuite name="no-access-right"',
  )
  expect(await readFile(join(dir, 'report.html'), 'utf8')).toContain('<svg class="sequence"')
  expect(await readFile(join(dir, 'report.markdown'), 'utf8')).toContain('| ee-test |')
  const publicKey = readEd25519Key(
    await readFile(join(dir, KEY_FILES.public), 'utf8'),
    'public',
    KEY_FILES.public,
  )
  const result = verifyCertificate(await readFile(join(dir, 'certificate.json')), publicKey)
  expect(result.ok ? result.signed.certificate.scenarios.map((s) => s.id) : result.problem).toEqual(
    report.scenarios.map((s) => s.id),
  )
  expect(await readFile(join(dir, 'certificate.json.html'), 'utf8')).toContain('ee-test')
})

test(`refuses a certificate, with exit 1 and the reason, for a run that left a level untested`, async () => {
  const errors: string[] = []
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
  vi.spyOn(process.stderr, 'write').mockImplementation((text) => {
    errors.push(String(text))
    return true
  })
  const file = join(dir, 'partial.cert.json')
  const partial = await main([
    'run',
    ...TWO_SCENARIOS,
    '--certificate',
    `ee-test=${file}`,
    '--signing-key',
    join(dir, KEY_FILES.private),
  ])
  vi.restoreAllMocks()
  expect(partial).toBe(1)
  expect(existsSync(file)).toBe(false)
  expect(errors.join('')).toMatch(
    /no certificate written to .*partial\.cert\.json: ee-test × ee-business-register: level \d was not tested in this run: .* never applied/,
  )
})
