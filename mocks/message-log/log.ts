import type { KeyObject } from 'node:crypto'
import { createReadStream, existsSync, openSync, closeSync, readFileSync, writeSync } from 'node:fs'
import { appendFile, mkdir, open, stat, truncate, type FileHandle } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { SildInputError } from '../../specs/source-file/index.ts'
import { anchorFileOf, logSigningKey, readAnchors, signAnchor, type Anchor } from './anchor.ts'
import { acquireLogLock } from './lock.ts'
import { GENESIS, serialiseRecord, type ExchangeLogEntry, type LogRecord } from './record.ts'
import { redactEntry } from './redact.ts'
import { anchorProblem, scanLog } from './verify.ts'

/** Where `sild serve` writes the log and `sild log verify` looks for it. */
export const DEFAULT_LOG_FILE = '.sild/message-log.jsonl'

export type MessageLogOptions = {
  /** The JSON Lines file to append to; without one the log lives in memory only. */
  file?: string
  /** How long an appended record may wait before it is written and synced. */
  fsyncIntervalMs?: number
  /** Write at once, without waiting for the interval, when this many records wait. */
  maxBatch?: number
  /** X-Road's `message-body-logging`: false clears bodies, path and query before writing. */
  bodyLogging?: boolean
  /** How many of the newest records `records()` keeps, so a long `sild serve` stays small. */
  memoryRecords?: number
  /** The clock for each record's `at`. */
  now?: () => Date
  /** Ed25519 key that signs the head; by default `FILE.key.pem`, created on first use. */
  signingKey?: KeyObject
  /** Extra secret values to redact wherever they appear (credentials Sild sends). */
  secrets?: () => readonly string[]
}

/** What opening an existing log fixed: a last line that a crash cut short, or unsigned records. */
export type LogRepair = {
  line: number
  action: 'truncated' | 'newline-added' | 'signed'
  droppedBytes: number
  message: string
}

export type MessageLog = {
  /** Redacts, numbers and hashes the entry at once; the write to the file follows in a batch. */
  append(entry: ExchangeLogEntry): LogRecord
  /**
   * Resolves once every record appended so far is written to the file (in the kernel, not yet
   * synced): the records of one event-loop turn are written together at its end. A server awaits
   * this before it answers, so that no answered exchange is lost with a killed process.
   */
  written(): Promise<void>
  /** Resolves when every record appended so far is written and synced. */
  flush(): Promise<void>
  /** Flushes, then closes the file; appending afterwards throws. */
  close(): Promise<void>
  /** The newest records (at most `memoryRecords`), oldest first. */
  records(): readonly LogRecord[]
  /** Calls the listener synchronously inside every later `append`; returns the unsubscribe. */
  subscribe(listener: (record: LogRecord) => void): () => void
  /** Records in the log, including those found in the file on opening. */
  readonly size: number
  readonly repaired: LogRepair | undefined
}

// Two logs appending to one file would fork its chain.
const openFiles = new Set<string>()

/**
 * Opens (or creates) a hash-chained message log. An existing file is verified first: a torn last
 * line is repaired, any other problem refuses the open with a SildInputError naming the line.
 * @example const log = await createMessageLog({ file: DEFAULT_LOG_FILE })
 */
export const createMessageLog = async ({
  file,
  fsyncIntervalMs = 50,
  maxBatch = 512,
  bodyLogging = true,
  memoryRecords = 10_000,
  now = () => new Date(),
  signingKey,
  secrets,
}: MessageLogOptions = {}): Promise<MessageLog> => {
  const memory = createMemory(memoryRecords)
  const path = file === undefined ? undefined : resolve(file)
  const opened = path === undefined ? undefined : await openLogFile(path, memory.push, signingKey)
  let next = opened?.next ?? 0
  let head = opened?.head ?? GENESIS
  const anchor = opened && createAnchorWriter(opened.anchorFile, opened.key, now)
  const writer =
    opened &&
    createBatchWriter(opened.handle, fsyncIntervalMs, maxBatch, () => {
      const at = { records: next, head }
      return () => anchor?.write({ ...at, event: 'checkpoint' })
    })
  if (opened?.repaired?.action === 'signed')
    anchor?.write({ records: next, head, event: 'checkpoint' })
  const listeners = new Set<(record: LogRecord) => void>()
  let closing: Promise<void> | undefined
  return {
    append(entry) {
      if (closing) throw new Error(`message log${path ? ` ${path}` : ''} is closed`)
      const at = now().toISOString()
      const { record, line } = serialiseRecord(
        next,
        head,
        at,
        redactEntry(entry, { bodyLogging, secrets: secrets?.() }),
      )
      writer?.enqueue(line)
      next++
      head = record.hash
      memory.push(record)
      for (const listener of listeners) listener(record)
      return record
    },
    written: () => writer?.written() ?? WRITTEN,
    flush: async () => writer?.flush(),
    close() {
      closing ??= (async () => {
        try {
          await writer?.close()
          anchor?.write({ records: next, head, event: 'close' })
        } finally {
          anchor?.close()
          opened?.unlock()
          if (path) openFiles.delete(path)
        }
      })()
      return closing
    },
    records: memory.view,
    subscribe(listener) {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
    get size() {
      return next
    },
    repaired: opened?.repaired,
  }
}

type LogState = { next: number; head: string; repaired?: LogRepair }
type OpenedLog = LogState & {
  handle: FileHandle
  anchorFile: string
  key: KeyObject
  unlock(): void
}

const RECOVERY =
  'Sild never appends to a log that was changed. Inspect it with `sild log verify`, then move the log and its .anchor aside to start a new one (see SECURITY.md, "Recovering a message log").'

const openLogFile = async (
  path: string,
  keep: (record: LogRecord) => void,
  signingKey: KeyObject | undefined,
): Promise<OpenedLog> => {
  if (openFiles.has(path)) {
    throw new Error(`message log ${path} is already open in this process; share that one log`)
  }
  openFiles.add(path)
  let unlock: (() => void) | undefined
  try {
    await mkdir(dirname(path), { recursive: true })
    unlock = acquireLogLock(path)
    const found = await stat(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined
      throw error
    })
    const anchorFile = anchorFileOf(path)
    const key = signingKey ?? logSigningKey(path)
    const anchors = found ? readAnchorFile(path, anchorFile, found.size) : []
    const state = found
      ? await continueLog(path, found.size, keep, anchors)
      : { next: 0, head: GENESIS }
    return { ...state, handle: await open(path, 'a'), anchorFile, key, unlock }
  } catch (error) {
    unlock?.()
    openFiles.delete(path)
    throw error
  }
}

const readAnchorFile = (path: string, anchorFile: string, size: number): Anchor[] => {
  if (!existsSync(anchorFile)) {
    if (size === 0) return []
    throw new SildInputError(
      `message log cannot be continued: it has no signed head (${anchorFile} is missing)`,
      { file: path, line: 1, column: 1 },
      RECOVERY,
    )
  }
  const read = readAnchors(readFileSync(anchorFile, 'utf8'))
  if (!read.ok) {
    throw new SildInputError(
      `message log cannot be continued: ${read.message}`,
      { file: anchorFile, line: read.line, column: 1 },
      RECOVERY,
    )
  }
  return read.anchors
}

const continueLog = async (
  path: string,
  size: number,
  keep: (record: LogRecord) => void,
  anchors: Anchor[],
): Promise<LogState> => {
  const scan = await scanLog(createReadStream(path, { highWaterMark: 1 << 20 }), keep, anchors)
  const { failure, tail } = scan
  if (!failure) {
    const beyond = anchorProblem(scan, anchors)
    if (beyond?.problem === 'truncated') {
      throw new SildInputError(
        `message log cannot be continued: ${beyond.message}`,
        { file: path, line: beyond.line, column: 1 },
        RECOVERY,
      )
    }
    if (!beyond) return { next: scan.records, head: scan.head }
    // Records after the last signature: a process killed between writing and signing leaves
    // them. They chain on, so they are signed now, and the open says so.
    const message = `signed ${scan.records - (anchors.at(-1)?.records ?? 0)} records written after the last signed head (a stopped process left them unsigned)`
    const repaired = { line: beyond.line, action: 'signed', droppedBytes: 0, message } as const
    return { next: scan.records, head: scan.head, repaired }
  }
  if (failure.problem !== 'torn-tail') {
    throw new SildInputError(
      `message log cannot be continued: ${failure.message}`,
      { file: path, line: failure.line, column: 1 },
      RECOVERY,
    )
  }
  if (tail) {
    // The record is whole and chains on; only its newline was lost.
    await appendFile(path, '\n')
    keep(tail)
    const message = `line ${failure.line}: added the missing newline after record seq ${tail.seq}`
    const repaired = {
      line: failure.line,
      action: 'newline-added',
      droppedBytes: 0,
      message,
    } as const
    return { next: tail.seq + 1, head: tail.hash, repaired }
  }
  await truncate(path, scan.goodBytes)
  const droppedBytes = size - scan.goodBytes
  const message = `line ${failure.line}: dropped ${droppedBytes} bytes of a record cut short by a crash`
  const repaired = { line: failure.line, action: 'truncated', droppedBytes, message } as const
  return { next: scan.records, head: scan.head, repaired }
}

const createMemory = (limit: number) => {
  let items: LogRecord[] = []
  return {
    push(record: LogRecord) {
      if (limit <= 0) return
      items.push(record)
      // Trimming only when twice the limit keeps push amortised O(1).
      if (items.length >= limit * 2) items = items.slice(-limit)
    },
    view: (): readonly LogRecord[] => (items.length > limit ? items.slice(-limit) : items.slice()),
  }
}

/**
 * Group commit. The lines appended in one turn of the event loop are written together, in one
 * synchronous write, in the turn's check phase (`setImmediate`); `written()` resolves after that
 * write, and a security server awaits it before its answer leaves. So once a client has an answer,
 * the exchange's record is in the kernel and a killed process (SIGKILL, OOM) loses nothing it
 * answered, at one write call per turn instead of one per record. Synced to the disk in batches
 * with one datasync; only a crash of the machine can lose records not yet synced, and then as a
 * torn tail that reopening repairs.
 */
const createBatchWriter = (
  handle: FileHandle,
  intervalMs: number,
  maxBatch: number,
  /** Called before each sync; what it returns is called once the sync is done. */
  checkpoint: () => () => void,
) => {
  let pending: string[] = []
  let landed: { promise: Promise<void>; resolve(): void; reject(error: Error): void } | undefined
  let scheduled: NodeJS.Immediate | undefined
  let unsynced = 0
  /** When the oldest record not yet synced was written. */
  let unsyncedSince = 0
  let timer: NodeJS.Timeout | undefined
  let inFlight: Promise<void> | undefined
  let failure: Error | undefined
  const fail = (error: unknown) =>
    (failure = new Error(`message log write failed: ${(error as Error).message}`, { cause: error }))

  /** Writes every pending line in one call, then lets those waiting on them go. */
  const writePending = () => {
    clearImmediate(scheduled)
    scheduled = undefined
    const lines = pending
    const waiting = landed
    pending = []
    landed = undefined
    if (lines.length === 0) return
    try {
      if (failure) throw failure
      writeAllSync(
        handle.fd,
        Buffer.from(lines.length === 1 ? (lines[0] as string) : lines.join('')),
      )
    } catch (error) {
      const failed = failure ?? fail(error)
      waiting?.reject(failed)
      return
    }
    waiting?.resolve()
    if (unsynced === 0) unsyncedSince = performance.now()
    unsynced += lines.length
  }
  /** The end of an event-loop turn: its records are written, their sync is scheduled. */
  const writeTurn = () => {
    writePending()
    if (!failure && unsynced > 0) scheduleSync()
  }

  const sync = async () => {
    try {
      // The signed head must cover only records in the file: the pending ones go first.
      writePending()
      if (failure) return
      unsynced = 0
      const signHead = checkpoint()
      await handle.datasync()
      signHead()
    } catch (error) {
      fail(error)
    } finally {
      inFlight = undefined
      // What was written meanwhile waits for its own interval or a full batch, like any record:
      // one sync right after another would cost a datasync and a signature for a few records.
      if (!failure && unsynced > 0) scheduleSync()
    }
  }
  const scheduleSync = () => {
    if (unsynced >= maxBatch) void kick()
    else if (!timer && !inFlight) {
      timer = setTimeout(kick, Math.max(0, intervalMs - (performance.now() - unsyncedSince)))
    }
  }
  const kick = () => {
    clearTimeout(timer)
    timer = undefined
    if (!inFlight && !failure && unsynced > 0) inFlight = sync()
    return inFlight
  }
  const flush = async () => {
    writePending()
    while (!failure && (inFlight || unsynced > 0)) {
      await kick()
      writePending()
    }
    if (failure) throw failure
  }
  return {
    enqueue(line: string) {
      // Like X-Road, the log stops accepting messages once it cannot store them.
      if (failure) throw failure
      pending.push(line)
      scheduled ??= setImmediate(writeTurn)
    },
    written(): Promise<void> {
      if (failure) return Promise.reject(failure)
      if (pending.length === 0) return WRITTEN
      if (!landed) {
        let resolve!: () => void
        let reject!: (error: Error) => void
        const promise = new Promise<void>((ok, no) => {
          resolve = ok
          reject = no
        })
        // A write that fails with nobody waiting is reported by the next append or flush.
        promise.catch(() => {})
        landed = { promise, resolve, reject }
      }
      return landed.promise
    },
    flush,
    async close() {
      try {
        await flush()
      } finally {
        await handle.close()
      }
    },
  }
}

const WRITTEN = Promise.resolve()

const writeAllSync = (fd: number, bytes: Buffer) => {
  for (let offset = 0; offset < bytes.length;) {
    offset += writeSync(fd, bytes, offset, bytes.length - offset)
  }
}

/** Appends signed heads to the anchor file, synchronously like the records they cover. */
const createAnchorWriter = (file: string, key: KeyObject, now: () => Date) => {
  const fd = openSync(file, 'a', 0o644)
  let last = -1
  return {
    write(head: Pick<Anchor, 'records' | 'head' | 'event'>) {
      if (head.event === 'checkpoint' && head.records === last) return
      last = head.records
      const anchor = signAnchor(key, { ...head, at: now().toISOString() })
      writeAllSync(fd, Buffer.from(`${JSON.stringify(anchor)}\n`))
    },
    close: () => closeSync(fd),
  }
}
