import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, test, vi } from 'vitest'
import { asIfTested, sampleRunReport } from '../reports/test-fixtures/run-report.ts'
import { SildInputError } from '../specs/source-file/index.ts'
import { certificateWriter, parseCertificateTarget } from './certificate.ts'
import { KEY_FILES } from './keygen.ts'
import { main } from './main.ts'

let dir: string
let output: string[]

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sild-certificate-'))
  output = []
  const capture = (chunk: string | Uint8Array) => (output.push(String(chunk)), true)
  vi.spyOn(process.stdout, 'write').mockImplementation(capture)
  vi.spyOn(process.stderr, 'write').mockImplementation(capture)
})

afterEach(async () => {
  vi.restoreAllMocks()
  await rm(dir, { recursive: true, force: true })
})

/** Makes a key pair with `sild keygen` and writes a certificate as `sild run` would. */
const issue = async (party = 'ee-test') => {
  await main(['keygen', '--out', dir])
  const file = join(dir, 'out', 'certificate.json')
  const write = await certificateWriter({
    certificate: { party, path: file },
    signingKey: join(dir, KEY_FILES.private),
  })
  // The sample run tests too little to be certified; see asIfTested.
  expect(await write?.(asIfTested(sampleRunReport()))).toBe(true)
  output = []
  return { file, publicKey: join(dir, KEY_FILES.public) }
}

test('verifies a certificate that sild run wrote and exits 0', async () => {
  const { file, publicKey } = await issue()
  expect(await main(['certificate', 'verify', file, '--public-key', publicKey])).toBe(0)
  expect(output.join('')).toMatch(
    new RegExp(`^${file}: valid, signed by key [\\w-]{43}\\n  ee-test · `),
  )
  expect(output.join('')).toContain(
    '  ee-e-residency                   level 0 none                 100.0 · level 1 blocked',
  )
})

test('writes an HTML page beside the certificate', async () => {
  const { file } = await issue()
  const html = await readFile(`${file}.html`, 'utf8')
  expect(html).toContain('<h1>Conformance certificate</h1>')
  expect(html).toContain('<p class="party">ee-test</p>')
})

test('exits 1 and names the problem when one byte of the file changed', async () => {
  const { file, publicKey } = await issue()
  const bytes = await readFile(file)
  const at = bytes.indexOf('"level":') + 8
  bytes[at] = (bytes[at] as number) ^ 0x01
  await writeFile(file, bytes)
  expect(await main(['certificate', 'verify', file, '--public-key', publicKey])).toBe(1)
  expect(output.join('')).toBe(
    `${file}: NOT VALID: the certificate's content does not match its signature\n`,
  )
})

test('exits 2 when the public key is missing', async () => {
  const { file } = await issue()
  expect(await main(['certificate', 'verify', file, '--public-key', join(dir, 'none.pem')])).toBe(2)
  expect(output.join('')).toContain('public key not found:')
})

test('needs --signing-key with --certificate, and the other way round', async () => {
  await expect(certificateWriter({ certificate: { path: 'c.json' } })).rejects.toThrow(
    SildInputError,
  )
  await expect(certificateWriter({ certificate: { path: 'c.json' } })).rejects.toThrow(
    '--certificate needs --signing-key',
  )
  await expect(certificateWriter({ signingKey: 'k.pem' })).rejects.toThrow(
    '--signing-key needs --certificate',
  )
  expect(await certificateWriter({})).toBeUndefined()
})

test('writes no certificate for an incomplete run', async () => {
  await main(['keygen', '--out', dir])
  const file = join(dir, 'c.json')
  const write = await certificateWriter({
    certificate: { party: 'ee-test', path: file },
    signingKey: join(dir, KEY_FILES.private),
  })
  await write?.({ ...sampleRunReport(), complete: false })
  expect(await stat(file).catch(() => undefined)).toBeUndefined()
  expect(output.join('')).toContain('no certificate written')
})

test('reads --certificate as PATH or PARTY=PATH', () => {
  expect(parseCertificateTarget('out/certificate.json')).toEqual({ path: 'out/certificate.json' })
  expect(parseCertificateTarget('SEVDEIR-TEST=out/ua.json')).toEqual({
    party: 'SEVDEIR-TEST',
    path: 'out/ua.json',
  })
  expect(parseCertificateTarget('./a=b.json')).toEqual({ path: './a=b.json' })
  expect(() => parseCertificateTarget('ee-test=')).toThrow('[PARTY=]PATH')
})

test('writes no certificate for a run that left a level untested, and says which check never ran', async () => {
  await main(['keygen', '--out', dir])
  const file = join(dir, 'out', 'refused.json')
  const write = await certificateWriter({
    certificate: { party: 'ee-test', path: file },
    signingKey: join(dir, KEY_FILES.private),
  })
  expect(await write?.(sampleRunReport())).toBe(false)
  await expect(stat(file)).rejects.toThrow(/ENOENT/)
  expect(output.join('')).toMatch(
    /no certificate written to .*refused\.json: ee-test × .*never applied/,
  )
})
