import { createHash, hash } from 'node:crypto'

/**
 * What a security server logs about one message or exchange. Any further JSON fields are kept as
 * they are; values must be plain JSON values.
 */
export type ExchangeLogEntry = {
  kind: 'request' | 'response' | 'exchange'
  securityServer: string
  instance: string
  messageId?: string
  requestId?: string
  client?: string
  service?: string
  method?: string
  path?: string
  status?: number
  error?: string
  durationMs?: number
  requestHeaders?: Record<string, string>
  responseHeaders?: Record<string, string>
  requestBody?: string
  responseBody?: string
  [k: string]: unknown
}

/**
 * One line of the message log: `{"seq":…,"prev":…,"at":…,…entry,"hash":…}` plus a newline.
 *
 * - `hash` is the hex SHA-256 of the line's exact bytes without its `hash` field, which is always
 *   last: the line up to `,"hash":"` followed by `}`.
 * - `prev` is the previous record's `hash`, or 64 zeros for seq 0. As `hash` covers `prev`, each
 *   record commits to every byte before it, and one hash per record is all appending costs.
 */
export type LogRecord = Readonly<
  ExchangeLogEntry & { seq: number; prev: string; at: string; hash: string }
>

/** The `prev` of the first record. */
export const GENESIS = '0'.repeat(64)

const RESERVED = ['seq', 'prev', 'at', 'hash'] as const
const HASH_FIELD = ',"hash":"'
/** `,"hash":"` + 64 hex digits + `"}`: all ASCII, so as many bytes as characters. */
export const HASH_SUFFIX_LENGTH = HASH_FIELD.length + 64 + 2

/** Builds the record and its line; the entry must already be redacted. */
export const serialiseRecord = (
  seq: number,
  prev: string,
  at: string,
  entry: ExchangeLogEntry,
): { record: LogRecord; line: string } => {
  for (const key of RESERVED) {
    if (entry[key] !== undefined) {
      throw new TypeError(`message log: the entry field "${key}" is reserved for the hash chain`)
    }
  }
  // The entry's own JSON after the chain fields: one serialisation, no copy of the entry first.
  const fields = JSON.stringify(entry)
  const head = `{"seq":${seq},"prev":${JSON.stringify(prev)},"at":${JSON.stringify(at)}`
  const content = fields === '{}' ? `${head}}` : `${head},${fields.slice(1)}`
  const hash = sha256Hex(content)
  // The chain fields first, and theirs the values, whatever an entry's undefined fields say.
  const record: Record<string, unknown> = { seq, prev, at, ...entry, hash }
  record.seq = seq
  record.prev = prev
  record.at = at
  return {
    record: record as LogRecord,
    line: `${content.slice(0, -1)}${HASH_FIELD}${hash}"}\n`,
  }
}

const sha256Hex = (text: string): string => hash('sha256', text, 'hex')

/** The hash a line claims in its trailing `hash` field, if it has one in the written form. */
export const claimedHash = (text: string): string | undefined => {
  if (text.length < HASH_SUFFIX_LENGTH || !text.endsWith('"}')) return undefined
  if (text.slice(-HASH_SUFFIX_LENGTH, -66) !== HASH_FIELD) return undefined
  const hex = text.slice(-66, -2)
  return HEX64.test(hex) ? hex : undefined
}

/** The hash of a line's bytes (without newline), computed the way `serialiseRecord` does. */
export const lineHash = (bytes: Uint8Array): string =>
  createHash('sha256')
    .update(bytes.subarray(0, bytes.length - HASH_SUFFIX_LENGTH))
    .update('}')
    .digest('hex')

export const HEX64 = /^[0-9a-f]{64}$/
