// A spec team records real traffic to its own mocked specs (GovStack Consent and Digital
// Registries, served with provider: mock) and replays the recording: sild run must be green
// against the same specs.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { startSandboxServers, type SandboxServers } from '../cli/sandbox-servers.ts'
import type { Har } from '../runner/record/index.ts'
import { loadPartnerFederation } from '../specs/partner/index.ts'
import { readReport, sild } from './fixtures/partner-kit/index.ts'

const PARTNER = fileURLToPath(new URL('./fixtures/govstack/partner.yaml', import.meta.url))
const CLIENT = 'gs-test/GOV/70000001/portal'
const CONSENT = 'gs-test/GOV/70000001/consent/consent'
const REGISTRIES = 'gs-test/GOV/70000001/registries/data'

// What a portal sends: trailing-slash paths, a path parameter, the Digital Registries' declared
// Information-Mediator-Client header with a query, and a call to the service root, which is no
// operation of the spec.
const CALLS: Array<{ service: string; path: string; headers: Record<string, string> }> = [
  { service: CONSENT, path: '/config/individuals/', headers: { accept: 'application/json' } },
  { service: CONSENT, path: '/config/individual/ind-7/', headers: {} },
  {
    service: REGISTRIES,
    path: '/data/myPersonalDataUsage?userId=EE378129277266&databaseId=MCTS',
    headers: {
      accept: 'application/json',
      'information-mediator-client': 'eGovStack/GOV/90000009/digitalregistries',
    },
  },
  { service: REGISTRIES, path: '', headers: {} },
]

let dir: string
let har: Har
let statuses: number[]
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sild-record-own-spec-'))
  const servers: SandboxServers = await startSandboxServers({
    portBase: 0,
    federationModel: loadPartnerFederation(PARTNER).federation,
    log: join(dir, 'message-log.jsonl'),
  })
  try {
    const base = servers.ready.securityServers['gs-test']
    const entries = []
    for (const call of CALLS) {
      const url = `${base}/r1/${call.service}${call.path}`
      const headers = { 'x-road-client': CLIENT, ...call.headers }
      const response = await fetch(url, { headers })
      const text = await response.text()
      entries.push({
        request: {
          method: 'GET',
          url,
          headers: Object.entries(headers).map(([name, value]) => ({ name, value })),
        },
        response: {
          status: response.status,
          headers: [...response.headers].map(([name, value]) => ({ name, value })),
          content: { mimeType: response.headers.get('content-type') ?? '', text },
        },
      })
    }
    har = { log: { entries } }
    statuses = entries.map((e) => e.response.status)
    writeFileSync(join(dir, 'traffic.har'), JSON.stringify(har))
  } finally {
    await servers.close()
  }
}, 120_000)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('the recorded traffic reached both mocked specs through the security server', () => {
  expect(statuses).toEqual([200, 200, 200, 404])
})

test('sild record of a HAR file gives a scenario that sild run replays green against the same specs', async () => {
  const scenario = join(dir, 'from-har.arazzo.yaml')
  const recorded = await sild(
    'record',
    '--from-har',
    join(dir, 'traffic.har'),
    '--partner',
    PARTNER,
    '--out',
    scenario,
  )
  expect(recorded.stderr).toBe('')
  expect(recorded.stdout).toMatch(/^Recorded 3 exchange\(s\)/)
  expect(recorded.stdout).toContain('HAR entry 4: skipped, GET / is no operation of gs-registries')
  // The declared header is replayed as recorded, Accept is left to the runner's default.
  const text = readFileSync(scenario, 'utf8')
  expect(text).toMatch(
    /name: Information-Mediator-Client\n\s+in: header\n\s+value: eGovStack\/GOV\/90000009\/digitalregistries/,
  )
  const report = join(dir, 'from-har.json')
  const run = await sild('run', scenario, '--partner', PARTNER, '--report', `json=${report}`)
  const steps = readReport(report).scenarios.flatMap((s) => s.workflows.flatMap((w) => w.steps))
  expect(steps.map((s) => [s.stepId, s.state])).toEqual([
    ['configIndividualList1', 'pass'],
    ['configIndividualRead1', 'pass'],
    ['DPU1', 'pass'],
  ])
  expect(run.code).toBe(0)
}, 120_000)

test('sild record of the message log gives a scenario that sild run replays green', async () => {
  const scenario = join(dir, 'from-log.arazzo.yaml')
  const recorded = await sild(
    'record',
    '--from-log',
    join(dir, 'message-log.jsonl'),
    '--partner',
    PARTNER,
    '--out',
    scenario,
  )
  expect(recorded.stderr).toBe('')
  expect(recorded.stdout).toMatch(/^Recorded 3 exchange\(s\)/)
  expect(recorded.stdout).toMatch(/skipped, GET \/ is no operation of gs-registries/)
  const report = join(dir, 'from-log.json')
  const run = await sild('run', scenario, '--partner', PARTNER, '--report', `json=${report}`)
  const steps = readReport(report).scenarios.flatMap((s) => s.workflows.flatMap((w) => w.steps))
  expect(steps.every((s) => s.state === 'pass')).toBe(true)
  expect(steps).toHaveLength(3)
  expect(run.code).toBe(0)
}, 120_000)
