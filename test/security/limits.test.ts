import { mkdtempSync, rmSync, writeFileSync, truncateSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { serveDashboard } from '../../cli/serve.ts'
import { startSandboxServers, type SandboxServers } from '../../cli/sandbox-servers.ts'
import { createEventHub } from '../../dashboard/events/index.ts'
import { parseSource, SildInputError } from '../../specs/source-file/index.ts'
import { sild } from '../helpers/cli.ts'
import { rawRequest } from './raw-http.ts'

// Bounded inputs and no internal errors: loading is linear in the input, bodies are refused by
// size before they are read, deep JSON is refused before anything recurses over it, a reader that
// stops reading is dropped, and names from outside never find Object.prototype.

let dir: string
let servers: SandboxServers
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sild-limits-'))
  servers = await startSandboxServers({ log: null, dashboard: serveDashboard(null) })
})
afterAll(async () => {
  await servers?.close()
  rmSync(dir, { recursive: true, force: true })
})

const DUPLICATES: Array<[string, string, number, number]> = [
  ['at the top level', 'a: 1\nb: 2\na: 3\n', 3, 1],
  ['in a nested map', 'a:\n  x: 1\n  y: 2\n  x: 3\n', 4, 3],
  ['in a map inside a list', 'l:\n  - { k: 1, k: 2 }\n', 2, 13],
  ['spelled once quoted and once plain', 'key: 1\n"key": 2\n', 2, 1],
  ['in JSON', '{"a": 1, "b": {"c": 1, "c": 2}}', 1, 24],
  [
    'as the last of 40,000 keys',
    `m:\n${Array.from({ length: 40_000 }, (_, i) => `  k${i}: ${i}\n`).join('')}  k7: again\n`,
    40_002,
    3,
  ],
]

test.each(DUPLICATES)(
  'finds a duplicate key %s and names its line and column',
  (_, text, line, column) => {
    let error: unknown
    try {
      parseSource(text, 'dup.yaml')
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(SildInputError)
    expect((error as SildInputError).message).toBe('YAML syntax error: Map keys must be unique')
    expect((error as SildInputError).location).toEqual({ file: 'dup.yaml', line, column })
  },
)

test('loads a partner file of 40,000 keys to one clear message, not a stall', async () => {
  const file = join(dir, 'big-partner.yaml')
  const keys = Array.from({ length: 40_000 }, (_, i) => `    field${i}: value${i}`).join('\n')
  writeFileSync(file, `version: sild.partner/v1\ntestData:\n  ee-population-register:\n${keys}\n`)
  const result = await sild('run', '--partner', file)
  expect(result.code).toBe(2)
  expect(result.stderr).toMatch(/big-partner\.yaml:\d+:\d+: /)
  expect(result.stderr).not.toMatch(/\n\s+at /)
})

test('refuses a spec file over the size limit before reading it', async () => {
  const file = join(dir, 'huge-federation.yaml')
  writeFileSync(file, '')
  truncateSync(file, 17 * 1024 * 1024)
  const result = await sild('lint', '--federation', file)
  expect(result.code).toBe(2)
  expect(result.stderr).toMatch(/more than the 16777216 bytes Sild reads/)
})

const dashboard = () => servers.ready.dashboard as string
const jsonHeaders = (extra: Record<string, string> = {}) => ({
  host: new URL(dashboard()).host,
  'content-type': 'application/json',
  ...extra,
})

test.each([
  ['/api/try', 96 * 1024 * 1024],
  ['/api/try', 1024 * 1024 + 1],
  ['/api/runs', 10 * 1024 * 1024],
  ['/api/services/ee-population-register/provider', 2 * 1024 * 1024],
])(
  'the dashboard answers 413 to a declared %s body of %d bytes without reading it',
  async (path, size) => {
    const answer = await rawRequest(dashboard(), path, {
      method: path.endsWith('provider') ? 'PUT' : 'POST',
      headers: jsonHeaders({ 'content-length': String(size) }),
      body: '{',
    })
    expect(answer.status).toBe(413)
  },
)

test('the dashboard answers 413 to a chunked body once it passes the limit', async () => {
  const answer = await rawRequest(dashboard(), '/api/try', {
    method: 'POST',
    headers: jsonHeaders({ 'transfer-encoding': 'chunked' }),
    body: `{"body":"${'x'.repeat(2 * 1024 * 1024)}"}`,
  })
  expect(answer.status).toBe(413)
})

const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`

test.each([65, 1_000, 100_000])(
  'Try it refuses a body nested %d deep with 400 and a reason',
  async (n) => {
    const answer = await rawRequest(dashboard(), '/api/try', {
      method: 'POST',
      headers: jsonHeaders(),
      body: JSON.stringify({
        serviceId: 'ee-business-register',
        operationId: 'submitFoundingApplication',
        client: 'ee-test/GOV/70006317/eesti-ee',
        body: deep(n),
      }),
    })
    expect(answer.status).toBe(400)
    expect(JSON.parse(answer.text).error).toMatch(/nests deeper than 64 levels/)
  },
)

test.each([65, 100_000])(
  'a mocked service refuses a body nested %d deep as invalid, not with a 500',
  async (n) => {
    const ss = servers.ready.securityServers['ee-test'] as string
    const answer = await rawRequest(
      ss,
      '/r1/ee-test/GOV/70000310/arireg/business-register/founding-applications',
      {
        method: 'POST',
        headers: {
          host: new URL(ss).host,
          'content-type': 'application/json',
          'x-road-client': 'ee-test/GOV/70006317/eesti-ee',
        },
        body: deep(n),
      },
    )
    expect(answer.status).toBe(400)
    expect(answer.text).toMatch(/nests deeper than 64 levels/)
  },
)

test('drops an event stream whose reader stopped reading, and keeps one that reads', async () => {
  const hub = createEventHub({ keepAliveMs: 60_000, maxBehindBytes: 64 * 1024 })
  const stalled = hub.stream()
  const reading = hub.stream().body?.getReader()
  expect(hub.size).toBe(2)
  const chunk = { event: 'exchange', data: 'x'.repeat(4096) }
  for (let i = 0; i < 64; i++) {
    hub.publish(chunk)
    await reading?.read()
  }
  expect(hub.size).toBe(1)
  await expect(stalled.body?.getReader().read()).rejects.toThrow(/fell behind/)
  hub.close()
})

const PROTOTYPE_NAMES = [
  'constructor',
  '__proto__',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'isPrototypeOf',
]

test.each(PROTOTYPE_NAMES)(
  'sild run --report %s=PATH is an unknown format, exit 2',
  async (name) => {
    const result = await sild('run', '--report', `${name}=${join(dir, 'r.out')}`)
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(`unknown report format "${name}"`)
  },
)

test.each(PROTOTYPE_NAMES)('the dashboard answers 404 for the report format %s', async (name) => {
  const answer = await rawRequest(dashboard(), `/api/runs/1/report/${name}`, {
    headers: { host: new URL(dashboard()).host },
  })
  expect(answer.status).toBe(404)
})
