import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { everyReport, readOutputs, REPORT_FILES } from '../helpers/report-outputs.ts'
import { sild } from '../helpers/cli.ts'
import { peopleFederation } from '../helpers/people-federation.ts'

// Inputs a scenario marks secret (`format: password` or `writeOnly: true` in its inputs schema)
// are hidden by value wherever they reappear, even when sent under a name no pattern knows and
// echoed back by the partner: in the message log, every report format and the console.

const REF = 'ref-3c1d5e7f9a2b'
const NOTE = 'wo-8e6d4c2b0a19'
const PLAIN = 'plain-5a5a5a5a5a'

let dir: string
let provider: Server
const outputs: Record<string, string> = {}

const startProvider = (): Promise<number> =>
  new Promise((resolve) => {
    provider = createServer((req, res) => {
      res.writeHead(200, {
        'content-type': 'application/json',
        'x-echo': `${req.headers['x-ref']}`,
      })
      res.end(
        JSON.stringify({
          personalCode: '1',
          ref: req.headers['x-ref'],
          note: req.headers['x-note'],
          plain: req.headers['x-plain'],
        }),
      )
    })
    provider.listen(0, '127.0.0.1', () => resolve((provider.address() as AddressInfo).port))
  })

const SPEC = `openapi: 3.1.0
info: { title: Echoing references, version: '1' }
paths:
  /persons/{personalCode}:
    get:
      operationId: getPerson
      parameters:
        - { name: personalCode, in: path, required: true, schema: { type: string } }
        - { name: X-Ref, in: header, schema: { type: string } }
        - { name: X-Note, in: header, schema: { type: string } }
        - { name: X-Plain, in: header, schema: { type: string } }
      responses:
        '200': { description: A person, content: { application/json: { schema: { type: object } } } }
`

const SCENARIO = `arazzo: 1.0.1
info: { title: A partner that echoes a secret reference, version: '1' }
sourceDescriptions:
  - { name: people, url: ./people.yaml, type: openapi }
workflows:
  - workflowId: secretInputs
    parameters:
      - { name: X-Road-Client, in: header, value: ee-test/GOV/70006317/eesti-ee }
    inputs:
      type: object
      properties:
        ref: { type: string, format: password, default: '${REF}' }
        note: { type: string, writeOnly: true }
        plain: { type: string, default: '${PLAIN}' }
    steps:
      - stepId: echoRef
        operationId: getPerson
        parameters:
          - { name: personalCode, in: path, value: '1' }
          - { name: X-Ref, in: header, value: $inputs.ref }
          - { name: X-Note, in: header, value: $inputs.note }
          - { name: X-Plain, in: header, value: $inputs.plain }
        successCriteria:
          - condition: $statusCode == 200
          - condition: $response.body#/ref == $inputs.ref
        outputs:
          echoed: $response.body#/ref
      - stepId: sendEchoBack
        operationId: getPerson
        parameters:
          - { name: personalCode, in: path, value: '1' }
          - { name: X-Ref, in: header, value: $steps.echoRef.outputs.echoed }
        successCriteria:
          - condition: $response.body#/ref == $inputs.ref
    outputs:
      echoed: $steps.echoRef.outputs.echoed
`

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sild-secret-inputs-'))
  const port = await startProvider()
  writeFileSync(join(dir, 'people.yaml'), SPEC)
  writeFileSync(join(dir, 'echo.arazzo.yaml'), SCENARIO)
  writeFileSync(join(dir, 'federation.yaml'), peopleFederation(port))
  const reports = everyReport(join(dir, 'out'))
  const run = await sild(
    'run',
    join(dir, 'echo.arazzo.yaml'),
    '--federation',
    join(dir, 'federation.yaml'),
    '--input',
    `note=${NOTE}`,
    '--log',
    join(dir, 'out', 'message-log.jsonl'),
    '--verbose',
    ...reports,
  )
  outputs.console = run.stdout + run.stderr
  outputs.code = String(run.code)
  Object.assign(outputs, readOutputs(join(dir, 'out')))
})

afterAll(() => {
  provider?.close()
  rmSync(dir, { recursive: true, force: true })
})

test('the steps ran on the real secret values: the echo matched and was sent back', () => {
  expect(outputs.console).toMatch(/Steps 2 passed/)
  const report = JSON.parse(outputs['report.json'] as string)
  const [first, second] = report.scenarios[0].workflows[0].steps
  expect(first.exchange.response.body.ref).toBe('[REDACTED]')
  expect(second.state).toBe('pass')
})

test('an input not marked secret is left as it was sent', () => {
  expect(outputs['report.json']).toContain(PLAIN)
  expect(outputs['message-log.jsonl']).toContain(PLAIN)
})

const OUTPUT_NAMES = ['console', 'message-log.jsonl', ...REPORT_FILES]

test.each(
  OUTPUT_NAMES.flatMap((output) => [
    [output, 'format: password input', REF] as const,
    [output, 'writeOnly input given with --input', NOTE] as const,
  ]),
)('%s does not contain the value of a %s, however the partner echoed it', (output, _, value) => {
  const text = outputs[output]
  expect(text, `${output} was written`).toBeDefined()
  expect(text).not.toContain(value)
})
