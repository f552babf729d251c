// Record and replay: logged exchanges (or a HAR file) become an Arazzo scenario whose expectations
// are the recorded answers; replaying it against another implementation lists what differs.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { startPartnerServer, type PartnerServer } from '../examples/partner-md/server.ts'
import { createSandbox } from '../mocks/sandbox/index.ts'
import type { Har } from '../runner/record/index.ts'
import type { RunReport } from '../runner/types.ts'
import { loadFederation } from '../specs/federation/index.ts'
import { failures, readReport, sild, targets } from './fixtures/partner-kit/index.ts'
import { startDefectivePartner } from './fixtures/partner-md-defective/server.ts'

const EXAMPLE = fileURLToPath(new URL('../examples/partner-md/partner.yaml', import.meta.url))
const E_RESIDENCY_STORY = fileURLToPath(
  new URL('../scenarios/e-residency-background-check-fails.arazzo.yaml', import.meta.url),
)

let dir: string
let good: PartnerServer
let defective: PartnerServer
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sild-record-replay-'))
  ;[good, defective] = await Promise.all([startPartnerServer(), startDefectivePartner()])
})
afterAll(async () => {
  await Promise.all([good.close(), defective.close()])
  rmSync(dir, { recursive: true, force: true })
})

let n = 0
const run = async (...args: string[]): Promise<{ code: number; report: RunReport }> => {
  const path = join(dir, `report-${++n}.json`)
  const { code } = await sild('run', ...args, '--report', `json=${path}`)
  return { code, report: readReport(path) }
}

/** The steps whose recorded expectations no longer hold. */
const differingSteps = (report: RunReport): string[] =>
  report.scenarios.flatMap((s) =>
    s.workflows.flatMap((w) =>
      w.steps
        .filter((st) => st.failures.some((f) => f.check === 'successCriteria'))
        .map((st) => st.stepId),
    ),
  )

test('a stateful cross-border story recorded against the mocks replays without a difference', async () => {
  const log = join(dir, 'e-residency.jsonl')
  expect((await sild('run', E_RESIDENCY_STORY, '--log', log)).code).toBe(0)
  const scenario = join(dir, 'e-residency.arazzo.yaml')
  const recorded = await sild('record', '--from-log', log, '--out', scenario)
  expect(recorded.code).toBe(0)
  expect(recorded.stdout).toMatch(
    /^Recorded \d+ exchange\(s\) into .*e-residency\.arazzo\.yaml \(\d+ volatile field\(s\) checked by shape\)\./,
  )
  const text = readFileSync(scenario, 'utf8')
  // A generated id is checked by its shape, and the requests after it take it from its step.
  expect(text).toMatch(
    /context: \$response\.body#\/applicationId\n\s+condition: \^\[A-Z\]\{2\}-\[A-Z\]\{3\}-\[0-9\]\{4\}-\[0-9\]\{4\}\$\n\s+type: regex/,
  )
  expect(text).toMatch(/value: \$steps\.submitApplication1\.outputs\.applicationId/)
  expect(text).not.toMatch(/REDACTED/)
  const { code, report } = await run(scenario)
  expect(failures(report)).toEqual([])
  expect(code).toBe(0)
})

test("a recording of the partner's answers replays against it without a difference", async () => {
  const log = join(dir, 'partner.jsonl')
  expect((await sild('run', '--partner', EXAMPLE, ...targets(good.url), '--log', log)).code).toBe(0)
  const scenario = join(dir, 'partner.arazzo.yaml')
  const recorded = await sild(
    'record',
    '--from-log',
    log,
    '--partner',
    EXAMPLE,
    '--filter',
    'instance=md-test',
    '--out',
    scenario,
  )
  expect(recorded.stdout).toMatch(/^Recorded 18 exchange\(s\)/)
  const { code, report } = await run(scenario, '--partner', EXAMPLE, ...targets(good.url))
  expect(failures(report)).toEqual([])
  expect(code).toBe(0)
})

test('replayed against the defective copy, the recording finds each difference', async () => {
  const scenario = join(dir, 'partner.arazzo.yaml')
  const { code, report } = await run(scenario, '--partner', EXAMPLE, ...targets(defective.url))
  expect(code).toBe(1)
  expect(differingSteps(report)).toEqual([
    // No citizenship, for the portal and for the business register.
    'getPerson1',
    'getPerson2',
    // The stack trace in the three hardening probes' answers (getPerson3 is the unknown person).
    'getPerson4',
    'getPerson5',
    'getPerson6',
    // The national short name where the Latin one belongs: over Trembita, read twice by the bank,
    // and over X-tee.
    'getLegalEntity1',
    'getLegalEntity2',
    'getLegalEntity3',
    // 404 for a wrong check digit, where the register answered 400.
    'getLegalEntity5',
  ])
  // A failed check names all its findings in one message.
  const messages = failures(report).flatMap((f) => f.message.split('; '))
  expect(messages).toContain(
    "success criterion failed: $response.body#/citizenship == 'MD' failed: $response.body#/citizenship has no value (no value at /citizenship)",
  )
  expect(messages).toContain(
    "success criterion failed: $response.body#/shortNameLatin == 'Codru Vinuri SRL' failed: $response.body#/shortNameLatin is 'SRL «Codru Vinuri»'",
  )
  expect(messages).toContain(
    'success criterion failed: $statusCode == 400 failed: $statusCode is 404',
  )
})

const header = (name: string, value: string) => ({ name, value })

/** Real traffic through the sandbox's security servers, written down as a HAR file. */
const captureHar = async (): Promise<Har> => {
  const sandbox = await createSandbox({ federation: loadFederation() })
  const entries: NonNullable<NonNullable<Har['log']>['entries']> = []
  const call = async (url: string, headers: Array<{ name: string; value: string }>) => {
    const response = await sandbox.dispatcher.fetch(url, {
      headers: headers.map((h) => [h.name, h.value] as [string, string]),
    })
    const text = await response.text()
    entries.push({
      request: { method: 'GET', url, headers },
      response: {
        status: response.status,
        headers: [...response.headers].map(([name, value]) => header(name, value)),
        content: {
          mimeType: response.headers.get('content-type') ?? '',
          text: Buffer.from(text).toString('base64'),
          encoding: 'base64',
        },
      },
    })
    return text
  }
  const ee = 'http://ee-test.ss.sild.test'
  const ua = 'http://sevdeir-test.ss.sild.test'
  const portal = header('X-Road-Client', 'ee-test/GOV/70006317/eesti-ee')
  await call(`${ee}/r1/ee-test/GOV/70008440/rr/population/persons/48001013546`, [portal])
  await call(`${ua}/restapi/legal-entities/38123450`, [
    header('Uxp-Client', 'SEVDEIR-TEST/GOV/44312340/KYC'),
    header('Uxp-Service', 'SEVDEIR-TEST/GOV/00015622/EDR/LegalEntities_v1'),
    header('Uxp-Purpose-Ids', 'currency-control-related-parties'),
  ])
  // Diia's acquirer API, called directly: no security server saw it, so nothing to replay.
  const diia = sandbox.urls.services['ua-diia']
  const session = JSON.parse(
    await call(`${diia}/api/v1/auth/acquirer/sandbox-acquirer-e-residency`, []),
  ) as { token: string }
  await call(`${diia}/api/v1/acquirers/branch/branch-0001/offers`, [
    header('Authorization', `Bearer ${session.token}`),
  ])
  entries.push({
    request: { method: 'GET', url: 'https://www.eesti.ee/favicon.ico', headers: [] },
    response: { status: 200, headers: [], content: { mimeType: 'image/x-icon', text: '' } },
  })
  await sandbox.close()
  return { log: { entries } }
}

test('a HAR file of real traffic replays through the security servers without a difference', async () => {
  const har = await captureHar()
  const token = (har.log?.entries?.[3]?.request?.headers ?? [])
    .find((h) => h.name === 'Authorization')
    ?.value.slice('Bearer '.length)
  const file = join(dir, 'traffic.har')
  writeFileSync(file, JSON.stringify(har))
  const scenario = join(dir, 'har.arazzo.yaml')
  const recorded = await sild('record', '--from-har', file, '--out', scenario)
  expect(recorded.code).toBe(0)
  expect(recorded.stdout).toMatch(/^Recorded 2 exchange\(s\)/)
  expect(recorded.stdout).toMatch(
    /HAR entry 3: \/api\/v1\/auth\/acquirer\/sandbox-acquirer-e-residency is neither an X-Road \/r1\/ nor a Trembita \/restapi request/,
  )
  expect(recorded.stdout).toMatch(
    /HAR entry 5: \/favicon\.ico is neither an X-Road \/r1\/ nor a Trembita \/restapi request/,
  )
  const text = readFileSync(scenario, 'utf8')
  expect(text).toMatch(
    /name: Uxp-Client\n\s+in: header\n\s+value: SEVDEIR-TEST\/GOV\/44312340\/KYC/,
  )
  // The direct Diia session was left out, and its token with it.
  expect(token && text.includes(token)).toBe(false)
  const { code, report } = await run(scenario)
  expect(failures(report)).toEqual([])
  expect(code).toBe(0)
})

test('refuses to record when the filters leave nothing', async () => {
  const log = join(dir, 'partner.jsonl')
  const { code, stderr } = await sild(
    'record',
    '--from-log',
    log,
    '--partner',
    EXAMPLE,
    '--filter',
    'client=ee-test/GOV/1/none',
    '--out',
    join(dir, 'none.arazzo.yaml'),
  )
  expect(code).toBe(2)
  expect(stderr).toMatch(/nothing to record: \d+ exchange\(s\) read, 0 kept by the filters/)
})
