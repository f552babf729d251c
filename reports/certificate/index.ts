import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto'
import { LEVEL_NAMES, type Level, type LevelState, type RunOutline } from '../../runner/types.ts'
import { SildInputError } from '../../specs/source-file/index.ts'
import { canonicalJson } from './jcs.ts'

/** What a conformance certificate states about one party. */
export type Certificate = {
  schema: 'sild.certificate/v1'
  party: string
  profiles: Array<{
    profile: string
    level: 0 | Level
    levelName: string
    score: number
    /** Levels 1 to 4: each passed or blocked; a certificate is never issued with one not tested. */
    levels: Array<{ level: Level; state: LevelState }>
  }>
  /** Where the party's services were reached, and whether `--target` replaced the federation's URL. */
  providers: Array<{ service: string; url: string; target: boolean }>
  specsDigest: string
  scenarios: Array<{ id: string; digest: string }>
  sild: { version: string }
  /** When the run started (ISO 8601, UTC). */
  date: string
}

export type SignedCertificate = {
  certificate: Certificate
  signature: { alg: 'Ed25519'; keyId: string; value: string }
}

export type CertificateOptions = {
  /** The party to certify; may be left out when the run scored only one. */
  party?: string
  now?: () => Date
}

/** The certificate of one party from a complete run's report. */
export const certificateOf = (
  report: RunOutline,
  { party, now = () => new Date() }: CertificateOptions = {},
): Certificate => {
  if (!report.complete)
    throw new SildInputError(
      'the run is incomplete: a certificate can only state the result of a whole run',
      undefined,
      'Run every scenario to the end (no interruption, no failed shard) and issue the certificate from that run.',
    )
  const parties = [...new Set(report.scorecards.map((c) => c.party))].sort()
  const chosen = party ?? (parties.length === 1 ? parties[0] : undefined)
  if (chosen === undefined || !parties.includes(chosen))
    throw new SildInputError(
      parties.length === 0
        ? 'no check was applied in this run: there is nothing to certify'
        : party === undefined
          ? `this run scored ${parties.length} parties (${parties.join(', ')}): name the one to certify`
          : `party "${party}" has no scorecard in this run (scored: ${parties.join(', ')})`,
      undefined,
      'Write --certificate PARTY=PATH, e.g. --certificate ee-test=out/certificate.json.',
    )
  const refusal = refusalOf(report, chosen)
  if (refusal) throw new CertificateRefused(refusal)
  return {
    schema: 'sild.certificate/v1',
    party: chosen,
    profiles: report.scorecards
      .filter((c) => c.party === chosen)
      .map((c) => ({
        profile: c.profile,
        level: c.level,
        levelName: c.level === 0 ? 'none' : LEVEL_NAMES[c.level],
        score: c.score,
        levels: c.levels.map((v) => ({ level: v.level, state: v.state })),
      })),
    providers: (report.providers ?? [])
      .filter((p) => p.party === chosen)
      .map((p) => ({ service: p.service, url: p.url, target: p.target })),
    specsDigest: report.specsDigest,
    scenarios: report.scenarios
      .map((s) => ({ id: s.id, digest: s.digest }))
      .sort((a, b) => a.id.localeCompare(b.id)),
    sild: { version: report.sild.version },
    date: runDate(report, now),
  }
}

/** A certificate that would state more than the run tested: the run's verdict, not bad input. */
export class CertificateRefused extends Error {
  override name = 'CertificateRefused'
}

/**
 * Why the party's result cannot be certified: a profile that Sild itself answered (its own mock,
 * or its simulated security server), which says nothing of an implementation; a profile with a
 * level this run did not fully test
 * (a certificate states levels, and an untested one would read as failed or as passed), or one
 * whose level is not backed by its level verdicts (a report edited or merged by hand).
 */
const refusalOf = (report: RunOutline, party: string): string | undefined => {
  const cards = report.scorecards.filter((c) => c.party === party)
  for (const card of cards) {
    const sandbox = card.answeredBySild
    if (!sandbox) continue
    const where = `${card.party} × ${card.profile}`
    return sandbox.mocks.length
      ? `${where} was answered by Sild's own mock of ${sandbox.mocks.join(', ')}, not by an implementation. A certificate states how an implementation conforms: send the service's calls to it (--target SERVICE=URL, or --partner FILE), then issue it again`
      : `${where} was answered by Sild's simulated security server, not by ${card.party}'s own. A certificate states how an implementation conforms: probe the party's own security server (--partner-security-server URL), or leave out the scenarios that call its metaservices, then issue it again`
  }
  for (const card of cards) {
    const where = `${card.party} × ${card.profile}`
    const unbacked = card.levels.find((v) => v.level <= card.level && v.state !== 'passed')
    if (unbacked)
      return `${where} claims level ${card.level}, but level ${unbacked.level} is ${unbacked.state}`
    const untested = card.levels.find((v) => v.state === 'not-tested')
    if (untested) {
      const checks = untested.untested.map((u) => `${u.check} (applied by ${u.appliedBy})`)
      return `${where}: level ${untested.level} was not tested in this run${checks.length ? `: ${checks.join('; ')} never applied` : ''}. A certificate states only what was tested: run the scenarios that apply ${checks.length === 1 ? 'it' : 'them'}, then issue it again`
    }
  }
  return undefined
}

/** The run's start when the report records one (`startedAt`), else the time of issue. */
const runDate = (report: RunOutline, now: () => Date): string => {
  const startedAt = (report as { startedAt?: unknown }).startedAt
  return typeof startedAt === 'string' && !Number.isNaN(Date.parse(startedAt))
    ? new Date(startedAt).toISOString()
    : now().toISOString()
}

/** The key's RFC 7638 JWK thumbprint (SHA-256, base64url): names the key inside a certificate. */
export const keyIdOf = (publicKey: KeyObject): string => {
  const { crv, kty, x } = publicKey.export({ format: 'jwk' })
  return createHash('sha256').update(canonicalJson({ crv, kty, x })).digest('base64url')
}

/** Signs the canonical (RFC 8785) bytes of the certificate with an Ed25519 private key. */
export const signCertificate = (
  certificate: Certificate,
  privateKey: KeyObject,
): SignedCertificate => ({
  certificate,
  signature: {
    alg: 'Ed25519',
    keyId: keyIdOf(createPublicKey(privateKey)),
    value: sign(null, Buffer.from(canonicalJson(certificate)), privateKey).toString('base64url'),
  },
})

/** The file's bytes: the whole signed certificate as canonical JSON, so any change shows. */
export const serializeCertificate = (signed: SignedCertificate): string => canonicalJson(signed)

/** A new Ed25519 key pair as PEM (PKCS#8 private, SPKI public) and the key's id. */
export const generateSigningKeys = (): {
  privateKeyPem: string
  publicKeyPem: string
  keyId: string
} => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  return {
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    keyId: keyIdOf(publicKey),
  }
}

/** An Ed25519 key from PEM text; anything else is bad input naming the file. */
export const readEd25519Key = (
  pem: string,
  kind: 'private' | 'public',
  file: string,
): KeyObject => {
  let key: KeyObject
  try {
    key = kind === 'private' ? createPrivateKey(pem) : createPublicKey(pem)
  } catch (error) {
    throw new SildInputError(
      `${file} is not a PEM ${kind} key: ${(error as Error).message}`,
      undefined,
      'Create a key pair with: sild keygen --out DIR',
    )
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new SildInputError(
      `${file} is a ${key.asymmetricKeyType ?? 'unknown'} key; Sild certificates are signed with Ed25519`,
      undefined,
      'Create a key pair with: sild keygen --out DIR',
    )
  return key
}

export type Verification = { ok: true; signed: SignedCertificate } | { ok: false; problem: string }

/**
 * Checks a certificate file's bytes against a public key. Any change to the file fails: the
 * signature covers the canonical content, and the file must be exactly that canonical form.
 */
export const verifyCertificate = (bytes: Uint8Array, publicKey: KeyObject): Verification => {
  const buffer = Buffer.from(bytes)
  const text = buffer.toString('utf8')
  const decoded = Buffer.from(text, 'utf8')
  if (!decoded.equals(buffer))
    return fail(`the file is not valid UTF-8 at byte ${firstDifference(buffer, decoded)}`)
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message)?.[1]
    return fail(
      `the file is not valid JSON${position === undefined ? '' : ` at byte ${Buffer.byteLength(text.slice(0, Number(position)))}`}: ${(error as Error).message}`,
    )
  }
  const shape = shapeProblem(parsed)
  if (shape) return fail(`the file is not a Sild certificate: ${shape}`)
  const signed = parsed as SignedCertificate
  let canonical: string
  try {
    canonical = canonicalJson(signed)
  } catch (error) {
    return fail(`the file is not canonical JSON (RFC 8785): ${(error as Error).message}`)
  }
  if (canonical !== text)
    return fail(
      `the file is not in canonical JSON form (RFC 8785): it differs from it at byte ${firstDifference(buffer, Buffer.from(canonical))}, so it was changed after signing`,
    )
  const { alg, keyId, value } = signed.signature
  if (alg !== 'Ed25519') return fail(`the signature algorithm "${alg}" is not Ed25519`)
  const expected = keyIdOf(publicKey)
  if (keyId !== expected)
    return fail(
      `the certificate names signing key ${keyId}, but the public key given is ${expected}: the wrong key, or the key id was altered`,
    )
  const signature = Buffer.from(value, 'base64url')
  if (signature.length !== 64 || signature.toString('base64url') !== value)
    return fail('the signature value is not a base64url Ed25519 signature')
  if (!verify(null, Buffer.from(canonicalJson(signed.certificate)), publicKey, signature))
    return fail("the certificate's content does not match its signature")
  return { ok: true, signed }
}

const fail = (problem: string): Verification => ({ ok: false, problem })

const firstDifference = (a: Buffer, b: Buffer): number => {
  let i = 0
  while (i < a.length && i < b.length && a[i] === b[i]) i++
  return i
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v)

const shapeProblem = (value: unknown): string | undefined => {
  if (!isObject(value)) return 'it is not a JSON object'
  const keys = Object.keys(value).sort().join(',')
  if (keys !== 'certificate,signature')
    return `it has the members ${keys || '(none)'} instead of certificate and signature`
  if (!isObject(value.certificate)) return 'certificate is not an object'
  const signature = value.signature
  if (!isObject(signature)) return 'signature is not an object'
  for (const member of ['alg', 'keyId', 'value'])
    if (typeof signature[member] !== 'string') return `signature.${member} is not a string`
  if (Object.keys(signature).length !== 3)
    return 'signature has members besides alg, keyId and value'
  return undefined
}
