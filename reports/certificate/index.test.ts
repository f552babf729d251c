import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto'
import { expect, test } from 'vitest'
import { SildInputError } from '../../specs/source-file/index.ts'
import { asIfTested, sampleRunReport } from '../test-fixtures/run-report.ts'
import { renderCertificateHtml } from './html.ts'
import type { RunReport, Scorecard } from '../../runner/types.ts'
import {
  CertificateRefused,
  certificateOf,
  generateSigningKeys,
  keyIdOf,
  readEd25519Key,
  serializeCertificate,
  signCertificate,
  verifyCertificate,
} from './index.ts'
import { canonicalJson } from './jcs.ts'

// A fixed test key, made from a seed so every run signs the same bytes: PKCS#8 wrapping of an
// Ed25519 seed (RFC 8410).
const seededKey = (byte: string) =>
  createPrivateKey({
    key: Buffer.from(`302e020100300506032b657004220420${byte.repeat(32)}`, 'hex'),
    format: 'der',
    type: 'pkcs8',
  })
const privateKey = seededKey('5e')
const publicKey = createPublicKey(privateKey)
const keyId = keyIdOf(publicKey)

// The sample run applies only a handful of checks, so most of its levels are not tested and no
// certificate would be issued for it. The tests of signing and rendering certify it as though each
// untested level had been tested and failed, which keeps every level it reached as it is.
const sample = () => asIfTested(sampleRunReport())

const issued = () => signCertificate(certificateOf(sample(), { party: 'SEVDEIR-TEST' }), privateKey)
const file = () => Buffer.from(serializeCertificate(issued()))

const message = (fn: () => unknown): string => {
  try {
    fn()
  } catch (error) {
    if (error instanceof SildInputError) return error.message
    throw error
  }
  throw new Error('did not throw')
}

test('states the party, its profiles with levels and scores, the specs and every scenario', () => {
  const { date, ...certificate } = certificateOf(sample(), { party: 'SEVDEIR-TEST' })
  expect(typeof date).toBe('string')
  expect(certificate).toMatchObject({
    schema: 'sild.certificate/v1',
    party: 'SEVDEIR-TEST',
    specsDigest: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    sild: { version: '0.1.0' },
  })
  expect(certificate.profiles).toContainEqual(
    expect.objectContaining({
      profile: 'ua-legal-entities-register',
      level: 0,
      levelName: 'none',
      score: 83.9,
    }),
  )
  expect(certificate.profiles).toContainEqual({
    profile: 'xroad-get-openapi',
    level: 0,
    levelName: 'none',
    score: 0,
    levels: [
      { level: 1, state: 'blocked' },
      { level: 2, state: 'blocked' },
      { level: 3, state: 'blocked' },
      { level: 4, state: 'blocked' },
    ],
  })
  expect(certificate.profiles.map((p) => p.profile)).toEqual([
    'ee-e-residency',
    'ua-diia',
    'ua-legal-entities-register',
    'ua-tax-service',
    'xroad-get-openapi',
    'xroad-list-methods',
  ])
  expect(certificate.scenarios.map((s) => s.id)).toEqual([
    'bank-checks-ua-counterparty',
    'e-residency-application',
    'negative-no-access-right',
    'service-discovery',
    'tax-residency-exchange',
  ])
})

test('refuses to certify a party whose run left a level untested, naming it and what applies it', () => {
  let refusal: unknown
  try {
    certificateOf(sampleRunReport(), { party: 'ee-test' })
  } catch (error) {
    refusal = error
  }
  expect(refusal).toBeInstanceOf(CertificateRefused)
  expect((refusal as Error).message).toMatch(
    /^ee-test × ee-e-residency: level 1 was not tested in this run: requestIdPresent \(applied by every answer of the provider to an X-Road client\) never applied\. A certificate states only what was tested/,
  )
})

const refusalOf = (report: RunReport, party: string): string => {
  try {
    certificateOf(report, { party })
  } catch (error) {
    if (error instanceof CertificateRefused) return error.message
    throw error
  }
  throw new Error('certified')
}

test("refuses a profile that Sild's own mock answered, naming the mock", () => {
  const report = sample()
  const card = report.scorecards.find((c) => c.party === 'ee-test') as Scorecard
  card.answeredBySild = { mocks: ['ee-e-residency'], securityServer: false }
  expect(refusalOf(report, 'ee-test')).toMatch(
    /^ee-test × ee-e-residency was answered by Sild's own mock of ee-e-residency, not by an implementation\. A certificate states how an implementation conforms: send the service's calls to it \(--target SERVICE=URL, or --partner FILE\)/,
  )
})

test("refuses a profile that Sild's simulated security server answered", () => {
  const report = sample()
  const card = report.scorecards.find((c) => c.party === 'SEVDEIR-TEST') as Scorecard
  card.answeredBySild = { mocks: [], securityServer: true }
  expect(refusalOf(report, 'SEVDEIR-TEST')).toMatch(
    new RegExp(
      `^SEVDEIR-TEST × ${card.profile} was answered by Sild's simulated security server, not by SEVDEIR-TEST's own`,
    ),
  )
})

test('refuses a level that its level verdicts do not back, as in an edited report', () => {
  const report = sample()
  const card = report.scorecards.find((c) => c.party === 'ee-test') as Scorecard
  card.level = 2
  expect(() => certificateOf(report, { party: 'ee-test' })).toThrow(
    /claims level 2, but level 1 is blocked/,
  )
})

test("records where each of the party's services was provided and whether --target set it", () => {
  const report: RunReport = {
    ...sample(),
    providers: [
      {
        service: 'md-population-register',
        key: 'md-test/GOV/1/rsp/population',
        party: 'md-test',
        url: 'http://127.0.0.1:8090/population',
        target: false,
      },
      {
        service: 'ee-e-residency',
        key: 'ee-test/GOV/70008747/e-residency/e-residency',
        party: 'ee-test',
        url: 'http://127.0.0.1:9000/e-residency',
        target: true,
      },
    ],
  }
  expect(certificateOf(report, { party: 'ee-test' }).providers).toEqual([
    { service: 'ee-e-residency', url: 'http://127.0.0.1:9000/e-residency', target: true },
  ])
})

test('dates the certificate with the start the report records', () => {
  const report = { ...sample(), startedAt: '2026-05-04T09:30:00.000Z' }
  expect(certificateOf(report, { party: 'ee-test' }).date).toBe('2026-05-04T09:30:00.000Z')
})

test('asks which party to certify when the run scored several', () => {
  expect(message(() => certificateOf(sample()))).toBe(
    'this run scored 2 parties (SEVDEIR-TEST, ee-test): name the one to certify',
  )
})

test('refuses a party the run did not score', () => {
  expect(message(() => certificateOf(sample(), { party: 'MD-TEST' }))).toBe(
    'party "MD-TEST" has no scorecard in this run (scored: SEVDEIR-TEST, ee-test)',
  )
})

test('refuses to certify an incomplete run', () => {
  expect(
    message(() => certificateOf({ ...sample(), complete: false }, { party: 'ee-test' })),
  ).toMatch(/^the run is incomplete/)
})

test('verifies a genuine certificate', () => {
  const result = verifyCertificate(file(), publicKey)
  expect(result.ok ? result.signed.certificate.party : result.problem).toBe('SEVDEIR-TEST')
})

test('writes the file as the canonical JSON of certificate and signature', () => {
  const signed = issued()
  expect(serializeCertificate(signed)).toBe(canonicalJson(signed))
  expect(signed.signature).toMatchObject({ alg: 'Ed25519', keyId: keyId })
})

test('fails verification when any single byte of the file is flipped', () => {
  const bytes = file()
  const accepted: string[] = []
  for (let i = 0; i < bytes.length; i++)
    for (const mask of [0x01, 0x20, 0xff]) {
      const changed = Buffer.from(bytes)
      changed[i] = (changed[i] as number) ^ mask
      if (verifyCertificate(changed, publicKey).ok) accepted.push(`byte ${i} ^ ${mask}`)
    }
  expect(accepted).toEqual([])
})

test('says the content does not match the signature when a level is raised and re-canonicalised', () => {
  const signed = issued()
  const forged = { ...signed, certificate: { ...signed.certificate } }
  forged.certificate.profiles = forged.certificate.profiles.map((p) => ({
    ...p,
    level: 4 as const,
  }))
  const result = verifyCertificate(Buffer.from(canonicalJson(forged)), publicKey)
  expect(result.ok ? '' : result.problem).toBe(
    "the certificate's content does not match its signature",
  )
})

test('says where a file stops being canonical JSON', () => {
  const pretty = Buffer.from(JSON.stringify(issued(), null, 2))
  const result = verifyCertificate(pretty, publicKey)
  expect(result.ok ? '' : result.problem).toBe(
    'the file is not in canonical JSON form (RFC 8785): it differs from it at byte 1, so it was changed after signing',
  )
})

test('says where a file stops being JSON', () => {
  const bytes = file()
  const result = verifyCertificate(bytes.subarray(0, 40), publicKey)
  expect(result.ok ? '' : result.problem).toMatch(/^the file is not valid JSON at byte 40: /)
})

test('names both key ids when verified with another key', () => {
  const other = createPublicKey(seededKey('6f'))
  const result = verifyCertificate(file(), other)
  expect(result.ok ? '' : result.problem).toBe(
    `the certificate names signing key ${keyId}, but the public key given is ${keyIdOf(other)}: the wrong key, or the key id was altered`,
  )
})

test('generates a PEM key pair that signs and verifies under the id it reports', () => {
  const pair = generateSigningKeys()
  const signed = signCertificate(
    certificateOf(sample(), { party: 'ee-test' }),
    readEd25519Key(pair.privateKeyPem, 'private', 'key.pem'),
  )
  const result = verifyCertificate(
    Buffer.from(serializeCertificate(signed)),
    readEd25519Key(pair.publicKeyPem, 'public', 'key.pub.pem'),
  )
  expect(result.ok ? result.signed.signature.keyId : result.problem).toBe(pair.keyId)
  expect(pair.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/)
  expect(pair.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/)
})

test('refuses a key that is not Ed25519', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 })
    .publicKey.export({ format: 'pem', type: 'spki' })
    .toString()
  expect(message(() => readEd25519Key(rsa, 'public', 'rsa.pem'))).toBe(
    'rsa.pem is a rsa key; Sild certificates are signed with Ed25519',
  )
  expect(message(() => readEd25519Key('not a key', 'private', 'x.pem'))).toMatch(
    /^x\.pem is not a PEM private key/,
  )
})

test('renders the certificate as a page with every party string escaped', () => {
  const signed = issued()
  signed.certificate.party = '<img src=x onerror=alert(1)>'
  const html = renderCertificateHtml(signed, { file: 'out/cert.json' })
  expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;')
  expect(html).not.toContain('<img')
  expect(html).toContain('No level reached')
  expect(html).toContain('sild certificate verify out/cert.json --public-key KEY.pub.pem')
})
