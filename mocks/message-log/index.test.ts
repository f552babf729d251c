import fs, { readFileSync } from 'node:fs'
import { syncBuiltinESMExports } from 'node:module'
import { mkdtemp, open, readFile, rm, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, test, vi } from 'vitest'
import { SildInputError } from '../../specs/source-file/index.ts'
import {
  createMessageLog,
  measureAppendRate,
  REDACTED,
  verifyLog,
  type ExchangeLogEntry,
  type MessageLogOptions,
} from './index.ts'

let dir: string
let file: string

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sild-message-log-'))
  file = join(dir, 'logs', 'message-log.jsonl')
})

afterEach(async () => {
  vi.restoreAllMocks()
  syncBuiltinESMExports()
  await rm(dir, { recursive: true, force: true })
})

const now = () => new Date(Date.UTC(2024, 4, 1, 10, 0, 0))

const entry = (i: number, extra: Partial<ExchangeLogEntry> = {}): ExchangeLogEntry => ({
  kind: 'exchange',
  securityServer: 'ss1.ee-test',
  instance: 'ee-test',
  messageId: `sild-${i}`,
  method: 'GET',
  path: `/persons/${i}`,
  status: 200,
  ...extra,
})

// The log imports `writeSync` by name: a spy on node:fs reaches it once the named exports are synced.
const spyOnBuiltin = <K extends 'writeSync'>(module: typeof fs, name: K) => {
  const spy = vi.spyOn(module, name)
  syncBuiltinESMExports()
  return spy
}

const openLog = (options: MessageLogOptions = {}) => createMessageLog({ file, now, ...options })

const appendAll = async (count: number, options: MessageLogOptions = {}) => {
  const log = await openLog(options)
  for (let i = 0; i < count; i++) log.append(entry(i))
  await log.close()
}

const fileLines = async () => (await readFile(file, 'utf8')).split('\n').filter(Boolean)

// FileHandle is not exported by node:fs, so its prototype is taken from an open handle.
const fileHandlePrototype = async () => {
  const probe = await open(join(dir, 'probe'), 'w')
  await probe.close()
  return Object.getPrototypeOf(probe) as { datasync(): Promise<void> }
}

test('numbers and chains a record as soon as it is appended', async () => {
  const log = await createMessageLog({ now })
  const first = log.append(entry(0))
  const second = log.append(entry(1))
  expect(first).toMatchObject({ seq: 0, prev: '0'.repeat(64), at: '2024-05-01T10:00:00.000Z' })
  expect(first.hash).toMatch(/^[0-9a-f]{64}$/)
  expect(second).toMatchObject({ seq: 1, prev: first.hash })
  expect(log.size).toBe(2)
  expect(log.records()).toEqual([first, second])
})

test('keeps its own chain fields in a record whose entry leaves them undefined', async () => {
  const log = await createMessageLog({ now })
  log.append(entry(0))
  const record = log.append(entry(1, { seq: undefined, prev: undefined, at: undefined }))
  expect(record).toMatchObject({
    seq: 1,
    prev: log.records()[0]?.hash,
    at: '2024-05-01T10:00:00.000Z',
  })
})

test('persists every appended record on close', async () => {
  const log = await openLog()
  const appended = Array.from({ length: 1500 }, (_, i) => log.append(entry(i)))
  await log.close()
  expect(await verifyLog(file)).toMatchObject({ ok: true, records: 1500 })
  expect((await fileLines()).map((line) => JSON.parse(line))).toEqual(appended)
})

test('persists appended records on flush while staying open', async () => {
  const log = await openLog({ fsyncIntervalMs: 60_000 })
  log.append(entry(0))
  log.append(entry(1))
  await log.flush()
  expect(await fileLines()).toHaveLength(2)
  log.append(entry(2))
  await log.close()
  expect(await fileLines()).toHaveLength(3)
})

test('has each record in the file once written() resolves, before any sync', async () => {
  // A process killed right after answering must not take the answered exchange with it.
  const log = await openLog({ fsyncIntervalMs: 60_000, maxBatch: 10_000 })
  const record = log.append(entry(0))
  await log.written()
  expect(readFileSync(file, 'utf8')).toContain(`"hash":"${record.hash}"}\n`)
  await log.close()
})

test('writes the records appended in one event-loop turn with one write call', async () => {
  const log = await openLog({ fsyncIntervalMs: 60_000, maxBatch: 10_000 })
  const writeSync = spyOnBuiltin(fs, 'writeSync')
  const turn = (from: number) => Array.from({ length: 5 }, (_, i) => log.append(entry(from + i)))
  const first = turn(0)
  expect(readFileSync(file, 'utf8')).toBe('')
  await log.written()
  const second = turn(5)
  await log.written()
  expect(writeSync).toHaveBeenCalledTimes(2)
  expect(readFileSync(file, 'utf8')).toBe(
    [...first, ...second].map((r) => `${JSON.stringify(r)}\n`).join(''),
  )
  await log.close()
})

test('refuses written() once a write has failed, and every later append', async () => {
  const log = await openLog({ fsyncIntervalMs: 60_000 })
  spyOnBuiltin(fs, 'writeSync').mockImplementationOnce(() => {
    throw new Error('ENOSPC: no space left on device')
  })
  log.append(entry(0))
  await expect(log.written()).rejects.toThrow('message log write failed: ENOSPC')
  expect(() => log.append(entry(1))).toThrow(/write failed/)
  await expect(log.close()).rejects.toThrow(/write failed/)
})

test('writes many appends with one datasync', async () => {
  const datasync = vi.spyOn(await fileHandlePrototype(), 'datasync')
  const log = await openLog({ fsyncIntervalMs: 60_000, maxBatch: 10_000 })
  for (let i = 0; i < 1000; i++) log.append(entry(i))
  await log.flush()
  expect(datasync).toHaveBeenCalledTimes(1)
  await log.close()
})

test('writes a full batch without waiting for the interval', async () => {
  const log = await openLog({ fsyncIntervalMs: 60_000, maxBatch: 10 })
  for (let i = 0; i < 10; i++) log.append(entry(i))
  await vi.waitFor(async () => expect(await fileLines()).toHaveLength(10))
  await log.close()
})

test('writes after the interval without a flush', async () => {
  const log = await openLog({ fsyncIntervalMs: 1 })
  log.append(entry(0))
  await vi.waitFor(async () => expect(await fileLines()).toHaveLength(1))
  await log.close()
})

test('leaves records written during a sync to their own interval, not a sync right after', async () => {
  const datasync = vi.spyOn(await fileHandlePrototype(), 'datasync')
  const log = await openLog({ fsyncIntervalMs: 60_000, maxBatch: 2 })
  log.append(entry(0))
  log.append(entry(1))
  await log.written()
  log.append(entry(2))
  await log.written()
  // The full batch's sync signs its head once done; the record behind it waits for the interval.
  await vi.waitFor(() => expect(readFileSync(`${file}.anchor`, 'utf8')).toContain('"records":2,'))
  expect(datasync).toHaveBeenCalledTimes(1)
  await log.flush()
  expect(datasync).toHaveBeenCalledTimes(2)
  await log.close()
})

test('keeps seq order for appends from many concurrent tasks', async () => {
  const log = await openLog()
  const tick = () => new Promise<void>((done) => setImmediate(done))
  const task = async (t: number) => {
    for (let n = 0; n < 20; n++) {
      for (let k = (t * 7 + n * 3) % 5; k > 0; k--) await tick()
      log.append(entry(n, { task: t, n }))
    }
  }
  await Promise.all(Array.from({ length: 50 }, (_, t) => task(t)))
  await log.close()
  const records = (await fileLines()).map(
    (line) => JSON.parse(line) as { seq: number; task: number; n: number },
  )
  expect(records.map((r) => r.seq)).toEqual(Array.from({ length: 1000 }, (_, i) => i))
  for (let t = 0; t < 50; t++) {
    const own = records.filter((r) => r.task === t).map((r) => r.n)
    expect(own).toEqual(Array.from({ length: 20 }, (_, n) => n))
  }
  expect(await verifyLog(file)).toMatchObject({ ok: true, records: 1000 })
})

test('never writes credentials to the file', async () => {
  const log = await openLog()
  const stored = log.append(
    entry(0, {
      requestHeaders: {
        Authorization: 'Bearer live-secret-abc123',
        'X-Road-Client': 'ee-test/GOV/1/c',
      },
      responseHeaders: { 'Set-Cookie': 'session=cookie-secret' },
      requestBody: '{"acquirerToken":"acq-secret","credentials":{"password":"pw-secret"}}',
      responseBody: '{"token":"tok-secret","status":"ok"}',
    }),
  )
  await log.close()
  const text = await readFile(file, 'utf8')
  for (const secret of ['live-secret', 'cookie-secret', 'acq-secret', 'pw-secret', 'tok-secret']) {
    expect(text).not.toContain(secret)
  }
  expect(stored.requestHeaders?.Authorization).toBe(`Bearer ${REDACTED}`)
  expect(text).toContain('ee-test/GOV/1/c')
})

test('writes no bodies, path or query when body logging is off', async () => {
  const log = await openLog({ bodyLogging: false })
  log.append(
    entry(0, {
      path: '/persons/38001085718?full=1',
      requestBody: '{"q":1}',
      responseBody: '{"a":2}',
    }),
  )
  await log.close()
  const [line] = await fileLines()
  const record = JSON.parse(line as string)
  expect(record).not.toHaveProperty('path')
  expect(record).not.toHaveProperty('requestBody')
  expect(record).not.toHaveProperty('responseBody')
  expect(record).toMatchObject({ method: 'GET', status: 200 })
})

test('continues the chain of an existing log', async () => {
  await appendAll(3)
  const log = await openLog()
  expect(log.size).toBe(3)
  expect(log.repaired).toBeUndefined()
  expect(log.records().map((r) => r.seq)).toEqual([0, 1, 2])
  expect(log.append(entry(3)).seq).toBe(3)
  await log.close()
  expect(await verifyLog(file)).toMatchObject({ ok: true, records: 4 })
})

test('drops a torn last line on reopening and continues from the last whole record', async () => {
  await appendAll(5)
  const before = await readFile(file, 'utf8')
  const lines = before.split('\n')
  const keptBytes = Buffer.byteLength(lines.slice(0, 4).join('\n') + '\n')
  await truncate(file, keptBytes + 30)
  const log = await openLog()
  expect(log.repaired).toEqual({
    line: 5,
    action: 'truncated',
    droppedBytes: 30,
    message: 'line 5: dropped 30 bytes of a record cut short by a crash',
  })
  expect(log.size).toBe(4)
  expect(log.append(entry(99)).seq).toBe(4)
  await log.close()
  const after = await readFile(file, 'utf8')
  expect(after.startsWith(before.slice(0, keptBytes))).toBe(true)
  expect(await verifyLog(file)).toMatchObject({ ok: true, records: 5 })
})

test('keeps a whole last record that only lost its newline', async () => {
  await appendAll(5)
  const text = await readFile(file, 'utf8')
  await writeFile(file, text.slice(0, -1))
  const log = await openLog()
  expect(log.repaired).toMatchObject({ line: 5, action: 'newline-added', droppedBytes: 0 })
  expect(log.size).toBe(5)
  log.append(entry(5))
  await log.close()
  expect(await verifyLog(file)).toMatchObject({ ok: true, records: 6 })
})

test('refuses to open a log edited in the middle, naming the line, and leaves it as it was', async () => {
  await appendAll(5)
  const original = await readFile(file, 'utf8')
  const edited = original.replace('/persons/1', '/persons/7')
  await writeFile(file, edited)
  const opening = openLog()
  await expect(opening).rejects.toThrow(SildInputError)
  await expect(opening).rejects.toMatchObject({
    message: 'message log cannot be continued: record seq 1 was edited (hash mismatch)',
    location: { file, line: 2, column: 1 },
  })
  expect(await readFile(file, 'utf8')).toBe(edited)
  await writeFile(file, original)
  const restored = await openLog()
  expect(restored.size).toBe(5)
  await restored.close()
})

test('refuses a second log on a file already open in this process', async () => {
  const log = await openLog()
  await expect(openLog()).rejects.toThrow(/already open/)
  await log.close()
  const again = await openLog()
  await again.close()
})

test('rejects appends after close', async () => {
  const log = await openLog()
  await log.close()
  expect(() => log.append(entry(0))).toThrow(/closed/)
})

test('stops accepting records after a failed write and reports it', async () => {
  vi.spyOn(await fileHandlePrototype(), 'datasync').mockRejectedValueOnce(
    new Error('EIO: disk error'),
  )
  const log = await openLog()
  log.append(entry(0))
  await expect(log.flush()).rejects.toThrow('message log write failed: EIO: disk error')
  expect(() => log.append(entry(1))).toThrow(/write failed/)
  await expect(log.close()).rejects.toThrow(/write failed/)
})

test('rejects an entry that uses a field of the hash chain', async () => {
  const log = await createMessageLog()
  expect(() => log.append(entry(0, { seq: 7 }))).toThrow(/"seq" is reserved/)
  expect(log.size).toBe(0)
})

test('tells subscribers about each record until they unsubscribe', async () => {
  const log = await createMessageLog({ now })
  const seen: number[] = []
  const unsubscribe = log.subscribe((record) => seen.push(record.seq))
  log.append(entry(0))
  log.append(entry(1))
  unsubscribe()
  log.append(entry(2))
  expect(seen).toEqual([0, 1])
})

test('keeps only the newest records in memory', async () => {
  const log = await createMessageLog({ memoryRecords: 3 })
  for (let i = 0; i < 10; i++) log.append(entry(i))
  expect(log.records().map((r) => r.seq)).toEqual([7, 8, 9])
  expect(log.size).toBe(10)
})

test('measures the append rate on a file that then verifies', async () => {
  const { appendsPerSecond } = await measureAppendRate({ records: 500, file })
  expect(appendsPerSecond).toBeGreaterThan(0)
  expect(await verifyLog(file)).toMatchObject({ ok: true, records: 500 })
})
