// A partner whose service is down, slow, or answers garbage gets a scored failure that says why,
// and the run goes on to the end.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { RunReport } from '../runner/types.ts'
import { failures, readReport, sild } from './fixtures/partner-kit/index.ts'

const PARTNER = fileURLToPath(new URL('./fixtures/partner-faults/partner.yaml', import.meta.url))
const MB = 1024 * 1024

/** A partner gone wrong, one way per path prefix. */
const faultyRegisters = (): Server =>
  createServer((req, res) => {
    const kind = (req.url ?? '').split('/')[1]
    if (kind === 'slow') {
      const timer = setTimeout(() => res.end('{}'), 5_000)
      res.on('close', () => clearTimeout(timer))
      return
    }
    if (kind === 'html') {
      res.writeHead(200, { 'content-type': 'text/html' })
      res.end('<html><body><h1>It works!</h1></body></html>')
      return
    }
    if (kind === 'huge') {
      res.writeHead(200, { 'content-type': 'application/json' })
      const chunk = Buffer.alloc(MB, 0x20)
      let sent = 0
      const more = () => {
        while (sent < 50 && !res.destroyed) {
          sent++
          if (!res.write(chunk)) return void res.once('drain', more)
        }
        res.end()
      }
      more()
      return
    }
    if (kind === 'hangup') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '5000' })
      res.write('{"personalCode":"3850')
      setImmediate(() => req.socket.destroy())
      return
    }
    res.writeHead(404).end()
  })

let dir: string
let server: Server
let base: string
let closedPort: number
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sild-partner-faults-'))
  server = faultyRegisters()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const gone = createServer()
  await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', resolve))
  closedPort = (gone.address() as AddressInfo).port
  await new Promise<void>((resolve) => gone.close(() => resolve()))
})
afterAll(() => {
  server.closeAllConnections()
  server.close()
  rmSync(dir, { recursive: true, force: true })
})

let n = 0
const runAgainst = async (
  url: string,
  partner = PARTNER,
): Promise<{ code: number; report: RunReport }> => {
  const path = join(dir, `report-${++n}.json`)
  const { code } = await sild(
    'run',
    '--partner',
    partner,
    '--target',
    `md-population-register=${url}`,
    '--report',
    `json=${path}`,
  )
  return { code, report: readReport(path) }
}

/** The first failure of the portal's first read, where every fault shows first. */
const firstFinding = (report: RunReport) => {
  const step = report.scenarios[0]?.workflows[0]?.steps[0]
  return step?.failures.map((f) => `${f.check}: ${f.message}`)[0]
}

const expectScoredAndFinished = (code: number, report: RunReport, level = 0) => {
  expect(code).toBe(1)
  expect(report.complete).toBe(true)
  // Every workflow of the profile ran, though the provider never answered well.
  const workflows = report.scenarios[0]?.workflows ?? []
  expect(workflows).toHaveLength(7)
  expect(workflows.every((w) => w.steps.length > 0)).toBe(true)
  expect(report.scorecards.map((c) => `${c.party} ${c.profile}`)).toEqual([
    'md-test ee-population-register',
  ])
  expect(report.scorecards[0]?.level).toBe(level)
}

test('a partner whose service is down is refused with the network error, scored', async () => {
  const { code, report } = await runAgainst(`http://127.0.0.1:${closedPort}/population`)
  expectScoredAndFinished(code, report)
  expect(firstFinding(report)).toMatch(
    /^reachable: the security server could not get an answer from the provider: server\.serverproxy\.network_error ".*ECONNREFUSED.*" \(status 500\)$/,
  )
})

test('a partner that answers too slowly times out, scored', async () => {
  const { code, report } = await runAgainst(`${base}/slow`)
  expectScoredAndFinished(code, report)
  expect(firstFinding(report)).toBe(
    'reachable: the security server could not get an answer from the provider: server.serverproxy.io_error "Read timed out" (status 500)',
  )
})

test('a partner that answers HTML instead of JSON fails the contract, scored', async () => {
  const { code, report } = await runAgainst(`${base}/html`)
  // It is reachable and speaks the protocol (level 1); its answers break the contract.
  expectScoredAndFinished(code, report, 1)
  const found = failures(report).filter((f) => f.check === 'contentTypeConformance')
  expect(found[0]?.message).toMatch(/text\/html/)
  expect(found[0]?.message).toMatch(/declared for getPerson status 200/)
})

test('a partner that sends a 50 MB body is cut off at the limit, scored', async () => {
  // Time enough to read past the limit however busy the machine is: the size decides, not a clock.
  const patient = join(dir, 'patient-partner.yaml')
  writeFileSync(
    patient,
    readFileSync(PARTNER, 'utf8').replace('timeoutMs: 300', 'timeoutMs: 60000'),
  )
  const { code, report } = await runAgainst(`${base}/huge`, patient)
  expectScoredAndFinished(code, report)
  expect(firstFinding(report)).toMatch(
    /^reachable: the security server could not get an answer from the provider: server\.serverproxy\.logging_failed "Message size exceeds maximum loggable size" \(status 500\)$/,
  )
})

test('a partner that closes the connection mid-response is a network error, scored', async () => {
  const { code, report } = await runAgainst(`${base}/hangup`)
  expectScoredAndFinished(code, report)
  expect(firstFinding(report)).toMatch(
    /^reachable: the security server could not get an answer from the provider: server\.serverproxy\.network_error ".+" \(status 500\)$/,
  )
})
