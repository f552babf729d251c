import { createReadStream, existsSync, readFileSync } from 'node:fs'
import { anchorFileOf, readAnchors, type Anchor } from './anchor.ts'
import { claimedHash, GENESIS, HEX64, lineHash, type LogRecord } from './record.ts'

/** What is wrong at the first bad line of a message log, or with its signed heads. */
export type LogProblem =
  | 'edited'
  | 'deleted-or-reordered'
  | 'duplicated'
  | 'torn-tail'
  | 'not-json'
  | 'rewritten'
  | 'truncated'
  | 'unanchored'
  | 'unsigned'

export type LogFailure = {
  ok: false
  /** The anchor file, when the problem is in it rather than in the log. */
  file?: string
  /** 1-based line of the first bad record. */
  line: number
  seq?: number
  problem: LogProblem
  message: string
}

/**
 * The outcome of checking a whole log. `head` is the last record's hash: kept somewhere else, it
 * also reveals a log cut at a record boundary, which no chain can show by itself.
 */
export type LogVerification =
  | {
      ok: true
      records: number
      head: string
      /** The last signed head, when the log has signed heads. */
      signed?: { records: number; key: string; closed: boolean }
    }
  | LogFailure

export type VerifyOptions = {
  /**
   * The anchor file's text, or false to check the chain alone. A file path source reads
   * `FILE.anchor` by default and requires it.
   */
  anchors?: string | false
  /** The public key (raw, base64url) the heads must be signed with; else the key they name. */
  publicKey?: string
}

/** How far a log verified, and where it stops. */
export type LogScan = {
  failure?: LogFailure
  /** Complete records (with newline) that verified, which is also the next seq. */
  records: number
  head: string
  /** Byte length of the verified prefix. */
  goodBytes: number
  /** A last record that verifies but lacks its newline (a write cut just before it). */
  tail?: LogRecord
}

type Chain = { line: number; records: number; head: string; goodBytes: number }

const READ_CHUNK = 1 << 20

/**
 * Verifies a message log, streaming, and returns the first bad record.
 * @example const result = await verifyLog('.sild/message-log.jsonl')
 */
export const verifyLog = async (
  source: string | { text: string | Uint8Array },
  options: VerifyOptions = {},
): Promise<LogVerification> => {
  const anchorFile = typeof source === 'string' ? anchorFileOf(source) : undefined
  let anchorText = options.anchors
  if (anchorText === undefined && anchorFile) {
    if (!existsSync(anchorFile)) {
      return {
        ok: false,
        file: anchorFile,
        line: 1,
        problem: 'unsigned',
        message: `the log has no signed head (${anchorFile} is missing)`,
      }
    }
    anchorText = readFileSync(anchorFile, 'utf8')
  }
  let anchors: Anchor[] | undefined
  let key: string | undefined
  if (typeof anchorText === 'string') {
    const read = readAnchors(anchorText, options.publicKey)
    if (!read.ok) {
      return {
        ok: false,
        line: read.line,
        problem: 'unsigned',
        message: read.message,
        ...(anchorFile ? { file: anchorFile } : {}),
      }
    }
    anchors = read.anchors
    key = read.key
  }
  const chunks =
    typeof source === 'string'
      ? createReadStream(source, { highWaterMark: READ_CHUNK })
      : [typeof source.text === 'string' ? Buffer.from(source.text) : source.text]
  const scan = await scanLog(chunks, undefined, anchors)
  if (scan.failure) return scan.failure
  const beyond = anchors && anchorProblem(scan, anchors)
  if (beyond) return beyond
  const last = anchors?.at(-1)
  return {
    ok: true,
    records: scan.records,
    head: scan.head,
    ...(last && key
      ? { signed: { records: last.records, key, closed: last.event === 'close' } }
      : {}),
  }
}

/**
 * What the signed heads say about the end of a log that chains: records missing after the last
 * signed head (cut), or records after it that no signature covers (appended).
 */
export const anchorProblem = (scan: LogScan, anchors: Anchor[]): LogFailure | undefined => {
  const last = anchors.at(-1)
  const signed = last?.records ?? 0
  if (signed > scan.records) {
    return failure(
      scan.records + 1,
      'truncated',
      `the log ends after ${scan.records} records, but its head was signed at ${signed} records: records seq ${scan.records}–${signed - 1} were removed`,
    )
  }
  if (scan.records > signed && !(anchors.length === 0 && scan.records === 0)) {
    return failure(
      signed + 1,
      'unanchored',
      `records seq ${signed}–${scan.records - 1} come after the last signed head (${signed} records): appended after Sild signed the log, or Sild stopped before signing them`,
      signed,
    )
  }
  return undefined
}

/** Reads log bytes line by line, checking each record and the chain, until the first problem. */
export const scanLog = async (
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  onRecord?: (record: LogRecord) => void,
  anchors?: readonly Anchor[],
): Promise<LogScan> => {
  const chain: Chain = { line: 0, records: 0, head: GENESIS, goodBytes: 0 }
  const signedHeads = new Map(anchors?.map((a) => [a.records, a.head]))
  const stop = (failure?: LogFailure, tail?: LogRecord): LogScan => ({ ...chain, failure, tail })
  let rest: Buffer | undefined
  // A line that does not parse is a torn tail when nothing follows it, and corruption otherwise.
  let unparsable: LogFailure | undefined
  for await (const chunk of chunks) {
    if (chunk.length === 0) continue
    if (unparsable) return stop(unparsable)
    const buffer = rest ? Buffer.concat([rest, chunk]) : toBuffer(chunk)
    let start = 0
    for (let end = buffer.indexOf(10); end !== -1; end = buffer.indexOf(10, start)) {
      if (unparsable) return stop(unparsable)
      const outcome = checkLine(buffer.subarray(start, end), ++chain.line, chain)
      if (!outcome.ok) {
        if (outcome.problem !== 'not-json') return stop(outcome)
        unparsable = outcome
      } else {
        const signed = signedHeads.get(chain.records + 1)
        if (signed !== undefined && signed !== outcome.record.hash) {
          return stop(
            failure(
              chain.line,
              'rewritten',
              `record seq ${chain.records} is not the record whose head was signed: the log was rewritten and re-chained up to here`,
              chain.records,
            ),
          )
        }
        chain.records++
        chain.head = outcome.record.hash
        chain.goodBytes += end + 1 - start
        onRecord?.(outcome.record)
      }
      start = end + 1
    }
    if (unparsable && start < buffer.length) return stop(unparsable)
    rest = start < buffer.length ? buffer.subarray(start) : undefined
  }
  if (unparsable) return stop(torn(unparsable.line, 'is not JSON'))
  if (!rest) return stop()
  const outcome = checkLine(rest, ++chain.line, chain)
  if (outcome.ok) return stop(torn(chain.line, 'has no newline at its end'), outcome.record)
  if (outcome.problem !== 'not-json') return stop(outcome)
  return stop(torn(chain.line, `is cut short (${rest.length} bytes without a newline)`))
}

// A record may carry any field, even `ok`, so the record is wrapped rather than tagged.
type Outcome = { ok: true; record: LogRecord } | LogFailure

const checkLine = (bytes: Buffer, line: number, chain: Chain): Outcome => {
  const text = bytes.toString('utf8')
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    return failure(line, 'not-json', `line ${line} is not JSON (${(error as Error).message})`)
  }
  const fields = (typeof value === 'object' && value !== null ? value : {}) as Record<
    string,
    unknown
  >
  const seq =
    typeof fields.seq === 'number' && Number.isSafeInteger(fields.seq) ? fields.seq : undefined
  const what = seq === undefined ? `line ${line}` : `record seq ${seq}`
  const claimed = claimedHash(text)
  if (!claimed) return failure(line, 'edited', `${what} has no hash field at its end`, seq)
  if (lineHash(bytes) !== claimed) {
    return failure(line, 'edited', `${what} was edited (hash mismatch)`, seq)
  }
  const { prev, at } = fields
  if (
    seq === undefined ||
    seq < 0 ||
    typeof prev !== 'string' ||
    !HEX64.test(prev) ||
    typeof at !== 'string'
  ) {
    return failure(line, 'edited', `${what} has no valid seq, prev or at field`, seq)
  }
  return checkChain(fields as LogRecord, line, chain)
}

const checkChain = (record: LogRecord, line: number, chain: Chain): Outcome => {
  const { seq } = record
  const expected = chain.records
  if (seq > expected) {
    const after = expected === 0 ? 'is the first record' : `follows seq ${expected - 1}`
    const gap =
      seq - 1 === expected
        ? `record seq ${expected} was`
        : `records seq ${expected}–${seq - 1} were`
    return failure(
      line,
      'deleted-or-reordered',
      `record seq ${seq} ${after}: ${gap} deleted or moved`,
      seq,
    )
  }
  if (seq < expected) {
    // Every line before this one verified in order from seq 0, so seq N sits on line N + 1.
    return failure(
      line,
      'duplicated',
      `record seq ${seq} appears again (first on line ${seq + 1})`,
      seq,
    )
  }
  if (record.prev !== chain.head) {
    const message =
      seq === 0
        ? 'record seq 0 was edited (its prev is not 64 zeros)'
        : `record seq ${seq} does not chain to record seq ${seq - 1} on line ${line - 1} (prev mismatch): one of them was rewritten`
    return failure(line, 'edited', message, seq)
  }
  return { ok: true, record }
}

const failure = (line: number, problem: LogProblem, message: string, seq?: number): LogFailure =>
  seq === undefined
    ? { ok: false, line, problem, message }
    : { ok: false, line, seq, problem, message }

const torn = (line: number, detail: string): LogFailure =>
  failure(line, 'torn-tail', `the last line ${detail}: a write was cut short`)

const toBuffer = (chunk: Uint8Array): Buffer =>
  Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
