import { appendFileSync, readFileSync, rmSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Agent, request } from 'undici'
import { afterAll, beforeAll, expect, test, vi } from 'vitest'
import { main } from '../cli/main.ts'
import { verifyLog, type LogRecord } from '../mocks/message-log/index.ts'
import { startServe, type ServeProcess } from './helpers/serve-process.ts'

// `sild serve` is killed with SIGKILL while clients keep it busy: no flush, no handler runs. What
// was answered must already be in the log file, because a client that got an answer may rely on
// the exchange being on record.

const PORTAL = 'ee-test/GOV/70006317/eesti-ee'
const PERSON = '/r1/ee-test/GOV/70008440/rr/population/persons/48001013546'
/** Answered calls before the kill; the clients keep calling while it lands. */
const ANSWERED_BEFORE_KILL = 300
const CLIENTS = 8
/** A bound on calls, so a server that never dies cannot keep the loops going. */
const MAX_CALLS = 5_000

let dir: string
let serving: ServeProcess | undefined
const agent = new Agent({ connections: CLIENTS, keepAliveTimeout: 1_000 })

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sild-crash-'))
})
afterAll(async () => {
  if (serving && serving.child.exitCode === null) serving.child.kill('SIGKILL')
  await agent.close()
  await rm(dir, { recursive: true, force: true })
})

type Answered = { seq: number; messageId: string }

/** Calls through the Estonian security server from CLIENTS loops until told to stop. */
const load = (url: string, stopAfter: (answered: number) => boolean) => {
  const answered: Answered[] = []
  let calls = 0
  let stopped = false
  const loop = async () => {
    while (!stopped && calls++ < MAX_CALLS) {
      try {
        const res = await request(`${url}${PERSON}`, {
          dispatcher: agent,
          headers: { 'x-road-client': PORTAL },
        })
        await res.body.text()
        const ref = String(res.headers['x-sild-log'] ?? '')
        const seq = /^ee-test#(\d+)$/.exec(ref)?.[1]
        if (res.statusCode !== 200 || seq === undefined) throw new Error(`unexpected answer ${ref}`)
        answered.push({ seq: Number(seq), messageId: String(res.headers['x-road-id']) })
        if (stopAfter(answered.length)) stopped = true
      } catch {
        // The server is gone: every call from here on fails, and that is the point.
        stopped = true
      }
    }
  }
  return { answered, done: Promise.all(Array.from({ length: CLIENTS }, loop)) }
}

const records = (file: string): LogRecord[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{') && line.endsWith('}'))
    .map((line) => JSON.parse(line) as LogRecord)

test('keeps every answered exchange in the log across a SIGKILL under load, and repairs a torn tail on restart', async () => {
  const logFile = join(dir, 'log.jsonl')
  serving = await startServe(dir)
  const url = serving.ready.securityServers['ee-test'] as string
  const child = serving.child
  let killed = false
  const { answered, done } = load(url, (n) => {
    if (n >= ANSWERED_BEFORE_KILL && !killed) {
      killed = true
      child.kill('SIGKILL')
    }
    return false
  })
  await done
  await serving.stop('SIGKILL')
  expect(killed).toBe(true)
  expect(answered.length).toBeGreaterThanOrEqual(ANSWERED_BEFORE_KILL)

  // Every answer the clients saw is on record with its message id, in a chain that verifies.
  const onDisk = new Map(records(logFile).map((r) => [r.seq, r]))
  const missing = answered.filter((a) => onDisk.get(a.seq)?.messageId !== a.messageId)
  expect(missing).toEqual([])
  const afterKill = await verifyLog(logFile)
  // Killed between writing and signing, the newest records may have no signed head yet.
  expect(afterKill.ok || ['torn-tail', 'unanchored'].includes(afterKill.problem)).toBe(true)

  // A single write is not torn by a killed process, but by a power cut: leave the half line it
  // would leave, then start again on the same log.
  const before = records(logFile).length
  appendFileSync(logFile, '{"seq":999999,"prev":"00')
  // The killed process could not remove its ready file; the next one writes its own.
  rmSync(serving.readyFile)
  serving = await startServe(dir)
  const again = load(serving.ready.securityServers['ee-test'] as string, (n) => n >= 20)
  await again.done
  expect(await serving.stop('SIGTERM')).toBe(0)
  expect(again.answered.map((a) => a.seq)[0]).toBeGreaterThanOrEqual(before)

  const out: string[] = []
  const stdout = vi
    .spyOn(process.stdout, 'write')
    .mockImplementation(((chunk: string) => out.push(String(chunk))) as never)
  try {
    expect(await main(['log', 'verify', logFile])).toBe(0)
  } finally {
    stdout.mockRestore()
  }
  expect(out.join('')).toMatch(
    new RegExp(
      `^ok: ${before + again.answered.length} records, hash chain intact, head signed at close`,
    ),
  )
  const final = new Map(records(logFile).map((r) => [r.seq, r]))
  for (const a of [...answered, ...again.answered]) {
    expect(final.get(a.seq)?.messageId).toBe(a.messageId)
  }
})
