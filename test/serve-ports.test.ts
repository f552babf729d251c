import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, test } from 'vitest'

// The environment's usual refusals to listen, met by `sild serve` as a user starts it: one line
// that names the port and the fix, exit code 2, and the process ends (nothing left listening).

const SILD = fileURLToPath(new URL('../bin/sild.js', import.meta.url))
// A bound, not an expectation: a `sild serve` that hangs is killed and the test fails.
const EXIT_WITHIN_MS = 60_000

let dir: string
let holder: Server
let heldPort: number

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sild-ports-'))
  holder = createServer()
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve))
  heldPort = (holder.address() as { port: number }).port
})

afterAll(async () => {
  await new Promise((resolve) => holder.close(resolve))
  await rm(dir, { recursive: true, force: true })
})

const serve = (...args: string[]) =>
  new Promise<{ code: number | null; signal: string | null; stderr: string; stdout: string }>(
    (resolve) => {
      const child = spawn(
        process.execPath,
        [SILD, 'serve', '--log', join(dir, 'log.jsonl'), ...args],
        { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], timeout: EXIT_WITHIN_MS },
      )
      let stdout = ''
      let stderr = ''
      child.stdout.on('data', (chunk) => (stdout += chunk))
      child.stderr.on('data', (chunk) => (stderr += chunk))
      child.once('exit', (code, signal) => resolve({ code, signal, stderr, stdout }))
    },
  )

test('a port in use ends sild serve with exit code 2 and one line naming the port and --port-base', async () => {
  // The first security server listens at base + 1: the held port.
  const result = await serve('--port-base', String(heldPort - 1))
  expect(result.stderr).toBe(
    `sild: port ${heldPort} on 127.0.0.1 is already in use (the security server of ee-test); stop what holds it, or choose other ports with --port-base N (0 picks free ports)\n`,
  )
  expect(result.stdout).toBe('')
  expect(result).toMatchObject({ code: 2, signal: null })
}, 90_000)

test('a port base whose range passes 65535 ends sild serve with exit code 2 and the highest base that fits', async () => {
  const result = await serve('--port-base', '65530')
  expect(result.stderr).toBe(
    'sild: --port-base 65530 does not fit: the sandbox takes ports 65530 to 65557, and the last port is 65535; use --port-base 65508 or lower, or --port-base 0 for free ports\n',
  )
  expect(result).toMatchObject({ code: 2, signal: null })
}, 90_000)

test('an address that is not this machine’s ends sild serve with exit code 2 and the --host fix', async () => {
  // 192.0.2.1 is TEST-NET-1 (RFC 5737): reserved for documentation, never a local address.
  const result = await serve('--host', '192.0.2.1', '--port-base', '0')
  expect(result.stderr).toBe(
    'sild: cannot listen on 192.0.2.1 (the security server of ee-test): 192.0.2.1 is not an address of this machine; use --host with one of its addresses (default 127.0.0.1)\n',
  )
  expect(result).toMatchObject({ code: 2, signal: null })
}, 90_000)
