import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import type { RunReport } from '../../runner/types.ts'
import { sampleRunReport } from '../test-fixtures/run-report.ts'
import { escapeXml, renderJunitReport } from './index.ts'

const XSD = readFileSync(new URL('./junit.xsd', import.meta.url), 'utf8')

type XsdCheck = (xml: string) => Promise<{ valid: boolean; errors: string[] }>

/** xmllint-wasm when the project has it, else Debian's xmllint, else nothing to validate with. */
const findXsdValidator = async (): Promise<XsdCheck | undefined> => {
  const wasm = 'xmllint-wasm'
  try {
    const { validateXML } = (await import(wasm)) as {
      validateXML: (o: object) => Promise<{ valid: boolean; errors: Array<{ message: string }> }>
    }
    return async (xml) => {
      const r = await validateXML({
        xml: [{ fileName: 'report.xml', contents: xml }],
        schema: [{ fileName: 'junit.xsd', contents: XSD }],
      })
      return { valid: r.valid, errors: r.errors.map((e) => e.message) }
    }
  } catch {
    // not installed: try the command-line tool
  }
  if (spawnSync('xmllint', ['--version']).status !== 0) return undefined
  const dir = mkdtempSync(join(tmpdir(), 'sild-junit-'))
  writeFileSync(join(dir, 'junit.xsd'), XSD)
  return async (xml) => {
    writeFileSync(join(dir, 'report.xml'), xml)
    const r = spawnSync('xmllint', ['--noout', '--nonet', '--schema', 'junit.xsd', 'report.xml'], {
      cwd: dir,
      encoding: 'utf8',
    })
    return { valid: r.status === 0, errors: r.status === 0 ? [] : r.stderr.split('\n') }
  }
}

// xmllint-wasm is a pinned devDependency, so a missing validator is a broken install, not a skip.
const found = await findXsdValidator()
if (!found)
  throw new Error('no XSD validator: run npm ci (xmllint-wasm) or apt-get install libxml2-utils')
const validateXsd: XsdCheck = found

const withPlaceholders = (xml: string) => xml.replace(/ time="[0-9.]+"/g, ' time="<seconds>"')

const failingStep = (report: RunReport, stepId: string) => {
  const xml = renderJunitReport(report)
  const start = xml.indexOf(`name="${stepId}"`)
  return xml.slice(start, xml.indexOf('</testcase>', start))
}

test('renders the representative report as pinned', async () => {
  await expect(withPlaceholders(renderJunitReport(sampleRunReport()))).toMatchFileSnapshot(
    './__snapshots__/run-report.junit.xml',
  )
})

test('validates against the JUnit XSD', async () => {
  const result = await validateXsd(renderJunitReport(sampleRunReport()))
  expect(result.errors.filter(Boolean)).toEqual([])
  expect(result.valid).toBe(true)
})

test('the XSD rejects a test case without a name', async () => {
  const xml = renderJunitReport(sampleRunReport()).replace(' name="findCompany"', '')
  expect((await validateXsd(xml)).valid).toBe(false)
})

test('stays valid with control characters and CDATA ends in service data', async () => {
  const report = sampleRunReport()
  const response = report.scenarios[0]?.workflows[0]?.steps[1]?.exchange?.response
  if (!response) throw new Error('fixture changed')
  response.body = { name: 'bell\u0007 nul\u0000 ]]> </failure> \uD800 lone' }
  const xml = renderJunitReport(report)
  expect(xml).not.toContain('\u0000')
  expect(xml).toContain(']]&gt; &lt;/failure&gt;')
  expect((await validateXsd(xml)).valid).toBe(true)
})

test('counts cases, failures, errors and skips per suite and in total', () => {
  const xml = renderJunitReport(sampleRunReport())
  // 13 step and workflow cases, and a case per level of each of the 9 scorecards.
  expect(xml).toContain('<testsuites name="sild" tests="49" failures="9" errors="1" time="0.204">')
  expect(xml).toContain(
    '<testsuite name="scorecards" tests="36" failures="5" errors="0" skipped="28" time="0.000">',
  )
  expect(xml).toContain(
    '<testsuite name="tax-residency-exchange" tests="3" failures="1" errors="1" skipped="1" time="0.047">',
  )
})

test('shows each scorecard level as a case: passed, failed when blocked, skipped when not tested', () => {
  const xml = renderJunitReport(sampleRunReport())
  expect(xml).toContain(
    '<testcase classname="scorecards.SEVDEIR-TEST.ua-legal-entities-register" name="level 2 Contract-conformant" time="0.000">\n      <failure message="blocked by identifierFormatConformance, responseSchemaConformance" type="blocked">',
  )
  expect(xml).toMatch(
    /<testcase classname="scorecards\.SEVDEIR-TEST\.ua-legal-entities-register" name="level 4 Hardened" time="0\.000">\n {6}<skipped message="not tested in this run: [^"]*never applied/,
  )
})

test('reports two failed checks as one failure naming both, the most severe first', () => {
  const report = sampleRunReport()
  const step = report.scenarios[0]?.workflows[0]?.steps[1]
  const [schema, identifier] = step?.failures ?? []
  if (!step || !schema || !identifier) throw new Error('fixture changed')
  step.failures = [{ ...schema, severity: 'medium' }, identifier]
  expect(failingStep(report, 'getCompanyDetails')).toContain(
    '<failure message="2 checks failed: identifierFormatConformance (high), responseSchemaConformance (medium)" type="identifierFormatConformance">',
  )
})

test('names check, severity and level and ends a failure with the curl that reproduces it', () => {
  const text = failingStep(sampleRunReport(), 'requestCertificate')
  expect(text).toContain('noInternalsLeaked [high · level 4 Hardened]')
  expect(text).toContain(
    `Reproduce with: curl -sS -i -X POST 'http://ee-test.ss.sild.test/r1/SEVDEIR-TEST/GOV/43005393/DPS/TaxService_v1/residency-certificates'`,
  )
  expect(text).toContain('an in-process sandbox URL')
})

test('sends the curl to the URL reproduceUrl gives and drops the sandbox note', () => {
  const xml = renderJunitReport(sampleRunReport(), {
    reproduceUrl: (url) => url.replace('http://ee-test.ss.sild.test', 'http://127.0.0.1:4410'),
  })
  expect(xml).toContain("curl -sS -i -X POST 'http://127.0.0.1:4410/r1/SEVDEIR-TEST/")
  expect(xml).not.toContain('an in-process sandbox URL')
})

test('shows an errored step as <error> and a skipped one as <skipped>', () => {
  const xml = renderJunitReport(sampleRunReport())
  expect(xml).toMatch(
    /name="confirmReceipt" time="0\.000">\n {6}<error message="\$steps\.requestCertificate\.outputs\.certificateId is undefined[^"]*" type="error">/,
  )
  expect(xml).toContain(
    'name="archiveCertificate" time="0.000">\n      <skipped message="skipped: the workflow ended at confirmReceipt"/>',
  )
})

test('adds a case per workflow-level check', () => {
  const xml = renderJunitReport(sampleRunReport())
  expect(xml).toContain(
    '<testcase classname="e-residency-application.applyForEResidency" name="crossStepConsistency (workflow)" time="0.000"/>',
  )
  expect(failingStep(sampleRunReport(), 'crossStepConsistency (workflow)')).toContain(
    '<failure message="crossStepConsistency: edrpou differs between steps',
  )
})

test('adds a case for a workflow skipped before its first step', () => {
  const report = sampleRunReport()
  const workflow = report.scenarios[1]?.workflows[0]
  if (!workflow) throw new Error('fixture changed')
  Object.assign(workflow, {
    state: 'skip',
    steps: [],
    outcomes: [],
    message: 'skipped: the workflow it depends on, checkCounterparty, did not pass',
  })
  expect(renderJunitReport(report)).toContain(
    '<testcase classname="e-residency-application.applyForEResidency" name="(workflow)" time="0.000">\n      <skipped message="skipped: the workflow it depends on, checkCounterparty, did not pass"/>',
  )
})

test('carries seed, Sild version and specs digest as suite properties', () => {
  const report = { ...sampleRunReport(), seed: 42, shard: { index: 2, total: 3 } }
  const xml = renderJunitReport(report)
  expect(xml).toContain('<property name="seed" value="42"/>')
  expect(xml).toContain('<property name="sild.version" value="0.1.0"/>')
  expect(xml).toContain(`<property name="specs.digest" value="${report.specsDigest}"/>`)
  expect(xml).toContain('<property name="shard" value="2/3"/>')
})

test('never carries a secret from the request into the curl', () => {
  const report = sampleRunReport()
  const step = report.scenarios[1]?.workflows[0]?.steps[0]
  if (!step) throw new Error('fixture changed')
  step.state = 'fail'
  const text = failingStep(report, 'requestPassport')
  expect(text).toContain("-H 'authorization: Bearer [REDACTED]'")
  expect(text).not.toContain('diia-partner-secret')
  expect(text).not.toContain('diia-access-token')
})

test('escapes attributes so a message cannot end them', () => {
  expect(escapeXml('a "quoted"\nline <b>', true)).toBe('a &quot;quoted&quot;&#10;line &lt;b&gt;')
})
