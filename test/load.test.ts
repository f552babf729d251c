import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Pool } from 'undici'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { startSandboxServers } from '../cli/sandbox-servers.ts'
import { verifyLog, type LogRecord } from '../mocks/message-log/index.ts'
import { SILD_LOG_HEADER } from '../mocks/security-server/index.ts'
import { ACCESS_DENIED } from '../specs/protocol/xroad-errors/index.ts'
import { faultCodeIn } from '../specs/protocol/xroad-versions/index.ts'
import { XROAD_HEADER } from '../specs/protocol/xroad-headers/index.ts'

// Sustained load through one security server: nothing dropped, every request logged exactly once.
const REQUESTS = 20_000
const CONNECTIONS = 50
// Every REFUSAL_EVERY-th request comes from a client without the access right.
const REFUSAL_EVERY = 100

const PORTAL = 'ee-test/GOV/70006317/eesti-ee'
const BANK = 'ee-test/COM/14001233/kyc'
const POPULATION = '/r1/ee-test/GOV/70008440/rr/population'
const BUSINESS = '/r1/ee-test/GOV/70000310/arireg/business-register'

type Call = { client: string; path: string; status: number; error?: string }

const ALLOWED: Call[] = [
  { client: PORTAL, path: `${POPULATION}/persons/48001013546`, status: 200 },
  { client: PORTAL, path: `${POPULATION}/persons/37605173650`, status: 200 },
  { client: PORTAL, path: `${POPULATION}/persons/48001013546/residence`, status: 200 },
  { client: PORTAL, path: `${POPULATION}/persons?givenName=Mari&familyName=Tamm`, status: 200 },
]
const REFUSED: Call[] = [
  // The bank holds no right on the population register at all…
  { client: BANK, path: `${POPULATION}/persons/48001013546` },
  // …and on the business register only for GET /companies/**.
  { client: BANK, path: `${BUSINESS}/founding-applications/FA-0001` },
  // ee-test runs X-Road 7.8, which writes the code in snake case.
].map((c) => ({
  ...c,
  status: ACCESS_DENIED.status,
  error: faultCodeIn(ACCESS_DENIED.code, '7.8'),
}))

// Domestic calls reach domestic services only: none of these calls another register in turn, so
// each request makes exactly one exchange and one log record.
const callFor = (i: number): Call =>
  (i % REFUSAL_EVERY === REFUSAL_EVERY - 1
    ? REFUSED[Math.floor(i / REFUSAL_EVERY) % REFUSED.length]
    : ALLOWED[i % ALLOWED.length]) as Call

type Answer = { status: number; error?: string; logRefs: string[]; messageId?: string }

let dir: string
let logFile: string
const answers: Answer[] = []
const transportErrors: string[] = []

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sild-load-'))
  logFile = join(dir, 'message-log.jsonl')
  const servers = await startSandboxServers({ portBase: 0, log: logFile })
  const pool = new Pool(servers.ready.securityServers['ee-test'] as string, {
    connections: CONNECTIONS,
  })
  try {
    let next = 0
    const worker = async () => {
      while (next < REQUESTS) {
        const i = next++
        const call = callFor(i)
        try {
          const res = await pool.request({
            method: 'GET',
            path: call.path,
            headers: { [XROAD_HEADER.client]: call.client, accept: 'application/json' },
          })
          await res.body.dump()
          answers[i] = {
            status: res.statusCode,
            error: header(res.headers[XROAD_HEADER.error]),
            logRefs: (header(res.headers[SILD_LOG_HEADER]) ?? '').split(/,\s*/).filter(Boolean),
            messageId: header(res.headers[XROAD_HEADER.id]),
          }
        } catch (error) {
          transportErrors.push(`request ${i}: ${(error as Error).message}`)
        }
      }
    }
    await Promise.all(Array.from({ length: CONNECTIONS }, worker))
  } finally {
    await pool.close()
    // Closing flushes and syncs the message log.
    await servers.close()
  }
}, 120_000)

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
})

const header = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value.join(', ') : value

const readRecords = async (): Promise<LogRecord[]> =>
  (await readFile(logFile, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as LogRecord)

test('answers every request without a transport error', () => {
  expect(transportErrors).toEqual([])
  expect(answers.filter(Boolean)).toHaveLength(REQUESTS)
})

test('answers every request with its expected status and X-Road error', () => {
  const wrong = answers.flatMap((answer, i) => {
    const { status, error } = callFor(i)
    return answer.status === status && answer.error === error
      ? []
      : [
          `request ${i}: got ${answer.status} ${answer.error ?? ''}, expected ${status} ${error ?? ''}`,
        ]
  })
  expect(wrong.slice(0, 10)).toEqual([])
  expect(answers.filter((a) => a.error === faultCodeIn(ACCESS_DENIED.code, '7.8'))).toHaveLength(
    REQUESTS / REFUSAL_EVERY,
  )
})

test('writes a message log whose hash chain verifies, with one record per request', async () => {
  expect(await verifyLog(logFile)).toMatchObject({ ok: true, records: REQUESTS })
  const seqs = new Set((await readRecords()).map((r) => r.seq))
  expect(seqs.size).toBe(REQUESTS)
})

test('names in each response the one log record of its own exchange', async () => {
  const bySeq = new Map((await readRecords()).map((r) => [`${r.instance}#${r.seq}`, r]))
  const wrong = answers.flatMap((answer, i) => {
    const call = callFor(i)
    const [ref, ...more] = answer.logRefs
    const record = ref === undefined ? undefined : bySeq.get(ref)
    const problem =
      more.length > 0
        ? `${answer.logRefs.length} log references`
        : !record
          ? `log reference ${ref ?? '(none)'} is not in the log`
          : record.status !== call.status || record.error !== call.error
            ? `record ${ref} has status ${record.status} ${record.error ?? ''}`
            : call.status === 200 &&
                (record.client !== call.client || record.messageId !== answer.messageId)
              ? `record ${ref} is of another exchange (${record.client} ${record.messageId})`
              : undefined
    return problem ? [`request ${i}: ${problem}`] : []
  })
  expect(wrong.slice(0, 10)).toEqual([])
  expect(new Set(answers.map((a) => a.logRefs[0])).size).toBe(REQUESTS)
})
