import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { RunReport, StepResult } from '../runner/types.ts'
import { readReport, sild } from './fixtures/partner-kit/index.ts'

// A service declared `access: direct` (Diia's acquirer API) is called at its own address, with no
// security server on the way: in-process and over HTTP alike, and whether or not the scenario
// names its caller.

const DIIA_SPEC = fileURLToPath(new URL('../specs/ua/diia.yaml', import.meta.url))

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sild-direct-'))
  writeFileSync(
    join(dir, 'acquirer.arazzo.yaml'),
    `arazzo: 1.0.1
info: { title: An acquirer opens a Diia session, version: 1.0.0 }
sourceDescriptions:
  - { name: diia, url: ${JSON.stringify(relative(dir, DIIA_SPEC))}, type: openapi }
workflows:
  - workflowId: session
    steps:
      - stepId: withoutToken
        operationId: listBranches
        successCriteria:
          - condition: $statusCode == 401
      - stepId: openSession
        operationId: getSessionToken
        parameters:
          - { name: acquirerToken, in: path, value: sandbox-acquirer-e-residency }
        successCriteria:
          - condition: $statusCode == 200
        outputs:
          token: $response.body#/token
      - stepId: branches
        operationId: listBranches
        parameters:
          - { name: Authorization, in: header, value: 'Bearer {$steps.openSession.outputs.token}' }
        successCriteria:
          - condition: $statusCode == 200
          - condition: $response.body#/total == 2
`,
  )
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const steps = (report: RunReport): StepResult[] =>
  report.scenarios.flatMap((s) => s.workflows.flatMap((w) => w.steps))

test.each(['inproc', 'http'])(
  'calls a direct service at its own address, with no caller named and no security server (%s)',
  async (mode) => {
    const out = join(dir, `report-${mode}.json`)
    const { code, stderr } = await sild(
      'run',
      join(dir, 'acquirer.arazzo.yaml'),
      '--mode',
      mode,
      '--report',
      `json=${out}`,
    )
    expect(stderr).toBe('')
    expect(code).toBe(0)
    const all = steps(readReport(out))
    expect(all.map((s) => s.state)).toEqual(['pass', 'pass', 'pass'])
    const exchange = all[2]?.exchange
    expect(exchange?.protocol).toBe('https')
    expect(exchange?.hops).toEqual([
      {
        from: 'HTTPS client',
        to: 'SEVDEIR-TEST/GOV/43220851/DIIA/acquirer-api',
        protocol: 'https',
      },
    ])
    expect(exchange?.request.url).toMatch(/\/api\/v2\/acquirers\/branches$/)
    expect(
      Object.keys(exchange?.request.headers ?? {}).filter((h) => /^(x-road|uxp)-/i.test(h)),
    ).toEqual([])
    // The security servers' own checks have nothing to judge here; the 401 is the service's refusal.
    const applied = new Set(all.flatMap((s) => s.outcomes.map((o) => o.check)))
    expect(applied.has('clientHeaderWellFormed')).toBe(false)
    expect(applied.has('responseIdsEchoed')).toBe(false)
    expect(all[0]?.outcomes.find((o) => o.check === 'unauthorizedRefused')?.passed).toBe(true)
  },
  60_000,
)
