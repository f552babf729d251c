import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { canonicalJson } from '../../reports/certificate/jcs.ts'
import { consoleReporter } from '../../reports/console/index.ts'
import { renderMarkdownReport } from '../../reports/markdown/index.ts'
import { sampleRunReport } from '../../reports/test-fixtures/run-report.ts'
import type { RunReport } from '../../runner/types.ts'
import { escapeControl } from '../../specs/control-chars/index.ts'
import { sild } from '../helpers/cli.ts'

// Terminal and Markdown injection: text from a certificate, a scenario, a spec in a pull request
// or a partner's answer must reach the console, text and Markdown outputs with its control
// characters shown as \uXXXX, never obeyed.

const PAYLOADS: Array<[string, string]> = [
  ['an erase-line and overprint', '\u001b[1A\u001b[2K\rvalid'],
  ['a screen clear', '\u001b[2J\u001b[H'],
  ['a window title (OSC 0)', '\u001b]0;pwned\u0007'],
  ['a hidden hyperlink (OSC 8)', '\u001b]8;;https://evil.example\u001b\\click\u001b]8;;\u001b\\'],
  ['a bell', 'ding\u0007'],
  ['a carriage return overwrite', 'NOT VALID\rvalid    '],
  ['a C1 control sequence introducer', '\u009b31mred'],
  ['a right-to-left override', 'abc\u202edcba'],
  ['a backspace run', 'NOT\b\b\bYES'],
  ['a line separator', 'one\u2028two'],
]

/** Any control character but the newline and tab a multi-line output is made of. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/

let dir: string
let publicKeyFile: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sild-injection-'))
  publicKeyFile = join(dir, 'key.pub.pem')
  const { publicKey } = generateKeyPairSync('ed25519')
  writeFileSync(publicKeyFile, publicKey.export({ format: 'pem', type: 'spki' }))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const craftedCertificate = (field: 'keyId' | 'alg', payload: string, i: number): string => {
  const file = join(dir, `cert-${field}-${i}.json`)
  const signature = { alg: 'Ed25519', keyId: 'k', value: 'AAAA', [field]: payload }
  writeFileSync(file, canonicalJson({ certificate: { party: 'ee-test' }, signature }))
  return file
}

test.each(PAYLOADS.map(([name, p], i) => [name, p, i] as const))(
  'sild certificate verify prints a keyId carrying %s escaped and still says NOT VALID',
  async (_, payload, i) => {
    const result = await sild(
      'certificate',
      'verify',
      craftedCertificate('keyId', payload, i),
      '--public-key',
      publicKeyFile,
    )
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('NOT VALID')
    expect(result.stdout).not.toMatch(CONTROL)
  },
)

test.each(PAYLOADS.map(([name, p], i) => [name, p, i] as const))(
  'sild certificate verify prints an alg carrying %s escaped',
  async (_, payload, i) => {
    const result = await sild(
      'certificate',
      'verify',
      craftedCertificate('alg', payload, i),
      '--public-key',
      publicKeyFile,
    )
    expect(result.code).toBe(1)
    expect(result.stdout).not.toMatch(CONTROL)
  },
)

/** The sample report with the payload in every scenario title, failure message and body. */
const hostileReport = (payload: string): RunReport => {
  const report = sampleRunReport()
  for (const scenario of report.scenarios) {
    scenario.title = `${scenario.title} ${payload}`
    for (const w of scenario.workflows)
      for (const step of w.steps) {
        for (const f of step.failures) f.message = `${f.message} ${payload}`
        if (step.exchange?.response) step.exchange.response.body = `partner says ${payload}`
      }
  }
  return report
}

test.each(PAYLOADS)(
  'the console shows %s from a scenario and a partner escaped',
  async (_, payload) => {
    const out: string[] = []
    const reporter = consoleReporter({
      write: (t) => void out.push(t),
      color: false,
      verbose: true,
    })
    const report = hostileReport(payload)
    for (const scenario of report.scenarios) reporter.onScenarioEnd?.(scenario)
    reporter.onRunEnd?.(report, 'completed')
    const text = out.join('')
    expect(text).toContain(escapeControl(payload))
    expect(text).not.toMatch(CONTROL)
  },
)

test.each(PAYLOADS)('the Markdown report shows %s from a partner escaped', (_, payload) => {
  const markdown = renderMarkdownReport(hostileReport(payload))
  expect(markdown).toContain('partner says')
  expect(markdown).not.toMatch(CONTROL)
})

const SPEC = (extraPath: string) => `openapi: 3.1.0
info: { title: People, version: '1' }
paths:
  /persons:
    get:
      operationId: listPersons
      responses: { '200': { description: ok } }
${extraPath}`

test.each(PAYLOADS.map(([name, p], i) => [name, p, i] as const))(
  'sild diff prints a path key carrying %s escaped, as text and as Markdown',
  async (_, payload, i) => {
    const oldFile = join(dir, `old-${i}.yaml`)
    const newFile = join(dir, `new-${i}.yaml`)
    writeFileSync(
      oldFile,
      SPEC(
        `  ${JSON.stringify(`/x${payload}`)}:\n    get:\n      operationId: x\n      responses: { '200': { description: ok } }\n`,
      ),
    )
    writeFileSync(newFile, SPEC(''))
    for (const format of ['text', 'markdown']) {
      const result = await sild('diff', oldFile, newFile, '--format', format)
      expect(result.stdout).toMatch(/\/x/)
      expect(result.stdout).not.toMatch(CONTROL)
    }
  },
)
