import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { chromium } from 'playwright-core'
import { certificateFilesAsIfTested } from './helpers/certificate.ts'
import { afterAll, beforeAll, expect, test, vi } from 'vitest'
import { main } from '../cli/main.ts'
import { startSandboxServers } from '../cli/sandbox-servers.ts'
import {
  bundledSandbox,
  EESTI_EE,
  MARI,
  POPULATION,
} from '../mocks/security-server/fixtures/index.ts'
import { everyReport, readOutputs } from './helpers/report-outputs.ts'
import { browserTest, chromiumExecutable, NEEDS_CHROMIUM } from './helpers/chromium.ts'
import type { RunReport } from '../runner/types.ts'
import { peopleFederation } from './helpers/people-federation.ts'

// The security review of SECURITY.md, as tests. A hostile partner service answers with XSS
// payloads, terminal escapes and a leaked credential in every field it controls; every output
// Sild writes about that run must show them as inert text and show no secret.

/** Markup that runs script if any output embeds it unescaped; each sets its own flag. */
const XSS = [
  '<script>window.__xss=1</script>',
  '<img src=x onerror="window.__xss=2">',
  '"><svg onload=window.__xss=3>',
  "'><iframe srcdoc='<script>parent.__xss=4</script>'>",
  '</title></textarea></style><script>window.__xss=5</script>',
  '<a href="javascript:window.__xss=6">click</a>',
  ']]><script>window.__xss=7</script><![CDATA[',
  '<!--<script>window.__xss=8</script>-->',
  '<details open ontoggle=window.__xss=9>',
  '[link](javascript:window.__xss=10)',
  '{{constructor.constructor("window.__xss=11")()}}',
  '\n```\n<img src=x onerror="window.__xss=12">\n```\n',
]
const MARKUP = XSS.filter((p) => /[<>"']/.test(p))
/** Clears the screen, sets the window title and turns the text red in a terminal. */
const TERMINAL = '\u001b[2J\u001b]0;pwned\u0007\u001b[31mred'
const SECRET = 'sild-secret-9f8e7d6c5b4a39281706'

let dir: string
let provider: Server
let report: RunReport
const outputs: Record<string, string> = {}

const hostileBody = (authorization: string) => ({
  personalCode: XSS[0],
  givenName: XSS[1],
  familyName: TERMINAL,
  [XSS[2] as string]: 'a key, not a value',
  notes: XSS,
  token: authorization,
  echoedHeader: authorization,
})

const startProvider = (): Promise<number> =>
  new Promise((resolve) => {
    provider = createServer((req, res) => {
      const authorization = String(req.headers.authorization ?? '')
      if (req.url?.startsWith('/persons/1')) {
        res.writeHead(200, {
          'content-type': 'application/json',
          'x-note': XSS[2] as string,
          'x-echo-authorization': authorization,
        })
        return res.end(JSON.stringify(hostileBody(authorization)))
      }
      if (req.url?.startsWith('/persons/2')) {
        res.writeHead(200, { 'content-type': `text/html; charset=utf-8; x="${XSS[3]}"` })
        return res.end(`<html>${XSS.join('\n')}${TERMINAL}</html>`)
      }
      res.writeHead(400, { 'content-type': 'application/problem+json' })
      res.end(
        JSON.stringify({
          type: XSS[4],
          title: XSS[5],
          detail: `${XSS[6]} ${TERMINAL}`,
          status: 400,
        }),
      )
    })
    provider.listen(0, '127.0.0.1', () => resolve((provider.address() as AddressInfo).port))
  })

const SPEC = `openapi: 3.1.0
info: { title: Hostile people, version: '1' }
components:
  securitySchemes:
    bearer: { type: http, scheme: bearer }
security: [{ bearer: [] }]
paths:
  /persons/{personalCode}:
    get:
      operationId: getPerson
      parameters:
        - { name: personalCode, in: path, required: true, schema: { type: string } }
      responses:
        '200':
          description: A person
          content:
            application/json:
              schema:
                type: object
                additionalProperties: false
                properties:
                  personalCode: { type: string, format: ee-personal-code }
                  givenName: { type: string, maxLength: 5 }
        '404': { description: Nobody }
`

const SCENARIO = `arazzo: 1.0.1
info: { title: A hostile partner register, version: '1' }
sourceDescriptions:
  - { name: people, url: ./people.yaml }
workflows:
  - workflowId: readPeople
    x-sild-client: ee-test/GOV/70006317/eesti-ee
    steps:
      - stepId: readJson
        operationId: getPerson
        parameters:
          - { name: personalCode, in: path, value: '1' }
          - { name: Authorization, in: header, value: 'Bearer ${SECRET}' }
        successCriteria:
          - condition: $response.body#/givenName == 'Mari'
        outputs:
          name: $response.body#/givenName
      - stepId: readWithOutput
        operationId: getPerson
        parameters:
          - { name: personalCode, in: path, value: $steps.readJson.outputs.name }
          - { name: Authorization, in: header, value: 'Bearer ${SECRET}' }
      - stepId: readHtml
        operationId: getPerson
        parameters:
          - { name: personalCode, in: path, value: '2' }
          - { name: Authorization, in: header, value: 'Bearer ${SECRET}' }
`

const capture = () => {
  const out: string[] = []
  const write = ((chunk: string | Uint8Array) => (out.push(String(chunk)), true)) as never
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation(write),
    vi.spyOn(process.stderr, 'write').mockImplementation(write),
  ]
  return {
    text: () => out.join(''),
    restore: () => spies.forEach((s) => s.mockRestore()),
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sild-security-'))
  const port = await startProvider()
  writeFileSync(join(dir, 'people.yaml'), SPEC)
  writeFileSync(join(dir, 'hostile.arazzo.yaml'), SCENARIO)
  writeFileSync(join(dir, 'federation.yaml'), peopleFederation(port))
  const keys = capture()
  try {
    expect(await main(['keygen', '--out', join(dir, 'keys')])).toBe(0)
  } finally {
    keys.restore()
  }
  const reports = everyReport(join(dir, 'out'))
  const run = capture()
  let code: number
  try {
    code = await main([
      'run',
      join(dir, 'hostile.arazzo.yaml'),
      '--federation',
      join(dir, 'federation.yaml'),
      '--log',
      join(dir, 'out', 'message-log.jsonl'),
      '--certificate',
      join(dir, 'out', 'certificate.json'),
      '--signing-key',
      join(dir, 'keys', 'sild-signing-key.pem'),
      ...reports,
    ])
  } finally {
    run.restore()
  }
  expect(code).toBe(1)
  outputs.console = run.text()
  Object.assign(outputs, readOutputs(join(dir, 'out')))
  report = JSON.parse(outputs['report.json'] as string) as RunReport
  // The hostile scenario tests few levels, so sild run refuses its certificate (and says so on the
  // console, which is checked like every output). To check what a certificate shows of hostile
  // text, it is issued from the same report as though its untested levels had been tested.
  expect(outputs.console).toMatch(/no certificate written to .*certificate\.json: .*not tested/)
  const certificate = certificateFilesAsIfTested(report, join(dir, 'keys', 'sild-signing-key.pem'))
  Object.assign(outputs, certificate)
  writeFileSync(join(dir, 'out', 'certificate.json.html'), certificate['certificate.json.html'])
})

afterAll(() => {
  provider?.close()
  rmSync(dir, { recursive: true, force: true })
})

test('the hostile run carried every payload into the report', () => {
  const json = JSON.stringify(report)
  for (const payload of [...XSS, TERMINAL])
    expect(json).toContain(JSON.stringify(payload).slice(1, -1))
  expect(Object.keys(outputs).sort()).toEqual(
    expect.arrayContaining([
      'certificate.json',
      'certificate.json.html',
      'console',
      'message-log.jsonl',
    ]),
  )
})

const HTML_OUTPUTS = ['report.html', 'certificate.json.html']

test.each(HTML_OUTPUTS)('%s contains no payload as markup', (name) => {
  const html = outputs[name] as string
  for (const payload of MARKUP) expect(html).not.toContain(payload)
  expect(html).not.toMatch(/href\s*=\s*["']?\s*javascript:/i)
})

test('report.junit is XML with every payload escaped and no character XML forbids', () => {
  const xml = outputs['report.junit'] as string
  for (const payload of MARKUP) expect(xml).not.toContain(payload)
  expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/)
})

/**
 * Markdown outside fenced code blocks: a fence closes only on a line of at least as many of its
 * characters (CommonMark), so a payload that closes the fence early is left outside and caught.
 */
const outsideFences = (md: string): string => {
  const kept: string[] = []
  let fence: string | undefined
  for (const line of md.split('\n')) {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1]
    if (fence === undefined && marker) fence = marker
    else if (
      fence !== undefined &&
      marker &&
      marker[0] === fence[0] &&
      marker.length >= fence.length &&
      line.trim() === marker
    )
      fence = undefined
    else if (fence === undefined) kept.push(line)
  }
  return kept.join('\n')
}

test('report.markdown shows payloads as text: no raw HTML outside code, no javascript: link', () => {
  const md = outputs['report.markdown'] as string
  const prose = outsideFences(md)
  for (const payload of MARKUP) {
    for (const line of payload.split('\n').filter((l) => /[<>]/.test(l))) {
      expect(prose).not.toContain(line)
    }
  }
  expect(prose).not.toMatch(/\]\(\s*javascript:/i)
  expect(md).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/)
})

test('the console output carries no terminal control sequence from the partner', () => {
  // Colours are off when stdout is not a terminal, so any escape here came from the partner.
  expect(outputs.console).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/)
})

browserTest(
  `the HTML report and certificate run none of the payloads in a browser ${NEEDS_CHROMIUM}`,
  async () => {
    const browser = await chromium.launch({
      executablePath: chromiumExecutable(),
      args: ['--headless', '--no-sandbox', '--disable-gpu'],
    })
    try {
      for (const name of HTML_OUTPUTS) {
        const page = await browser.newPage()
        const dialogs: string[] = []
        page.on('dialog', (d) => (dialogs.push(d.message()), void d.dismiss()))
        await page.goto(pathToFileURL(join(dir, 'out', name)).href)
        // Open every collapsed section, so handlers on toggled elements would fire too.
        await page.evaluate(() =>
          document.querySelectorAll('details').forEach((d) => d.setAttribute('open', '')),
        )
        await page.waitForTimeout(200)
        expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBe(
          undefined,
        )
        expect(dialogs).toEqual([])
        await page.close()
      }
    } finally {
      await browser.close()
    }
  },
)

// Secrets: the step sent `Authorization: Bearer SECRET`, and the partner echoed it back in a
// header and in two body fields.

const SECRET_OUTPUTS = [
  'message-log.jsonl',
  'report.junit',
  'report.markdown',
  'certificate.json',
  'certificate.json.html',
]

test.each(SECRET_OUTPUTS)('%s shows no credential', (name) => {
  expect(outputs[name]).not.toContain(SECRET)
})

test('report.html shows no credential, not even a response header echoing it under another name', () => {
  expect(outputs['report.html']).not.toContain(SECRET)
})

test('report.json shows no credential: the run records exchanges redacted', () => {
  expect(outputs['report.json']).not.toContain(SECRET)
})

test('the console shows no credential, not even in its curl', () => {
  expect(outputs.console).not.toContain(SECRET)
})

// The dashboard builds its page from JSON with DOM calls; no HTML is made from data anywhere.

const PUBLIC = fileURLToPath(new URL('../dashboard/public/', import.meta.url))

test('the dashboard page never turns data into markup, and its policy forbids inline script', async () => {
  for (const name of readdirSync(PUBLIC).filter((n) => n.endsWith('.js'))) {
    const code = readFileSync(join(PUBLIC, name), 'utf8')
    expect(code, name).not.toMatch(
      /\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write|\beval\(|new Function\(/,
    )
  }
  const { CONTENT_SECURITY_POLICY } = await import('../dashboard/static/index.ts')
  const policy = String(CONTENT_SECURITY_POLICY)
  expect(policy).toMatch(/script-src 'self'/)
  expect(policy).not.toMatch(/unsafe-inline'[^;]*;?\s*$|script-src[^;]*unsafe-(inline|eval)/)
})

// Servers and size limits.

test('every server of sild serve binds 127.0.0.1 unless told otherwise, and refuses huge headers', async () => {
  const servers = await startSandboxServers({ portBase: 0, log: null })
  try {
    const urls = [
      ...Object.values(servers.ready.securityServers),
      ...Object.values(servers.ready.services),
      ...(servers.ready.dashboard ? [servers.ready.dashboard] : []),
    ]
    expect(urls.length).toBeGreaterThan(8)
    for (const url of urls) expect(new URL(url).hostname).toBe('127.0.0.1')
    // Node's own limit on request headers holds in front of the security servers.
    const huge = await fetch(
      `${servers.ready.securityServers['ee-test']}/r1/${POPULATION}/persons/${MARI}`,
      {
        headers: { 'x-road-client': EESTI_EE, 'x-filler': 'f'.repeat(20_000) },
      },
    )
    expect(huge.status).toBe(431)
  } finally {
    await servers.close()
  }
})

test('the security server refuses a request body over its limit, declared or sent, and logs it', async () => {
  const sandbox = await bundledSandbox()
  try {
    const url = `${sandbox.urls.securityServers['ee-test']}/r1/${POPULATION}/persons/${MARI}`
    const limit = 10 * 1024 * 1024
    // ee-test runs X-Road 7.8: the message log's LoggingFailed, in snake case (xroad-body-size).
    const refused = {
      status: 500,
      error: 'server.clientproxy.logging_failed',
      message: 'Message size exceeds maximum loggable size',
    }
    const send = async (body: BodyInit, headers: Record<string, string> = {}) => {
      const response = await sandbox.dispatcher.fetch(url, {
        method: 'POST',
        headers: { 'x-road-client': EESTI_EE, 'content-type': 'application/json', ...headers },
        body,
        duplex: 'half',
      } as RequestInit)
      const json = (await response.json()) as { message: string }
      return {
        status: response.status,
        error: response.headers.get('x-road-error'),
        message: json.message,
      }
    }
    const before = sandbox.log.size
    expect(await send(new Uint8Array(limit + 1))).toEqual(refused)
    // A stream without a length is cut off at the limit, not read to its end.
    let pulled = 0
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1
        controller.enqueue(new Uint8Array(1024 * 1024))
        if (pulled > 100) controller.close()
      },
    })
    expect(await send(endless)).toEqual(refused)
    expect(pulled).toBeLessThan(20)
    expect(
      sandbox.log
        .records()
        .slice(before)
        .map((r) => r.error),
    ).toEqual(['server.clientproxy.logging_failed', 'server.clientproxy.logging_failed'])
    // Under the limit, the request goes on to the provider (which refuses a POST here).
    expect((await send('{}')).error).not.toBe('server.clientproxy.logging_failed')
  } finally {
    await sandbox.close()
  }
})
