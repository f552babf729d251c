import {
  LEVEL_NAMES,
  type CheckFailure,
  type CheckOutcome,
  type Exchange,
  type RunReport,
  type ScenarioResult,
  type Severity,
  type StepState,
  type WorkflowResult,
} from '../../runner/types.ts'
import { redactJson } from '../../specs/redaction/index.ts'
import { isUnreachableUrl, reproduceCurl } from '../html/redact.ts'
import { close, openReport, spillFile, writeTo, type ReportStream } from '../stream/index.ts'

export type JunitReportOptions = {
  /** Turns an exchange URL into one a person can call (in-process hosts → `sild serve` ports). */
  reproduceUrl?: (url: string) => string
}

type Outcome = 'failure' | 'error' | 'skipped' | undefined

/** How each state shows in JUnit: a passing case has no child element. */
const JUNIT: Record<StepState, Outcome> = {
  pass: undefined,
  fail: 'failure',
  error: 'error',
  skip: 'skipped',
}

const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low']
const MAX_BODY_CHARS = 2000

type Case = {
  classname: string
  name: string
  seconds: number
  outcome: Outcome
  message: string
  type: string
  text: string
}

/**
 * JUnit XML for CI test views: a `<testsuite>` per scenario, a `<testcase>` per step and per
 * workflow-level check. Failures name the checks with severity and level and end in a `curl`
 * that reproduces the request. Matches reports/junit/junit.xsd.
 */
export const renderJunitReport = (report: RunReport, options: JunitReportOptions = {}): string => {
  const totals = zero()
  const suites = report.scenarios.map((scenario) => {
    const suite = suiteOf(scenario, options)
    add(totals, suite.counts)
    return `${suite.text}\n`
  })
  const withProperties = suites
    .join('')
    .split('\n')
    .map((line) => propertiesAt(line, report))
    .join('\n')
  return `${head(report, totals)}${withProperties}${tail(report)}`
}

/**
 * The JUnit report written a scenario at a time, as renderJunitReport writes it whole: the
 * suites wait in a spill file, as the totals before them are known only at the end.
 */
export const junitReportStream = (path: string, options: JunitReportOptions = {}): ReportStream => {
  const spill = spillFile(path)
  const totals = zero()
  return {
    async scenario(result) {
      const suite = suiteOf(result, options)
      add(totals, suite.counts)
      await spill.append(`${suite.text}\n`)
    },
    async end(outline) {
      const out = await openReport(path)
      await writeTo(out, head(outline, totals))
      await spill.copyTo(out, (line) => propertiesAt(line, outline))
      await writeTo(out, tail(outline))
      await close(out)
    },
    abort: () => spill.remove(),
  }
}

type Counts = { tests: number; failures: number; errors: number }

const zero = (): Counts => ({ tests: 0, failures: 0, errors: 0 })

const add = (to: Counts, counts: Counts) => {
  to.tests += counts.tests
  to.failures += counts.failures
  to.errors += counts.errors
}

const count = (cases: Case[], outcome: Outcome) => cases.filter((c) => c.outcome === outcome).length

/** What a run's properties need of it: they are the same in every suite. */
type RunFacts = Pick<RunReport, 'sild' | 'seed' | 'mode' | 'specsDigest' | 'shard' | 'complete'>

// Stands for a suite's properties until the run's end is known; XML text never holds U+0000.
const PROPERTIES = '\u0000'

/** A scenario's `<testsuite>`, its properties a line to fill in by `propertiesAt`. */
const suiteOf = (scenario: ScenarioResult, options: JunitReportOptions) => {
  const cases = casesOf(scenario, options)
  const counts = {
    tests: cases.length,
    failures: count(cases, 'failure'),
    errors: count(cases, 'error'),
  }
  const text = [
    `  <testsuite${attrs({ name: scenario.id, ...counts, skipped: count(cases, 'skipped'), time: seconds(scenario.durationMs) })}>`,
    '    <properties>',
    `${PROPERTIES}${JSON.stringify([scenario.file, scenario.digest])}`,
    '    </properties>',
    ...cases.map(testcase),
    '  </testsuite>',
  ].join('\n')
  return { text, counts }
}

const propertiesAt = (line: string, run: RunFacts): string => {
  if (!line.startsWith(PROPERTIES)) return line
  const [file, digest] = JSON.parse(line.slice(PROPERTIES.length)) as [string, string]
  return properties(run, file, digest)
    .map(([name, value]) => `      <property${attrs({ name, value })}/>`)
    .join('\n')
}

const head = (report: RunFacts & Pick<RunReport, 'durationMs' | 'scorecards'>, totals: Counts) => {
  const all = { ...totals }
  const levels = scorecardCases(report)
  add(all, { tests: levels.length, failures: count(levels, 'failure'), errors: 0 })
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites${attrs({ name: 'sild', ...all, time: seconds(report.durationMs) })}>\n`
}

const tail = (report: Pick<RunReport, 'scorecards'>) => {
  const levels = scorecardCases(report)
  return [
    ...(levels.length
      ? [
          `  <testsuite${attrs({ name: 'scorecards', tests: levels.length, failures: count(levels, 'failure'), errors: 0, skipped: count(levels, 'skipped'), time: seconds(0) })}>`,
          ...levels.map(testcase),
          '  </testsuite>',
        ]
      : []),
    '</testsuites>',
    '',
  ].join('\n')
}

/**
 * A test case per scorecard level: passed, failed (blocked, naming the checks), or skipped (not
 * tested in this run, naming the checks that never ran), so a CI test view shows what was tested.
 */
const scorecardCases = (report: Pick<RunReport, 'scorecards'>): Case[] =>
  report.scorecards.flatMap((card) =>
    card.levels.map((v): Case => {
      const base = {
        classname: `scorecards.${card.party}.${card.profile}`,
        name: `level ${v.level} ${LEVEL_NAMES[v.level]}`,
        seconds: 0,
        type: '',
        text: '',
      }
      if (v.state === 'passed') return { ...base, outcome: undefined, message: '' }
      if (v.state === 'blocked')
        return {
          ...base,
          outcome: 'failure',
          type: 'blocked',
          message: `blocked by ${v.blocking.map((b) => b.check).join(', ')}`,
          text: v.blocking.map((b) => `${b.check}: ${b.message}`).join('\n'),
        }
      return {
        ...base,
        outcome: 'skipped',
        message: `not tested in this run${v.untested.length ? `: ${v.untested.map((u) => `${u.check} never applied (applied by ${u.appliedBy})`).join('; ')}` : ''}`,
      }
    }),
  )

const properties = (report: RunFacts, file: string, digest: string): Array<[string, string]> => [
  ['sild.version', report.sild.version],
  ['seed', String(report.seed)],
  ['mode', report.mode],
  ['specs.digest', report.specsDigest],
  ['scenario.file', file],
  ['scenario.digest', digest],
  ...(report.shard
    ? [['shard', `${report.shard.index}/${report.shard.total}`] as [string, string]]
    : []),
  ...(report.complete ? [] : [['incomplete', 'true'] as [string, string]]),
]

const casesOf = (scenario: ScenarioResult, options: JunitReportOptions): Case[] =>
  scenario.workflows.flatMap((w) => {
    const classname = `${scenario.id}.${w.workflowId}`
    const where = `${scenario.id} › ${w.workflowId}`
    const steps = w.steps.map((step): Case => {
      const outcome = JUNIT[step.state]
      const { message, type } = headline(step.failures, step.message, step.state)
      const text = [
        ...failureBlocks(step.failures),
        ...(step.message && step.failures.length ? [step.message, ''] : []),
        `Where: ${where} › ${step.stepId}`,
        ...(step.exchange ? exchangeLines(step.exchange, options) : []),
      ].join('\n')
      return {
        classname,
        name: step.stepId,
        seconds: step.exchange?.durationMs ?? 0,
        outcome,
        message,
        type,
        text: outcome && outcome !== 'skipped' ? text : '',
      }
    })
    return [...steps, ...workflowCases(w, classname, where)]
  })

const workflowCases = (w: WorkflowResult, classname: string, where: string): Case[] => {
  const cases = w.outcomes.map((o: CheckOutcome): Case => {
    const failures = w.failures.filter((f) => f.check === o.check)
    return {
      classname,
      name: `${o.check} (workflow)`,
      seconds: 0,
      outcome: o.passed ? undefined : 'failure',
      message: o.passed ? '' : headline(failures, o.message, 'fail').message,
      type: o.check,
      text: o.passed ? '' : [...failureBlocks(failures), `Where: ${where}`].join('\n'),
    }
  })
  // A workflow that never ran its steps (a failed dependency, a loop) still needs a visible case.
  const unexplained =
    w.message &&
    (w.state === 'error' || w.state === 'skip') &&
    !w.steps.some((s) => s.state === w.state)
  if (unexplained)
    cases.push({
      classname,
      name: '(workflow)',
      seconds: 0,
      outcome: JUNIT[w.state],
      message: w.message ?? '',
      type: w.state,
      text: w.state === 'error' ? `${w.message ?? ''}\nWhere: ${where}` : '',
    })
  return cases
}

const headline = (failures: CheckFailure[], fallback: string | undefined, state: StepState) => {
  const sorted = [...failures].sort(
    (a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity),
  )
  const [first] = sorted
  if (!first) return { message: fallback ?? `step ${state}`, type: state }
  if (sorted.length === 1) return { message: `${first.check}: ${first.message}`, type: first.check }
  return {
    message: `${sorted.length} checks failed: ${sorted.map((f) => `${f.check} (${f.severity})`).join(', ')}`,
    type: first.check,
  }
}

const failureBlocks = (failures: CheckFailure[]): string[] =>
  failures.flatMap((f) => [
    `${f.check} [${f.severity} · level ${f.level} ${LEVEL_NAMES[f.level]}]`,
    `  ${f.title}`,
    `  ${f.message}`,
    '',
  ])

const exchangeLines = (ex: Exchange, { reproduceUrl }: JunitReportOptions): string[] => {
  const mapped = reproduceUrl ? reproduceUrl(ex.request.url) : ex.request.url
  const body = ex.response?.body === undefined ? undefined : redactJson(ex.response.body)
  const bodyText = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body)
  return [
    `Exchange: ${ex.client} → ${ex.service} ${ex.operationId}: ${ex.response ? `HTTP ${ex.response.status}` : `no response (${ex.transportError ?? ''})`}`,
    ...(bodyText
      ? [
          `Response body: ${bodyText.length > MAX_BODY_CHARS ? `${bodyText.slice(0, MAX_BODY_CHARS)}…` : bodyText}`,
        ]
      : []),
    `Reproduce with: ${reproduceCurl(ex.request, reproduceUrl)}`,
    ...(isUnreachableUrl(mapped)
      ? [
          "  (an in-process sandbox URL: start `sild serve` and send the request to its security server's port)",
        ]
      : []),
  ]
}

const testcase = (c: Case): string => {
  const open = `    <testcase${attrs({ classname: c.classname, name: c.name, time: seconds(c.seconds) })}`
  if (!c.outcome) return `${open}/>`
  const child =
    c.outcome === 'skipped'
      ? `      <skipped${attrs({ message: c.message })}/>`
      : `      <${c.outcome}${attrs({ message: c.message, type: c.type })}>${escapeXml(c.text)}</${c.outcome}>`
  return [`${open}>`, child, '    </testcase>'].join('\n')
}

const seconds = (ms: number): string => (ms / 1000).toFixed(3)

const attrs = (values: Record<string, string | number>): string =>
  Object.entries(values)
    .map(([name, value]) => ` ${name}="${escapeXml(String(value), true)}"`)
    .join('')

// XML 1.0 cannot carry these even as character references: they become U+FFFD.
const INVALID_XML =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/** Text or attribute content: markup escaped, characters XML forbids replaced. */
export const escapeXml = (value: string, attribute = false): string => {
  const text = value
    .replace(INVALID_XML, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
  return attribute
    ? text
        .replace(/"/g, '&quot;')
        .replace(/\n/g, '&#10;')
        .replace(/\r/g, '&#13;')
        .replace(/\t/g, '&#9;')
    : text.replace(/\r/g, '&#13;')
}
