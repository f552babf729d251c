import { createPrivateKey, createPublicKey } from 'node:crypto'
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, test, vi } from 'vitest'
import { keyIdOf } from '../reports/certificate/index.ts'
import { KEY_FILES } from './keygen.ts'
import { main } from './main.ts'

// Only this command, so main() runs without the rest of the sandbox.

let dir: string
let output: string[]

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sild-keygen-'))
  output = []
  const capture = (chunk: string | Uint8Array) => (output.push(String(chunk)), true)
  vi.spyOn(process.stdout, 'write').mockImplementation(capture)
  vi.spyOn(process.stderr, 'write').mockImplementation(capture)
})

afterEach(async () => {
  vi.restoreAllMocks()
  await rm(dir, { recursive: true, force: true })
})

test('writes an Ed25519 key pair as PEM, the private key readable by its owner only', async () => {
  const out = join(dir, 'keys')
  expect(await main(['keygen', '--out', out])).toBe(0)
  const privateKey = createPrivateKey(await readFile(join(out, KEY_FILES.private), 'utf8'))
  const publicKey = createPublicKey(await readFile(join(out, KEY_FILES.public), 'utf8'))
  expect(privateKey.asymmetricKeyType).toBe('ed25519')
  expect(keyIdOf(createPublicKey(privateKey))).toBe(keyIdOf(publicKey))
  expect((await stat(join(out, KEY_FILES.private))).mode & 0o777).toBe(0o600)
  expect(output.join('')).toContain(`key id:      ${keyIdOf(publicKey)}\n`)
})

test('never overwrites an existing key', async () => {
  await writeFile(join(dir, KEY_FILES.private), 'old key')
  expect(await main(['keygen', '--out', dir])).toBe(2)
  expect(await readFile(join(dir, KEY_FILES.private), 'utf8')).toBe('old key')
  expect(output.join('')).toContain('already exists; sild keygen never overwrites a key')
})

test('needs --out', async () => {
  expect(await main(['keygen'])).toBe(2)
})
