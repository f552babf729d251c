import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Command } from 'commander'
import { afterEach, beforeEach, expect, test, vi } from 'vitest'
import { createMessageLog } from '../mocks/message-log/index.ts'
import { SildInputError } from '../specs/source-file/index.ts'
import { logVerify } from './log-verify.ts'
import { main } from './main.ts'

// Only this command, so main() runs without the rest of the sandbox.

let dir: string
let file: string
let output: string[]

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sild-log-verify-'))
  file = join(dir, 'message-log.jsonl')
  output = []
  const capture = (chunk: string | Uint8Array) => (output.push(String(chunk)), true)
  vi.spyOn(process.stdout, 'write').mockImplementation(capture)
  vi.spyOn(process.stderr, 'write').mockImplementation(capture)
})

afterEach(async () => {
  vi.restoreAllMocks()
  await rm(dir, { recursive: true, force: true })
})

const writeLog = async (path: string, count: number) => {
  const log = await createMessageLog({ file: path, now: () => new Date(Date.UTC(2024, 4, 1)) })
  for (let i = 0; i < count; i++) {
    log.append({
      kind: 'exchange',
      securityServer: 'ss1.ee-test',
      instance: 'ee-test',
      status: 200 + i,
    })
  }
  await log.close()
}

/** Runs `sild log verify ARGS` through a program of its own and returns the exit code. */
const run = async (...args: string[]) => {
  let code: number | undefined
  const program = new Command('sild').exitOverride()
  logVerify(program, (exitCode) => (code = exitCode))
  await program.parseAsync(['log', 'verify', ...args], { from: 'user' })
  return code
}

test('prints the record count and exits 0 for an intact log', async () => {
  await writeLog(file, 3)
  expect(await run(file)).toBe(0)
  expect(output.join('')).toMatch(
    /^ok: 3 records, hash chain intact, head signed at close by key [\w-]{43} \(pass --public-key to pin it\)\n$/,
  )
})

test('names the file, line and record of an edit and exits 1', async () => {
  await writeLog(file, 3)
  await writeFile(file, (await readFile(file, 'utf8')).replace('"status":201', '"status":500'))
  expect(await run(file)).toBe(1)
  const [first] = output.join('').split('\n')
  expect(first).toBe(`${file}:2: record seq 1 was edited (hash mismatch)`)
})

test('reports a torn tail and exits 1', async () => {
  await writeLog(file, 3)
  await writeFile(file, (await readFile(file, 'utf8')).slice(0, -20))
  expect(await run(file)).toBe(1)
  expect(output.join('')).toMatch(
    /:3: the last line is cut short .*\n {2}A crash cut the last write short/,
  )
})

test('treats a missing log as bad input', async () => {
  await expect(run(join(dir, 'absent.jsonl'))).rejects.toThrow(SildInputError)
  await expect(run(join(dir, 'absent.jsonl'))).rejects.toThrow(/message log not found/)
})

test('treats a directory as bad input', async () => {
  await expect(run(dir)).rejects.toThrow(/not a file/)
})

test('reads .sild/message-log.jsonl by default', async () => {
  await mkdir(join(dir, '.sild'))
  await writeLog(join(dir, '.sild', 'message-log.jsonl'), 2)
  const cwd = process.cwd()
  process.chdir(dir)
  try {
    expect(await run()).toBe(0)
  } finally {
    process.chdir(cwd)
  }
  expect(output.join('')).toMatch(/^ok: 2 records, hash chain intact, head signed at close/)
})

test('adds verify under an existing log command', async () => {
  const program = new Command('sild')
  program.command('log').command('show')
  logVerify(program, () => {})
  const log = program.commands.filter((command) => command.name() === 'log')
  expect(log).toHaveLength(1)
  expect(log[0]?.commands.map((command) => command.name())).toEqual(['show', 'verify'])
})

test('exits 2 through main for a missing log and 1 for a tampered one', async () => {
  expect(await main(['log', 'verify', join(dir, 'absent.jsonl')])).toBe(2)
  expect(output.join('')).toContain('sild: message log not found')
  await writeLog(file, 2)
  await writeFile(file, (await readFile(file, 'utf8')).replace('"status":200', '"status":404'))
  expect(await main(['log', 'verify', file])).toBe(1)
  expect(await main(['log', 'verify', '--help'])).toBe(0)
})
