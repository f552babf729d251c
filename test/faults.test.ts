import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test, vi } from 'vitest'
import { main } from '../cli/main.ts'
import { createSandbox, type Sandbox } from '../mocks/sandbox/index.ts'
import { sendExchange, MAX_RESPONSE_BYTES } from '../runner/execute/exchange.ts'
import type { Transport } from '../runner/transport.ts'
import type { RunReport } from '../runner/types.ts'
import { loadFederation } from '../specs/federation/index.ts'

// Providers that misbehave at the byte level, each a raw TCP server on 127.0.0.1 so the test
// controls every byte: what `http.createServer` would refuse to send is exactly what a
// half-finished partner service sends. The security servers' own tests cover a refused port, a
// reset, a hang, bytes that are not HTTP and an 11 MiB body; these add the rest of issue 9.

const TIMEOUT_MS = 400
const JSON_HEAD = 'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n'

type Behaviour = (socket: Socket, state: ProviderState) => void
type ProviderState = { bytesSent: number; closed: boolean; finished: boolean }

/** Answers each connection's first request with `behaviour`; counts what it sent. */
const BEHAVIOURS: Record<string, Behaviour> = {
  'reset-mid-body': (socket, state) => {
    send(socket, state, `${JSON_HEAD}content-length: 1000\r\n\r\n{"partial":`)
    setTimeout(() => socket.resetAndDestroy(), 20)
  },
  'hang-after-headers': (socket, state) => {
    send(socket, state, `${JSON_HEAD}transfer-encoding: chunked\r\n\r\n5\r\n{"a":\r\n`)
  },
  trickle: (socket, state) => {
    // Each byte comes well within any idle timeout, the whole answer never within TIMEOUT_MS.
    send(socket, state, `${JSON_HEAD}transfer-encoding: chunked\r\n\r\n`)
    let sent = 0
    const timer = setInterval(() => {
      if (state.closed) return clearInterval(timer)
      if (++sent > 60) {
        clearInterval(timer)
        state.finished = true
        return send(socket, state, '0\r\n\r\n')
      }
      send(socket, state, '1\r\n \r\n')
    }, 50)
  },
  'invalid-chunked': (socket, state) => {
    send(socket, state, `${JSON_HEAD}transfer-encoding: chunked\r\n\r\nZZ\r\n{"a":1}\r\n0\r\n\r\n`)
  },
  'huge-headers': (socket, state) => {
    const filler = Array.from({ length: 256 }, (_, i) => `x-filler-${i}: ${'f'.repeat(1000)}\r\n`)
    send(socket, state, `${JSON_HEAD}${filler.join('')}content-length: 2\r\n\r\n{}`)
  },
  'content-length-too-long': (socket, state) => {
    send(socket, state, `${JSON_HEAD}content-length: 100\r\n\r\n{"a":1}`)
    socket.end()
  },
  'content-length-too-short': (socket, state) => {
    send(socket, state, `${JSON_HEAD}content-length: 7\r\n\r\n{"a":1}{"smuggled":true}`)
  },
  'endless-body': (socket, state) => {
    send(socket, state, 'HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\n\r\n')
    const chunk = Buffer.alloc(64 * 1024, 0x78)
    const pump = () => {
      while (!state.closed && state.bytesSent < 200 * 1024 * 1024) {
        state.bytesSent += chunk.length
        if (!socket.write(chunk)) return void socket.once('drain', pump)
      }
    }
    pump()
  },
  'status-out-of-range': (socket, state) => {
    send(socket, state, 'HTTP/1.1 999 Whatever\r\ncontent-length: 2\r\n\r\n{}')
  },
  'deep-json': (socket, state) => {
    const depth = 100_000
    const body = `${'['.repeat(depth)}${']'.repeat(depth)}`
    send(socket, state, `${JSON_HEAD}content-length: ${body.length}\r\n\r\n${body}`)
  },
  'informational-status': (socket, state) => {
    send(socket, state, 'HTTP/1.1 150 Nope\r\ncontent-length: 2\r\n\r\n{}')
  },
}

const send = (socket: Socket, state: ProviderState, text: string) => {
  if (state.closed) return
  state.bytesSent += Buffer.byteLength(text)
  socket.write(text)
}

type Provider = { port: number; states: ProviderState[]; server: Server }

const startProvider = (behaviour: Behaviour): Promise<Provider> =>
  new Promise((resolve, reject) => {
    const states: ProviderState[] = []
    const server = createServer((socket) => {
      const state: ProviderState = { bytesSent: 0, closed: false, finished: false }
      states.push(state)
      socket.on('error', () => {})
      socket.once('close', () => (state.closed = true))
      // Every request on the connection gets the behaviour, so a reused connection shows it too.
      let head = ''
      socket.on('data', (chunk: Buffer) => {
        head += chunk.toString('latin1')
        while (head.includes('\r\n\r\n')) {
          head = head.slice(head.indexOf('\r\n\r\n') + 4)
          behaviour(socket, state)
        }
      })
    })
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () =>
      resolve({ port: (server.address() as AddressInfo).port, states, server }),
    )
  })

let dir: string
let sandbox: Sandbox
const providers = new Map<string, Provider>()

beforeAll(async () => {
  for (const [name, behaviour] of Object.entries(BEHAVIOURS)) {
    providers.set(name, await startProvider(behaviour))
  }
  dir = mkdtempSync(join(tmpdir(), 'sild-faults-'))
  writeFileSync(
    join(dir, 'any.yaml'),
    "openapi: 3.1.0\ninfo: { title: Any, version: '1' }\npaths:\n  /things/{id}:\n    get:\n      operationId: getThing\n      parameters: [{ name: id, in: path, required: true, schema: { type: string } }]\n      responses: { '200': { description: A thing } }\n",
  )
  const services = [...providers].map(
    ([name, p]) =>
      `              - { id: ${name}, code: ${name}, spec: any.yaml, provider: 'http://127.0.0.1:${p.port}' }`,
  )
  const rights = [...providers.keys()].map(
    (name) =>
      `  - { client: ee-test/GOV/70006317/portal, service: ee-test/GOV/70008440/rr/${name} }`,
  )
  writeFileSync(
    join(dir, 'federation.yaml'),
    [
      'version: sild.federation/v1',
      'instances:',
      '  - code: ee-test',
      '    protocol: xroad-rest',
      '    securityServer: { member: GOV/70006317, code: ss1 }',
      '    members:',
      "      - { class: GOV, code: '70006317', subsystems: [{ code: portal }] }",
      '      - class: GOV',
      "        code: '70008440'",
      '        subsystems:',
      '          - code: rr',
      '            services:',
      ...services,
      'accessRights:',
      ...rights,
      '',
    ].join('\n'),
  )
  sandbox = await createSandbox({
    federation: loadFederation([join(dir, 'federation.yaml')]),
    timeoutMs: TIMEOUT_MS,
  })
})

afterAll(async () => {
  await sandbox?.close()
  for (const p of providers.values()) {
    p.server.close()
  }
  rmSync(dir, { recursive: true, force: true })
})

const call = async (service: string) => {
  const response = await sandbox.dispatcher.fetch(
    `${sandbox.urls.securityServers['ee-test']}/r1/ee-test/GOV/70008440/rr/${service}/things/1`,
    { headers: { 'X-Road-Client': 'ee-test/GOV/70006317/portal' } },
  )
  const text = await response.text()
  return { status: response.status, error: response.headers.get('x-road-error'), text }
}

const LIMIT = 10 * 1024 * 1024

/** `reusable`: the answer was whole HTTP, so the connection may stay in the keep-alive pool. */
type Expected = { error: string; message: RegExp; reusable?: true }

// What the provider security server answers for each fault: `IOError` when the provider was too
// slow, `NetworkError` when the connection broke, `ServiceFailed` when what came back is not an
// HTTP answer the server may pass on, `LoggingFailed` when its body is more than the message log takes.
const SECURITY_SERVER_ANSWERS: Record<string, Expected> = {
  'reset-mid-body': { error: 'Server.ServerProxy.NetworkError', message: /ECONNRESET/ },
  'hang-after-headers': { error: 'Server.ServerProxy.IOError', message: /^Read timed out$/ },
  trickle: { error: 'Server.ServerProxy.IOError', message: /^Read timed out$/ },
  'invalid-chunked': {
    error: 'Server.ServerProxy.ServiceFailed',
    message: /^not a valid HTTP response/,
  },
  'huge-headers': {
    error: 'Server.ServerProxy.ServiceFailed',
    message: /^not a valid HTTP response \(UND_ERR_HEADERS_OVERFLOW\)$/,
  },
  'content-length-too-long': {
    error: 'Server.ServerProxy.NetworkError',
    message: /other side closed/,
  },
  'endless-body': {
    error: 'Server.ServerProxy.LoggingFailed',
    message: /^Message size exceeds maximum loggable size$/,
  },
  'status-out-of-range': {
    error: 'Server.ServerProxy.ServiceFailed',
    message: /^not a valid HTTP response \(status 999\)$/,
    reusable: true,
  },
  'informational-status': {
    error: 'Server.ServerProxy.ServiceFailed',
    message: /^not a valid HTTP response/,
  },
}

test.each(Object.entries(SECURITY_SERVER_ANSWERS))(
  'answers a provider that does %s with its fault, logs it once and lets go of a broken connection',
  async (name, expected) => {
    const provider = providers.get(name) as Provider
    const before = sandbox.log.size
    const answer = await call(name)
    expect(answer).toMatchObject({ status: 500, error: expected.error })
    const body = JSON.parse(answer.text) as { type: string; message: string }
    expect(body.type).toBe(expected.error)
    expect(body.message).toMatch(expected.message)
    expect(
      sandbox.log
        .records()
        .slice(before)
        .map((r) => [r.service, r.error]),
    ).toEqual([[`ee-test/GOV/70008440/rr/${name}`, expected.error]])
    // Nothing is left open towards the provider that would pile up over a long run.
    const state = provider.states.at(-1) as ProviderState
    if (!expected.reusable) await expect.poll(() => state.closed).toBe(true)
  },
)

test('gives up on a trickling provider at its timeout, long before the provider would finish', async () => {
  const provider = providers.get('trickle') as Provider
  const answer = await call('trickle')
  const state = provider.states.at(-1) as ProviderState
  expect(answer.error).toBe('Server.ServerProxy.IOError')
  // The provider needs 60 × 50 ms; the answer came at the 400 ms timeout, while it was still going.
  expect(state.finished).toBe(false)
  await expect.poll(() => state.closed).toBe(true)
  expect(state.finished).toBe(false)
})

test('stops reading an endless body at the limit, so memory stays bounded', async () => {
  const provider = providers.get('endless-body') as Provider
  await call('endless-body')
  const state = provider.states.at(-1) as ProviderState
  await expect.poll(() => state.closed).toBe(true)
  // The limit plus what the kernel's socket buffers held when the connection was dropped.
  expect(state.bytesSent).toBeLessThan(2 * LIMIT)
})

test('passes on the declared length of a too-short Content-Length, and the extra bytes poison no later call', async () => {
  for (let i = 0; i < 3; i++) {
    expect(await call('content-length-too-short')).toMatchObject({
      status: 200,
      error: null,
      text: '{"a":1}',
    })
  }
})

test('passes deeply nested JSON through as bytes, without parsing it', async () => {
  const answer = await call('deep-json')
  expect(answer.status).toBe(200)
  expect(answer.text).toHaveLength(200_000)
})

// The runner's side: the same byte-level faults from a partner's own security server, which the
// runner calls directly. Each must come back as an Exchange, never as an exception.

const http: Transport = {
  mode: 'http',
  securityServerUrl: () => undefined,
  fetch: (url, init) => fetch(url, init),
}

const exchangeWith = (name: string) =>
  sendExchange(
    http,
    {
      url: `http://127.0.0.1:${(providers.get(name) as Provider).port}/r1/ee-test/GOV/70008440/rr/x/things/1`,
      method: 'GET',
      headers: { 'x-road-client': 'ee-test/GOV/70006317/portal' },
      pathParams: {},
      query: {},
    },
    {
      id: `ex-${name}`,
      client: 'ee-test/GOV/70006317/portal',
      service: 'ee-test/GOV/70008440/rr/x',
      serviceId: 'x',
      operationId: 'getThing',
      protocol: 'xroad-rest',
      providerProtocol: 'xroad-rest',
      timeoutMs: TIMEOUT_MS,
    },
  )

const RUNNER_ERRORS: Record<string, RegExp> = {
  'reset-mid-body': /ECONNRESET/,
  'hang-after-headers': new RegExp(`^no response within ${TIMEOUT_MS} ms$`),
  trickle: new RegExp(`^no response within ${TIMEOUT_MS} ms$`),
  'invalid-chunked': /does not match the HTTP\/1\.1 protocol/,
  'huge-headers': /UND_ERR_HEADERS_OVERFLOW/,
  'content-length-too-long': /other side closed/,
  'informational-status': /does not match the HTTP\/1\.1 protocol/,
}

test.each(Object.entries(RUNNER_ERRORS))(
  'records a partner security server that does %s as a transport error with its reason',
  async (name, reason) => {
    const exchange = await exchangeWith(name)
    expect(exchange.response).toBeUndefined()
    expect(exchange.transportError).toMatch(reason)
    const state = (providers.get(name) as Provider).states.at(-1) as ProviderState
    await expect.poll(() => state.closed).toBe(true)
  },
)

test('cuts an endless body from a partner security server at the runner limit and closes the connection', async () => {
  const exchange = await exchangeWith('endless-body')
  expect(exchange.response?.status).toBe(200)
  expect(String(exchange.response?.body)).toMatch(
    new RegExp(`… \\[body larger than ${MAX_RESPONSE_BYTES} bytes, cut\\]$`),
  )
  const state = (providers.get('endless-body') as Provider).states.at(-1) as ProviderState
  await expect.poll(() => state.closed).toBe(true)
  expect(state.bytesSent).toBeLessThan(2 * LIMIT)
})

test('keeps deeply nested JSON from a partner as text, so the reports can still serialise it', async () => {
  const exchange = await exchangeWith('deep-json')
  expect(exchange.response?.status).toBe(200)
  expect(typeof exchange.response?.body).toBe('string')
  expect(() => JSON.stringify(exchange)).not.toThrow()
})

test('records a status a Response could not hold as it came, for the checks to score', async () => {
  const exchange = await exchangeWith('status-out-of-range')
  expect(exchange.response?.status).toBe(999)
})

// End to end: `sild run` against a world whose providers misbehave. Each fault is a scored
// failure with its reason, the run goes on to the last workflow, and the report is whole.

const E2E = [
  'reset-mid-body',
  'trickle',
  'invalid-chunked',
  'huge-headers',
  'endless-body',
  'status-out-of-range',
  'deep-json',
]

test('scores every misbehaving provider as a failure with its reason and finishes the run', async () => {
  const scenario = join(dir, 'faults.arazzo.yaml')
  writeFileSync(
    scenario,
    [
      'arazzo: 1.0.1',
      "info: { title: Misbehaving providers, version: '1' }",
      'sourceDescriptions:',
      ...E2E.map((name) => `  - { name: ${name}, url: ./any.yaml, x-sild-service: ${name} }`),
      'workflows:',
      ...E2E.flatMap((name) => [
        `  - workflowId: ${name}`,
        '    x-sild-client: ee-test/GOV/70006317/portal',
        '    steps:',
        `      - stepId: call`,
        `        operationId: $sourceDescriptions.${name}.getThing`,
        '        parameters: [{ name: id, in: path, value: "1" }]',
        '        successCriteria: [{ condition: $statusCode == 200 }]',
      ]),
      '',
    ].join('\n'),
  )
  const reportFile = join(dir, 'report.json')
  const out: string[] = []
  const write = (chunk: string | Uint8Array) => (out.push(String(chunk)), true)
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(write as never)
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(write as never)
  let code: number
  try {
    code = await main([
      'run',
      scenario,
      '--federation',
      join(dir, 'federation.yaml'),
      '--timeout',
      String(TIMEOUT_MS * 5),
      '--report',
      `json=${reportFile}`,
    ])
  } finally {
    stdout.mockRestore()
    stderr.mockRestore()
  }
  expect(out.join('')).not.toMatch(/internal error/)
  expect(code).toBe(1)
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as RunReport
  expect(report.complete).toBe(true)
  const steps = Object.fromEntries(
    report.scenarios[0]?.workflows.map((w) => [w.workflowId, w.steps[0]]) ?? [],
  )
  expect(Object.keys(steps).sort()).toEqual([...E2E].sort())
  for (const [name, expected] of Object.entries(SECURITY_SERVER_ANSWERS)) {
    if (!E2E.includes(name)) continue
    const step = steps[name]
    expect(step?.state, name).toBe('fail')
    expect(step?.exchange?.response?.headers['x-road-error'], name).toBe(expected.error)
    expect(JSON.stringify(step?.failures), name).toContain(expected.error)
  }
  expect(steps['deep-json']?.exchange?.response?.status).toBe(200)
})
