import { spawn, type ChildProcess } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { createMessageLog, verifyLog } from '../../mocks/message-log/index.ts'
import { serialiseRecord, GENESIS } from '../../mocks/message-log/record.ts'
import { SildInputError } from '../../specs/source-file/index.ts'
import { sild } from '../helpers/cli.ts'

// The message log is evidence: whoever holds the file must not be able to drop the newest
// records, append forged ones or rewrite history and re-chain it without `sild log verify`
// saying so; and two writers must never fork one log.

let dir: string
let sleeper: ChildProcess
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sild-log-sec-'))
  sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' })
})
afterAll(() => {
  sleeper.kill('SIGKILL')
  rmSync(dir, { recursive: true, force: true })
})

let n = 0
/** A closed log of `count` exchanges, the third an AccessDenied; returns its path. */
const writeLog = async (count = 6): Promise<string> => {
  const file = join(dir, `log-${n++}.jsonl`)
  const log = await createMessageLog({ file, now: () => new Date(Date.UTC(2026, 0, 1)) })
  for (let i = 0; i < count; i++) {
    log.append({
      kind: 'exchange',
      securityServer: 'ee-test/GOV/70006317/ss1',
      instance: 'ee-test',
      status: i === 2 ? 500 : 200,
      ...(i === 2 ? { error: 'Server.ServerProxy.AccessDenied' } : {}),
    })
  }
  await log.close()
  return file
}

const lines = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean)
const entryOf = (line: string) => {
  const { seq: _s, prev: _p, at: _a, hash: _h, ...entry } = JSON.parse(line)
  return entry
}
/** Rewrites records from `from` on with `change` and recomputes every hash after it. */
const rechain = (file: string, from: number, change: (e: Record<string, unknown>) => void) => {
  const all = lines(file)
  let prev = from === 0 ? GENESIS : (JSON.parse(all[from - 1] as string).hash as string)
  const out = all.slice(0, from)
  for (let i = from; i < all.length; i++) {
    const entry = entryOf(all[i] as string)
    if (i === from) change(entry)
    const { record, line } = serialiseRecord(i, prev, JSON.parse(all[i] as string).at, entry)
    out.push(line.trimEnd())
    prev = record.hash
  }
  writeFileSync(file, `${out.join('\n')}\n`)
}
const append = (file: string, count: number) => {
  const all = lines(file)
  let prev = JSON.parse(all.at(-1) as string).hash as string
  for (let i = 0; i < count; i++) {
    const seq = all.length
    const { record, line } = serialiseRecord(seq, prev, '2026-01-01T00:00:00.000Z', {
      kind: 'exchange',
      securityServer: 'forged',
      instance: 'ee-test',
      status: 200,
    })
    all.push(line.trimEnd())
    prev = record.hash
  }
  writeFileSync(file, `${all.join('\n')}\n`)
}

const verify = async (file: string, ...args: string[]) => sild('log', 'verify', file, ...args)

const TAMPERING: Array<[string, (file: string) => void, RegExp]> = [
  [
    'drops the newest record',
    (f) => writeFileSync(f, `${lines(f).slice(0, -1).join('\n')}\n`),
    /were removed/,
  ],
  [
    'drops the newest three records',
    (f) => writeFileSync(f, `${lines(f).slice(0, -3).join('\n')}\n`),
    /were removed/,
  ],
  ['empties the log', (f) => writeFileSync(f, ''), /were removed/],
  [
    'appends one forged record with recomputed hashes',
    (f) => append(f, 1),
    /after the last signed head/,
  ],
  ['appends fifty forged records', (f) => append(f, 50), /after the last signed head/],
  [
    'rewrites an AccessDenied into a 200 and re-chains',
    (f) =>
      rechain(f, 2, (e) => {
        e.status = 200
        delete e.error
      }),
    /rewritten/,
  ],
  [
    'rewrites the first record and re-chains',
    (f) =>
      rechain(f, 0, (e) => {
        e.instance = 'FI-TEST'
      }),
    /rewritten/,
  ],
  [
    'rewrites the last record and re-chains',
    (f) =>
      rechain(f, 5, (e) => {
        e.status = 201
      }),
    /rewritten/,
  ],
  ['deletes the signed heads', (f) => rmSync(`${f}.anchor`), /no signed head/],
  [
    'edits the count in a signed head',
    (f) =>
      writeFileSync(
        `${f}.anchor`,
        readFileSync(`${f}.anchor`, 'utf8').replace(/"records":6/g, '"records":5'),
      ),
    /invalid signature/,
  ],
  [
    're-signs the heads with a key of its own',
    (f) => {
      const { publicKey } = generateKeyPairSync('ed25519')
      const x = String(publicKey.export({ format: 'jwk' }).x)
      writeFileSync(
        `${f}.anchor`,
        readFileSync(`${f}.anchor`, 'utf8').replace(/"key":"[\w-]+"/, `"key":"${x}"`),
      )
    },
    /another key|invalid signature/,
  ],
  [
    'swaps in the signed heads of another log',
    (f) => writeFileSync(`${f}.anchor`, readFileSync(`${f.replace(/log-(\d+)/, 'donor')}.anchor`)),
    /another key|rewritten/,
  ],
]

test.each(TAMPERING)('sild log verify fails when an attacker %s', async (_, tamper, message) => {
  const file = await writeLog()
  if (tamper.toString().includes('donor')) {
    const donor = join(dir, 'donor.jsonl')
    if (!existsSync(donor)) {
      const log = await createMessageLog({ file: donor })
      log.append({ kind: 'exchange', securityServer: 'x', instance: 'ee-test' })
      await log.close()
    }
  }
  expect((await verify(file)).code).toBe(0)
  tamper(file)
  const result = await verify(file)
  expect(result.code).toBe(1)
  expect(result.stdout).toMatch(message)
  expect(result.stdout).not.toMatch(/^ok/)
})

test.each(TAMPERING.filter(([what]) => !/deletes|edits|re-signs|swaps/.test(what)))(
  'Sild refuses to continue a log when an attacker %s, unless it only appended',
  async (what, tamper) => {
    const file = await writeLog()
    tamper(file)
    const opening = createMessageLog({ file })
    if (/appends/.test(what)) {
      // Unsigned records are what a killed Sild leaves too: they are signed and the open says so.
      const log = await opening
      expect(log.repaired).toMatchObject({ action: 'signed' })
      await log.close()
    } else {
      await expect(opening).rejects.toBeInstanceOf(SildInputError)
    }
  },
)

test('pins the signing key with --public-key', async () => {
  const file = await writeLog()
  const other = generateKeyPairSync('ed25519').publicKey.export({ format: 'pem', type: 'spki' })
  writeFileSync(join(dir, 'other.pub.pem'), other)
  const result = await verify(file, '--public-key', join(dir, 'other.pub.pem'))
  expect(result.code).toBe(1)
  expect(result.stdout).toMatch(/another key/)
})

test('a second writer on a log in use exits 2 naming the holder pid', async () => {
  const file = join(dir, 'held.jsonl')
  writeFileSync(`${file}.lock`, `${sleeper.pid}\n`)
  const result = await sild('run', '--log', file, '--grep', 'no-such-scenario-at-all')
  expect(result.code).toBe(2)
  expect(result.stderr).toContain(`is in use by process ${sleeper.pid}`)
  expect(result.stderr).not.toMatch(/\n\s+at /)
  expect(existsSync(file)).toBe(false)
})

test('a lock left by a process that is gone is taken over', async () => {
  const file = join(dir, 'stale.jsonl')
  const gone = spawn(process.execPath, ['-e', '0'])
  await new Promise((resolve) => gone.once('exit', resolve))
  writeFileSync(`${file}.lock`, `${gone.pid}\n`)
  const log = await createMessageLog({ file })
  expect(readFileSync(`${file}.lock`, 'utf8')).toBe(`${process.pid}\n`)
  await log.close()
  expect(existsSync(`${file}.lock`)).toBe(false)
})

test('a forked log names the fork and the way to recover', async () => {
  const file = await writeLog()
  const all = lines(file)
  writeFileSync(file, `${[...all, all[4]].join('\n')}\n`)
  const result = await verify(file)
  expect(result.code).toBe(1)
  expect(result.stdout).toMatch(/appears again/)
  expect(result.stdout).toMatch(/fork/)
  expect(result.stdout).toMatch(/Recovering a message log/)
})

test('sild run on a log a killed process left unsigned signs the records and says so', async () => {
  const file = await writeLog()
  append(file, 2)
  const result = await sild('run', '--log', file, '--grep', 'no-such-scenario-at-all')
  expect(result.stderr).toContain(
    `sild: message log ${file}: signed 2 records written after the last signed head`,
  )
  expect((await verify(file)).code).toBe(0)
})
