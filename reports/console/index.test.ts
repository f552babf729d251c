import { expect, test } from 'vitest'
import { sampleRunReport } from '../test-fixtures/run-report.ts'
import { consoleReporter } from './index.ts'

// The fixture's durations stand in for measured ones; the snapshot keeps placeholders.
const render = (options: Parameters<typeof consoleReporter>[0] = {}): string => {
  const report = sampleRunReport()
  let out = ''
  const reporter = consoleReporter({
    color: false,
    ...options,
    write: (text) => void (out += text),
  })
  reporter.onRunStart?.({
    scenarios: report.scenarios.map((s) => ({ id: s.id, title: s.title })),
    seed: report.seed,
    mode: report.mode,
  })
  for (const scenario of report.scenarios) reporter.onScenarioEnd?.(scenario)
  void reporter.onRunEnd?.(report, 'completed')
  return out.replace(/\d+ ms\b/g, '<ms> ms').replace(/\d+\.\d s\b/g, '<s> s')
}

test('prints scenarios, failure blocks with a curl, scorecards and a summary as pinned', async () => {
  await expect(render()).toMatchFileSnapshot('./__snapshots__/run-report.console.txt')
})

test('ends every failure block with a curl that reproduces the exchange on the served URL', () => {
  const out = render({
    reproduceUrl: (url) => url.replace('http://ee-test.ss.sild.test', 'http://127.0.0.1:4401'),
  })
  const curls = out.split('\n').filter((line) => line.includes('Reproduce with: curl'))
  expect(curls.length).toBeGreaterThan(0)
  expect(curls.join('\n')).not.toContain('ee-test.ss.sild.test')
})

test('says a run was incomplete instead of presenting it as whole', () => {
  const report = sampleRunReport()
  let out = ''
  void consoleReporter({ color: false, write: (t) => void (out += t) }).onRunEnd?.(
    { ...report, complete: false },
    'interrupted',
  )
  expect(out).toMatch(/INCOMPLETE: the run was interrupted/)
})

test('writes no colour codes when colour is off', () => {
  expect(render()).not.toMatch(/\u001b\[/)
})

test('lists a failure in every workflow where it happened, not only the first', () => {
  const report = sampleRunReport()
  const scenario = report.scenarios.find((s) =>
    s.workflows.some((w) => w.steps.some((st) => st.failures.length > 0)),
  )
  const workflow = scenario?.workflows.find((w) => w.steps.some((st) => st.failures.length > 0))
  if (!scenario || !workflow) throw new Error('the fixture has no failing step')
  const again = structuredClone(workflow)
  again.workflowId = `${workflow.workflowId}Again`
  for (const step of again.steps) {
    for (const failure of step.failures) failure.workflowId = again.workflowId
  }
  scenario.workflows.push(again)
  let out = ''
  void consoleReporter({ color: false, write: (t) => void (out += t) }).onRunEnd?.(
    report,
    'completed',
  )
  const blocks = (id: string) =>
    out.split('\n').filter((line) => line.startsWith('✗') && line.includes(` › ${id} › `)).length
  expect(blocks(workflow.workflowId)).toBeGreaterThan(0)
  expect(blocks(again.workflowId)).toBe(blocks(workflow.workflowId))
})

test('says once, above the failures, where the curl lines reach', () => {
  const out = render({
    reproduceHint: 'The curl lines call `npx sild serve` on its default ports.',
  })
  const lines = out.split('\n')
  expect(
    lines.filter((line) => line.includes('npx sild serve` on its default ports')),
  ).toHaveLength(1)
  const hint = lines.findIndex((line) => line.includes('on its default ports'))
  expect(hint).toBeGreaterThan(lines.findIndex((line) => line.startsWith('Failures (')))
  expect(hint).toBeLessThan(lines.findIndex((line) => line.includes('Reproduce with: curl')))
})

test("notes under a scorecard that Sild's own mock answered it, and only under that one", () => {
  const report = sampleRunReport()
  const [mocked, ...rest] = report.scorecards
  if (!mocked) throw new Error('the sample has no scorecard')
  mocked.answeredBySild = { mocks: ['ee-e-residency'], securityServer: false }
  let out = ''
  void consoleReporter({ color: false, write: (t) => void (out += t) }).onRunEnd?.(
    report,
    'completed',
  )
  const lines = out.split('\n')
  const row = lines.findIndex(
    (l) => l.startsWith(`  ${mocked.party} `) && l.includes(mocked.profile),
  )
  expect(lines[row + 1]).toBe(
    "      answered by Sild's own mock of ee-e-residency, not by an implementation",
  )
  expect(out.match(/answered by Sild/g)).toHaveLength(1)
  expect(rest.length).toBeGreaterThan(0)
})

test('says once, instead of under every card, when Sild itself answered every scorecard', () => {
  const report = sampleRunReport()
  for (const card of report.scorecards) card.answeredBySild = { mocks: [], securityServer: true }
  let out = ''
  void consoleReporter({ color: false, write: (t) => void (out += t) }).onRunEnd?.(
    report,
    'completed',
  )
  expect(out).toMatch(/^Every scorecard above was answered by Sild itself/m)
  expect(out).not.toMatch(/answered by Sild's simulated security server/)
})
