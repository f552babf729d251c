import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RunReport } from '../../runner/types.ts'
import { certificateFilesAsIfTested } from '../helpers/certificate.ts'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { everyReport, readOutputs, REPORT_FILES } from '../helpers/report-outputs.ts'
import { sild } from '../helpers/cli.ts'
import { peopleFederation } from '../helpers/people-federation.ts'

// Secrets by value: a partner that quotes a credential back without its scheme (a problem
// detail, WWW-Authenticate, a body field, a header of its own) must not land it in the message
// log, in any report, on the console or in the certificate; and `sild record` must not copy a
// HAR's credentials into a scenario meant to be committed.

const TOKEN = 'tok-7f3a9c2e1b8d4f60'
const API_KEY = 'key-51c0ffee42d2'
const QUERY_KEY = 'qk-99aa88bb77cc'
const SECRETS = { TOKEN, API_KEY, QUERY_KEY }

let dir: string
let provider: Server
const outputs: Record<string, string> = {}

const startProvider = (): Promise<number> =>
  new Promise((resolve) => {
    provider = createServer((req, res) => {
      const auth = String(req.headers.authorization ?? '').replace(/^Bearer /, '')
      const key = String(req.headers['x-api-key'] ?? '')
      const query = new URL(req.url ?? '/', 'http://x').searchParams.get('api_key') ?? ''
      if (req.url?.startsWith('/persons/1')) {
        res.writeHead(200, { 'content-type': 'application/json', 'x-seen': `${key} ${query}` })
        return res.end(
          JSON.stringify({ personalCode: '1', seen: auth, note: `key=${key}; q=${query}` }),
        )
      }
      res.writeHead(401, {
        'content-type': 'application/problem+json',
        'www-authenticate': `Bearer error="invalid_token", error_description="${auth} expired"`,
      })
      res.end(
        JSON.stringify({
          title: 'Unauthorized',
          detail: `token ${auth} and key ${key} refused`,
          status: 401,
        }),
      )
    })
    provider.listen(0, '127.0.0.1', () => resolve((provider.address() as AddressInfo).port))
  })

const SPEC = `openapi: 3.1.0
info: { title: Echoing people, version: '1' }
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
        - { name: api_key, in: query, schema: { type: string } }
        - { name: X-Api-Key, in: header, schema: { type: string } }
      responses:
        '200': { description: A person, content: { application/json: { schema: { type: object } } } }
        '401': { description: Refused, content: { application/problem+json: { schema: { type: object } } } }
`

const step = (id: string, code: string) => `      - stepId: ${id}
        operationId: getPerson
        parameters:
          - { name: personalCode, in: path, value: '${code}' }
          - { name: api_key, in: query, value: '${QUERY_KEY}' }
          - { name: X-Api-Key, in: header, value: '${API_KEY}' }
          - { name: Authorization, in: header, value: 'Bearer ${TOKEN}' }
        successCriteria:
          - condition: $statusCode == 200
`

const SCENARIO = `arazzo: 1.0.1
info: { title: A partner that echoes credentials, version: '1' }
sourceDescriptions:
  - { name: people, url: ./people.yaml }
workflows:
  - workflowId: echo
    x-sild-client: ee-test/GOV/70006317/eesti-ee
    steps:
${step('echoed', '1')}${step('refused', '2')}`

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sild-secrets-'))
  const port = await startProvider()
  writeFileSync(join(dir, 'people.yaml'), SPEC)
  writeFileSync(join(dir, 'echo.arazzo.yaml'), SCENARIO)
  writeFileSync(join(dir, 'federation.yaml'), peopleFederation(port))
  expect((await sild('keygen', '--out', join(dir, 'keys'))).code).toBe(0)
  const reports = everyReport(join(dir, 'out'))
  const run = await sild(
    'run',
    join(dir, 'echo.arazzo.yaml'),
    '--federation',
    join(dir, 'federation.yaml'),
    '--log',
    join(dir, 'out', 'message-log.jsonl'),
    '--certificate',
    join(dir, 'out', 'certificate.json'),
    '--signing-key',
    join(dir, 'keys', 'sild-signing-key.pem'),
    '--verbose',
    ...reports,
  )
  outputs.console = run.stdout + run.stderr
  Object.assign(outputs, readOutputs(join(dir, 'out')))
  // Two calls test too few levels for sild run to sign (it says so); the certificate whose text
  // is checked is issued from the same report as though its untested levels had been tested.
  expect(outputs.console).toMatch(/no certificate written to .*not tested/)
  Object.assign(
    outputs,
    certificateFilesAsIfTested(
      JSON.parse(outputs['report.json'] as string) as RunReport,
      join(dir, 'keys', 'sild-signing-key.pem'),
    ),
  )
})

afterAll(() => {
  provider?.close()
  rmSync(dir, { recursive: true, force: true })
})

test('the partner answered both calls and echoed every credential', () => {
  const json = JSON.parse(outputs['report.json'] as string)
  expect(JSON.stringify(json)).toContain('[REDACTED]')
  expect(Object.keys(outputs)).toEqual(
    expect.arrayContaining(['console', 'message-log.jsonl', 'certificate.json', 'report.json']),
  )
})

const OUTPUT_NAMES = [
  'console',
  'message-log.jsonl',
  'certificate.json',
  'certificate.json.html',
  ...REPORT_FILES,
]

test.each(
  OUTPUT_NAMES.flatMap((output) =>
    Object.entries(SECRETS).map(([name, value]) => [output, name, value] as const),
  ),
)('%s does not contain the %s the step sent, however the partner echoed it', (output, _, value) => {
  const text = outputs[output]
  expect(text, `${output} was written`).toBeDefined()
  expect(text).not.toContain(value)
  expect(text).not.toContain(encodeURIComponent(value))
})

const HAR = {
  log: {
    entries: [
      {
        request: {
          method: 'GET',
          url: `http://ee-test.ss.sild.test/r1/ee-test/GOV/70008440/rr/population/persons/48001013546?api_key=${QUERY_KEY}`,
          headers: [
            { name: 'X-Road-Client', value: 'ee-test/GOV/70006317/eesti-ee' },
            { name: 'Authorization', value: `Bearer ${TOKEN}` },
            { name: 'Cookie', value: `session=${API_KEY}` },
          ],
        },
        response: {
          status: 200,
          headers: [
            { name: 'content-type', value: 'application/json' },
            { name: 'x-echo', value: TOKEN },
          ],
          content: {
            mimeType: 'application/json',
            text: JSON.stringify({ personalCode: '48001013546', echoed: TOKEN, key: QUERY_KEY }),
          },
        },
      },
    ],
  },
}

test.each(Object.entries(SECRETS))(
  'sild record --from-har leaves the %s out of the scenario and says what it removed',
  async (_, value) => {
    const har = join(dir, 'session.har')
    const out = join(dir, `recorded-${value}.arazzo.yaml`)
    writeFileSync(har, JSON.stringify(HAR))
    const result = await sild('record', '--from-har', har, '--out', out)
    expect(result.code).toBe(0)
    expect(readFileSync(out, 'utf8')).not.toContain(value)
    expect(result.stdout).toMatch(
      /removed header authorization, header cookie, query parameter api_key/,
    )
    expect(result.stdout).toMatch(/credentials echoed in the answer/)
  },
)
