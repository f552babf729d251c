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

// A real run of two bundled scenarios, through `sild run` with every report and a certificate.
const scenario = (name: string) =>
  fileURLToPath(new URL(`../../scenarios/${name}.arazzo.yaml`, import.meta.url))
const SCENARIOS = [
  scenario('no-access-right'),
  scenario('estonian-bank-checks-ukrainian-counterparty'),
]
const bundled = SCENARIOS.every((file) => existsSync(file))

let dir: string
let code: number

beforeAll(async () => {
  if (!bundled) return
  dir = await mkdtemp(join(tmpdir(), 'sild-live-report-'))
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
  await main(['keygen', '--out', dir])
  code = await main([
    'run',
    ...SCENARIOS,
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

const needs = '(needs the bundled scenarios)'

test.skipIf(!bundled)(
  `a report written by sild run validates against the schema ${needs}`,
  async () => {
    expect(code).toBe(0)
    const result = validateRunReport(JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')))
    expect(result.ok ? [] : result.problems).toEqual([])
  },
)

test.skipIf(!bundled)(
  `sild run writes every format and a certificate that verifies ${needs}`,
  async () => {
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
    expect(
      result.ok ? result.signed.certificate.scenarios.map((s) => s.id) : result.problem,
    ).toEqual(report.scenarios.map((s) => s.id))
    expect(await readFile(join(dir, 'certificate.json.html'), 'utf8')).toContain('ee-test')
  },
)
