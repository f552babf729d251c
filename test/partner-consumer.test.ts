// The consumer role: md-test's portal calls the sandbox's security server of its own instance;
// every request is scored, live and from the message log.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { servePartner, watchPartnerClients } from '../cli/partner.ts'
import { createPortalClient, PORTAL } from '../examples/partner-md/client.ts'
import { createMessageLog } from '../mocks/message-log/index.ts'
import { createSandbox, type Sandbox } from '../mocks/sandbox/index.ts'
import { validateRunReport } from '../reports/schema/index.ts'
import { cards, failures, readReport, sild } from './fixtures/partner-kit/index.ts'

const EXAMPLE = fileURLToPath(new URL('../examples/partner-md/partner.yaml', import.meta.url))

let dir: string
let logFile: string
let sandbox: Sandbox
const live: string[] = []

/** A request as md-test's portal might send it, straight to md-test's security server. */
const raw = (path: string, headers: Record<string, string> = {}) =>
  sandbox.dispatcher.fetch(`${sandbox.urls.securityServers['md-test']}${path}`, {
    headers: { accept: 'application/json', ...headers },
  })

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sild-partner-consumer-'))
  logFile = join(dir, 'message-log.jsonl')
  const world = servePartner({ partner: EXAMPLE })
  if (!world) throw new Error('no partner world')
  sandbox = await createSandbox({
    federation: world.federationModel,
    log: await createMessageLog({ file: logFile }),
  })
  const stop = watchPartnerClients(sandbox, world.instance, (line) => live.push(line))
  const portal = createPortalClient({
    securityServer: sandbox.urls.securityServers['md-test'] as string,
    fetch: (url, init) => sandbox.dispatcher.fetch(url as string, init),
  })
  await portal.estonianPerson('48001013546')
  await portal.ukrainianEntity('38123450')
  await portal.estonianPerson('48001013547').catch(() => undefined)
  await raw('/r1/ee-test/GOV/70008440/rr/population/persons/48001013546')
  await raw('/r1/ee-test/GOV/70000349/emta/tax/tax-debts/persons/48001013546', {
    'X-Road-Client': PORTAL,
  })
  await raw('/r1/SEVDEIR-TEST/GOV/00015622/EDR/LegalEntities_v1/legal-entities/38123450', {
    'X-Road-Client': PORTAL,
  })
  await raw('/r1/ee-test/GOV/70008440/rr/populace/persons/48001013546', { 'X-Road-Client': PORTAL })
  // The live scoring runs after each append; let its queue drain before the log closes.
  await new Promise((resolve) => setTimeout(resolve, 50))
  stop()
  await sandbox.close()
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('scores every request of the partner client from the message log, per service called', async () => {
  const path = join(dir, 'consumer.json')
  const { code } = await sild(
    'report',
    'consumer',
    '--partner',
    EXAMPLE,
    '--log',
    logFile,
    '--report',
    `json=${path}`,
  )
  const report = readReport(path)
  expect(code).toBe(1)
  expect(cards(report)).toEqual([
    'md-test consumer:ee-population-register 0 85.7',
    'md-test consumer:ee-tax-board 2 83.3',
    'md-test consumer:ua-legal-entities-register 2 96.2',
    'md-test consumer:unknown-service 1 75',
  ])
  expect(report.scenarios[0]?.workflows.flatMap((w) => w.steps).length).toBe(7)
  // A canonical sild.report/v1: every report format and the certificate read it.
  expect(validateRunReport(report).ok).toBe(true)
})

test("names each of the client's mistakes with its check", async () => {
  const path = join(dir, 'consumer-2.json')
  await sild(
    'report',
    'consumer',
    '--partner',
    EXAMPLE,
    '--log',
    logFile,
    '--report',
    `json=${path}`,
  )
  const found = failures(readReport(path)).map((f) => `${f.check}: ${f.message}`)
  expect(found).toEqual([
    'requestContractConformance: getPerson: path.personalCode: check digit 7 does not match (expected 6)',
    'clientHeaderWellFormed: the request has no X-Road-Client header: send the X-Road-Client header: INSTANCE/CLASS/MEMBER[/SUBSYSTEM]',
    'purposeDeclared: getLegalEntity returns personal data from Trembita; send Uxp-Purpose-Ids with the declared purpose',
    'accessRightHeld: md-test/GOV/1010600034821/portal holds no right for GET /tax-debts/persons/48001013546 on ee-test/GOV/70000349/emta/tax; declare it among the rights the partner needs, once the provider grants it',
    'serviceKnown: no service ee-test/GOV/70008440/rr/populace in the federation (Server.ServerProxy.UnknownService)',
  ])
})

test('scores the requests live, one line each, as the security server logs them', () => {
  const marks = live.map((line) => line.slice(0, 1))
  expect(marks).toEqual(['✓', '✓', '✗', '✗', '✗', '✗', '✗'])
  expect(live[0]).toMatch(
    /^✓ md-test client md-test\/GOV\/1010600034821\/portal GET ee-test\/GOV\/70008440\/rr\/population\/persons\/48001013546 → 200 \(6\/6 checks\)/,
  )
  expect(live[4]).toMatch(
    /\n {4}accessRightHeld \[level 3\]: md-test\/GOV\/1010600034821\/portal holds no right/,
  )
})

test('has nothing to score for a partner whose clients sent nothing', async () => {
  const empty = join(dir, 'empty.jsonl')
  const log = await createMessageLog({ file: empty })
  await log.close()
  const { code, stdout } = await sild('report', 'consumer', '--partner', EXAMPLE, '--log', empty)
  expect(code).toBe(1)
  expect(stdout).toMatch(/No request of md-test's clients/)
})

test('prints curl lines for the running sild serve that its security server answers as it did', async () => {
  const { stdout } = await sild('report', 'consumer', '--partner', EXAMPLE, '--log', logFile)
  expect(stdout).toContain(
    `The curl lines call the security server of \`npx sild serve --partner ${EXAMPLE}\` on ports from 4400`,
  )
  const curls = [...stdout.matchAll(/Reproduce with: (curl .*)/g)].map((m) => m[1] as string)
  expect(curls.length).toBe(5)
  const sandbox = await createSandbox({
    federation: servePartner({ partner: EXAMPLE })!.federationModel,
  })
  try {
    for (const curl of curls) {
      const url = /curl -sS -i '([^']+)'/.exec(curl)?.[1] ?? ''
      const headers = [...curl.matchAll(/-H '([^:]+): ([^']*)'/g)].map(
        (m) => [m[1] ?? '', m[2] ?? ''] as const,
      )
      // md-test comes after the three bundled instances: sild serve gives its security server
      // the fourth port after the dashboard's.
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:4404\/r1\//)
      // Headers the consumer security server sets itself are not the client's to send.
      expect(headers.map(([name]) => name)).not.toContain('x-road-request-id')
      expect(
        headers.filter(([name, value]) => name === 'x-road-id' && /^md-test-/.test(value)),
      ).toEqual([])
      const path = new URL(url).pathname
      const answer = await sandbox.dispatcher.fetch(
        `${sandbox.urls.securityServers['md-test']}${path}`,
        {
          headers: Object.fromEntries(headers),
        },
      )
      const logged = new RegExp(
        `→ .*: HTTP (\\d+)\\n  Reproduce with: ${curl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`,
      )
      expect(String(answer.status)).toBe(logged.exec(stdout)?.[1])
    }
  } finally {
    await sandbox.close()
  }
})

test('keeps the scorecard table in line however long a profile is', async () => {
  const { stdout } = await sild('report', 'consumer', '--partner', EXAMPLE, '--log', logFile)
  const table = stdout.slice(stdout.indexOf('Scorecards'))
  const rows = table.split('\n').filter((line) => /^ {2}(party|md-test) /.test(line))
  expect(rows.length).toBe(5)
  // Fixed-width columns: the header and every row end at the score column's right edge.
  expect(new Set(rows.map((row) => row.length)).size).toBe(1)
})
