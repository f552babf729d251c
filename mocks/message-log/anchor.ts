import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { SildInputError } from '../../specs/source-file/index.ts'

/**
 * The signed head of a message log. A hash chain alone shows an edit in the middle, but not a log
 * cut at a record boundary, records appended with recomputed hashes, or history rewritten and
 * re-chained: the head has to be signed. Sild signs it (Ed25519) after every synced batch
 * (`checkpoint`) and when it closes the log (`close`), one JSON line per signature in
 * `LOG.anchor`. The signature covers the number of records, the head hash and the event.
 */
export type Anchor = {
  /** Records the signed head covers (the next seq). */
  records: number
  /** The hash of record seq `records - 1`, or 64 zeros for an empty log. */
  head: string
  event: 'checkpoint' | 'close'
  at: string
  /** The Ed25519 public key, raw, base64url (JWK `x`). */
  key: string
  sig: string
}

export const anchorFileOf = (log: string): string => `${log}.anchor`
/** The private key a log is signed with when none is given: beside the log, readable by its owner only. */
export const logKeyFileOf = (log: string): string => `${log}.key.pem`

const payload = (a: Pick<Anchor, 'records' | 'head' | 'event' | 'at'>): Buffer =>
  Buffer.from(`sild-log-anchor/v1\n${a.records}\n${a.head}\n${a.event}\n${a.at}`)

export const publicKeyText = (key: KeyObject): string => {
  const jwk = (key.type === 'private' ? createPublicKey(key) : key).export({ format: 'jwk' })
  return String(jwk.x)
}

export const signAnchor = (
  privateKey: KeyObject,
  head: Pick<Anchor, 'records' | 'head' | 'event' | 'at'>,
): Anchor => ({
  ...head,
  key: publicKeyText(privateKey),
  sig: sign(null, payload(head), privateKey).toString('base64url'),
})

/** The log's signing key: the one given, or the one beside the log (created on first use). */
export const logSigningKey = (log: string): KeyObject => {
  const file = logKeyFileOf(log)
  if (existsSync(file)) {
    try {
      const key = createPrivateKey(readFileSync(file))
      if (key.asymmetricKeyType === 'ed25519') return key
    } catch {
      // reported below
    }
    throw new SildInputError(
      `${file} is not an Ed25519 private key (PEM)`,
      undefined,
      'Restore the key the log was signed with, or move the log and its .anchor and .key.pem aside to start a new log.',
    )
  }
  const { privateKey } = generateKeyPairSync('ed25519')
  writeFileSync(file, privateKey.export({ format: 'pem', type: 'pkcs8' }), {
    mode: 0o600,
    flag: 'wx',
  })
  return privateKey
}

export type AnchorRead =
  { ok: true; anchors: Anchor[]; key?: string } | { ok: false; line: number; message: string }

/**
 * Reads and checks the signatures of an anchor file's text. Every line must be signed by one key
 * (`pinned`, when given) and cover no fewer records than the line before.
 */
export const readAnchors = (text: string, pinned?: string): AnchorRead => {
  const anchors: Anchor[] = []
  let key = pinned
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string
    // A crash may cut the last signature short; the records it would cover are unsigned then.
    if (line === '' || (i === lines.length - 1 && !line.endsWith('}'))) continue
    const fail = (message: string) => ({ ok: false as const, line: i + 1, message })
    let a: Anchor
    try {
      a = JSON.parse(line) as Anchor
    } catch {
      return fail(`signed head on line ${i + 1} is not JSON`)
    }
    if (
      typeof a !== 'object' ||
      a === null ||
      !Number.isSafeInteger(a.records) ||
      typeof a.head !== 'string'
    ) {
      return fail(`signed head on line ${i + 1} has no records or head`)
    }
    key ??= a.key
    if (a.key !== key) {
      return fail(
        `signed head on line ${i + 1} is signed by another key (${String(a.key)}, not ${key})`,
      )
    }
    if (!verifies(a)) return fail(`signed head on line ${i + 1} has an invalid signature`)
    const last = anchors.at(-1)
    if (last && a.records < last.records) {
      return fail(`signed head on line ${i + 1} covers fewer records than the one before`)
    }
    anchors.push(a)
  }
  return key === undefined ? { ok: true, anchors } : { ok: true, anchors, key }
}

const verifies = (a: Anchor): boolean => {
  try {
    const publicKey = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: a.key },
      format: 'jwk',
    })
    return verify(null, payload(a), publicKey, Buffer.from(String(a.sig), 'base64url'))
  } catch {
    return false
  }
}
