import type {
  CheckFailure,
  Exchange,
  Level,
  RunOutline,
  RunReport,
  ScenarioResult,
  Scorecard,
  Severity,
  StepResult,
  StepState,
  WorkflowResult,
} from '../../runner/types.ts'
import { en, translate, type MessageKey, type Messages } from '../i18n/index.ts'
import { escapeHtml as h } from './escape.ts'
import { allSandbox, levelsAbove, levelSummary, sandboxNote, untestedText } from '../levels.ts'
import { CONTENT_SECURITY_POLICY, SCRIPT, STYLES } from './page.ts'
import { redactHeaders, redactJson, redactUrl } from '../../specs/redaction/index.ts'
import { isUnreachableUrl, reproduceCurl } from './redact.ts'
import { sequenceDiagram } from './sequence-diagram.ts'
import { close, openReport, spillFile, writeTo, type ReportStream } from '../stream/index.ts'

export type HtmlReportOptions = {
  /** Turns an exchange URL into one a person can call (in-process hosts → `sild serve` ports). */
  reproduceUrl?: (url: string) => string
  /** Labels in the reader's language (default English). */
  messages?: Messages
  /** The `lang` of the page, matching `messages`. */
  lang?: string
}

type Ctx = {
  t: (key: MessageKey, values?: Record<string, string | number>) => string
  reproduceUrl?: (url: string) => string
}

const MARK: Record<StepState, string> = { pass: '✓', fail: '✗', skip: '–', error: '!' }
const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low']
const LEVELS: Level[] = [1, 2, 3, 4]
const MAX_BODY_CHARS = 20_000

/**
 * One self-contained HTML page (inline CSS and script, no network): scorecards, failures, and per
 * scenario a sequence diagram and every exchange with its failed checks. All service data is
 * escaped and secrets are redacted.
 */
export const renderHtmlReport = (report: RunReport, options: HtmlReportOptions = {}): string => {
  const ctx = contextOf(options)
  const located = report.scenarios.flatMap((s, i) => locateFailures(s, i))
  const sections = report.scenarios.map((s, i) => `${scenarioSection(s, `s${i + 1}`, ctx)}\n`)
  return `${pageHead(report, located, options, ctx)}${sections.join('')}${pageTail(report, ctx)}`
}

/**
 * The HTML report written a scenario at a time, as renderHtmlReport writes it whole: scenario
 * sections spill to a file, as the verdict, counts and failures above them are known only at
 * the end; only each failure's place is kept.
 */
export const htmlReportStream = (path: string, options: HtmlReportOptions = {}): ReportStream => {
  const ctx = contextOf(options)
  const spill = spillFile(path)
  const located: Located[] = []
  let index = 0
  return {
    async scenario(result) {
      located.push(...locateFailures(result, index))
      await spill.append(`${scenarioSection(result, `s${++index}`, ctx)}\n`)
    },
    async end(outline) {
      const out = await openReport(path)
      await writeTo(out, pageHead(outline, located, options, ctx))
      await spill.copyTo(out)
      await writeTo(out, pageTail(outline, ctx))
      await close(out)
    },
    abort: () => spill.remove(),
  }
}

const contextOf = ({ reproduceUrl, messages = en }: HtmlReportOptions): Ctx => ({
  t: (key, values) => translate(messages, key, values),
  reproduceUrl,
})

/** The page up to its scenario sections. */
const pageHead = (
  report: RunOutline,
  located: Located[],
  { lang = 'en' }: HtmlReportOptions,
  ctx: Ctx,
): string => {
  const { t } = ctx
  return [
    '<!doctype html>',
    `<html lang="${h(lang)}">`,
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${h(CONTENT_SECURITY_POLICY)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${h(t('report.title'))} · ${h(verdict(report, ctx).text)}</title>`,
    `<style>${STYLES}</style>`,
    '</head>',
    '<body>',
    runHeader(report, ctx),
    '<main>',
    scorecardsSection(report.scorecards, ctx),
    failuresSection(located, ctx),
    `<section id="scenarios"><h2>${h(t('scenarios.title'))}</h2>`,
    '',
  ].join('\n')
}

/** The page after its scenario sections. */
const pageTail = (report: RunOutline, { t }: Ctx): string =>
  [
    '</section>',
    '</main>',
    `<footer><p>${h(t('footer.escaped'))}</p><p>${h(t('footer.generated', { version: report.sild.version }))}</p></footer>`,
    `<script>${SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n')

const verdict = (report: RunOutline, { t }: Ctx) => {
  const total = report.scenarios.length
  const failed = total - report.summary.scenarios.pass
  if (total === 0) return { ok: false, text: t('report.verdict.empty') }
  return failed === 0
    ? { ok: true, text: t('report.verdict.pass', { total }) }
    : { ok: false, text: t('report.verdict.fail', { failed, total }) }
}

const runHeader = (report: RunOutline, ctx: Ctx): string => {
  const { t } = ctx
  const v = verdict(report, ctx)
  const meta: Array<[MessageKey, string]> = [
    ['meta.version', report.sild.version],
    ['meta.seed', String(report.seed)],
    ['meta.mode', t(report.mode === 'http' ? 'meta.mode.http' : 'meta.mode.inproc')],
    ['meta.duration', duration(report.durationMs)],
    ['meta.specsDigest', report.specsDigest.slice(0, 16)],
    ...(report.shard
      ? [['meta.shard', `${report.shard.index}/${report.shard.total}`] as [MessageKey, string]]
      : []),
  ]
  const s = report.summary
  return [
    '<header class="run">',
    `<h1>${h(t('report.title'))}</h1>`,
    `<p class="verdict ${v.ok ? 'pass' : 'fail'}">${h(v.text)}</p>`,
    report.complete
      ? ''
      : `<p class="incomplete" role="alert">${h(t('report.incomplete', { count: report.scenarios.length }))}</p>`,
    `<dl class="meta">${meta.map(([k, value]) => `<div><dt>${h(t(k))}</dt><dd${k === 'meta.specsDigest' ? ` class="mono" title="${h(report.specsDigest)}"` : ''}>${h(value)}</dd></div>`).join('')}</dl>`,
    '<ul class="counts">',
    `<li><b>${h(t('summary.scenarios'))}</b> ${stateCounts(s.scenarios, ctx)}</li>`,
    `<li><b>${h(t('summary.steps'))}</b> ${stateCounts(s.steps, ctx)}</li>`,
    `<li><b>${h(t('summary.checks'))}</b> ${h(t('summary.checksCount', s.checks))}</li>`,
    '</ul>',
    '<div class="controls">',
    `<button type="button" data-open="true">${h(t('controls.expandFailures'))}</button>`,
    `<button type="button" data-open="false">${h(t('controls.collapseAll'))}</button>`,
    `<label><input type="checkbox" id="only-failing"> ${h(t('controls.onlyFailing'))}</label>`,
    '</div>',
    '</header>',
  ].join('\n')
}

const stateCounts = (counts: Record<StepState, number>, { t }: Ctx): string =>
  (['pass', 'fail', 'error', 'skip'] as StepState[])
    .filter((k) => counts[k] > 0)
    .map((k) => `<span class="state-${k}">${h(counts[k])} ${h(t(`state.${k}`))}</span>`)
    .join(', ') || '0'

const scorecardsSection = (cards: Scorecard[], ctx: Ctx): string => {
  const { t } = ctx
  const everySandbox = allSandbox(cards)
  return [
    `<section id="scorecards"><h2>${h(t('scorecards.title'))}</h2>`,
    `<p>${h(t('scorecards.intro'))}</p>`,
    everySandbox ? `<p class="sandbox">${h(t('scorecards.allSandbox'))}</p>` : '',
    cards.length
      ? `<div class="cards">${cards.map((c) => scorecard(c, ctx, everySandbox)).join('\n')}</div>`
      : `<p>${h(t('scorecards.empty'))}</p>`,
    '</section>',
  ].join('\n')
}

const scorecard = (card: Scorecard, ctx: Ctx, everySandbox: boolean): string => {
  const { t } = ctx
  const sandbox = everySandbox ? undefined : sandboxNote(card, t)
  const rungs = LEVELS.map((l) => {
    const state = card.levels.find((v) => v.level === l)?.state ?? 'not-tested'
    const cls = l <= card.level ? ' reached' : ` ${state}`
    return `<div class="rung l${l}${cls}" title="${h(`${t(`level.state.${state}`)}: ${t(`level.asks.${l}`)}`)}">${l} ${h(t(`level.name.${l}`))}</div>`
  })
  const reached = levelSummary(card, t)
  return [
    `<article class="card${card.level === 4 ? ' complete' : ''}">`,
    `<div class="who"><span class="party">${h(card.party)}</span><span class="profile">${h(card.profile)}</span></div>`,
    `<div class="ladder">${rungs.join('')}</div>`,
    `<p class="level">${h(reached)}</p>`,
    `<p class="score">${h(card.score.toFixed(1))} <small>${h(t('scorecard.score'))}</small></p>`,
    sandbox ? `<p class="sandbox">${h(sandbox)}</p>` : '',
    card.diagnosis
      ? `<p class="diagnosis"><b>${h(t('scorecard.rootCause'))}:</b> ${h(card.diagnosis)}</p>`
      : '',
    aboveReached(card, ctx),
    `<details><summary>${h(t('scorecard.checks', { count: card.checks.length }))}</summary>`,
    '<table><thead><tr>',
    (
      [
        'table.check',
        'table.level',
        'table.severity',
        'table.mandatory',
        'table.passed',
        'table.failed',
      ] as const
    )
      .map((k) => `<th>${h(t(k))}</th>`)
      .join(''),
    '</tr></thead><tbody>',
    ...card.checks.map(
      (c) =>
        `<tr><td><code>${h(c.check)}</code></td><td>${h(c.level)}</td><td>${severityBadge(c.severity, ctx)}</td><td>${h(t(c.mandatory ? 'table.yes' : 'table.no'))}</td><td>${h(c.passed)}</td><td${c.failed ? ' class="state-fail"' : ''}>${h(c.failed)}</td></tr>`,
    ),
    '</tbody></table></details>',
    '</article>',
  ].join('\n')
}

// Every level above the one reached, blocked (by which checks) or not tested (which checks never
// ran, and what applies them), then what the profile is not required to exercise.
const aboveReached = (card: Scorecard, { t }: Ctx): string => {
  const items = levelsAbove(card).map((v) =>
    v.state === 'blocked'
      ? `<div class="blocks"><b>${h(t('scorecard.blockedBy', { level: v.level, checks: '' }).replace(/\s*$/, ''))}</b><ul>${v.blocking
          .map((b) => `<li><code>${h(b.check)}</code>: ${h(b.message)}</li>`)
          .join('')}</ul></div>`
      : `<div class="untested"><b>${h(t('scorecard.notTested', { level: v.level }))}</b><ul>${untestedText(
          v,
          t,
        )
          .map((line) => `<li>${h(line)}</li>`)
          .join('')}</ul></div>`,
  )
  if (card.notApplicable.length)
    items.push(
      `<details class="not-applicable"><summary>${h(t('scorecard.notApplicable'))}</summary><ul>${card.notApplicable
        .map((n) => `<li><code>${h(n.check)}</code>: ${h(n.reason)}</li>`)
        .join('')}</ul></details>`,
    )
  return items.join('\n')
}

const severityBadge = (severity: Severity, { t }: Ctx): string =>
  `<span class="sev sev-${h(severity)}">${h(t(`severity.${severity}`))}</span>`

type Located = { failure: CheckFailure; href: string; where: string }

/** Every failure of the i-th scenario with the id of the element that shows it, in report order. */
const locateFailures = (s: ScenarioResult, i: number): Located[] =>
  s.workflows.flatMap((w, j) => {
    const wid = `s${i + 1}-w${j + 1}`
    return [
      ...w.steps.flatMap((step, k) =>
        step.failures.map((failure) => ({
          failure,
          href: `${wid}-${k + 1}`,
          where: `${s.id} › ${w.workflowId} › ${step.stepId}`,
        })),
      ),
      ...w.failures.map((failure) => ({
        failure,
        href: wid,
        where: `${s.id} › ${w.workflowId}`,
      })),
    ]
  })

const failuresSection = (located: Located[], ctx: Ctx): string => {
  const { t } = ctx
  const list = [...located].sort(
    (a, b) => SEVERITIES.indexOf(a.failure.severity) - SEVERITIES.indexOf(b.failure.severity),
  )
  const head = `<section id="failures"><h2>${h(t('failures.title', { count: list.length }))}</h2>`
  if (list.length === 0) return `${head}<p>${h(t('failures.none'))}</p></section>`
  const cols = [
    'table.severity',
    'table.check',
    'table.level',
    'table.where',
    'table.message',
  ] as const
  return [
    head,
    `<table><thead><tr>${cols.map((k) => `<th>${h(t(k))}</th>`).join('')}</tr></thead><tbody>`,
    ...list.map(
      ({ failure: f, href, where }) =>
        `<tr><td>${severityBadge(f.severity, ctx)}</td><td><code>${h(f.check)}</code></td><td>${h(f.level)} ${h(t(`level.name.${f.level}`))}</td><td><a href="#${h(href)}">${h(where)}</a></td><td>${h(f.message)}</td></tr>`,
    ),
    '</tbody></table></section>',
  ].join('\n')
}

const scenarioSection = (scenario: ScenarioResult, id: string, ctx: Ctx): string => {
  const { t } = ctx
  const exchanges = scenario.workflows.flatMap((w, j) =>
    w.steps.flatMap((step, k) =>
      step.exchange
        ? [
            {
              exchange: step.exchange,
              failed: step.state === 'fail' || step.state === 'error',
              href: `${id}-w${j + 1}-${k + 1}`,
            },
          ]
        : [],
    ),
  )
  return [
    `<article class="scenario scenario-${h(scenario.state)}" id="${id}">`,
    `<h3><span class="mark state-${h(scenario.state)}" title="${h(t(`state.${scenario.state}`))}">${MARK[scenario.state]}</span> ${h(scenario.title)} <code>${h(scenario.id)}</code></h3>`,
    scenario.description ? `<p>${h(scenario.description)}</p>` : '',
    `<p class="file">${h(t('scenario.file'))}: <code>${h(scenario.file)}</code> · ${h(t('scenario.digest'))}: <code title="${h(scenario.digest)}">${h(scenario.digest.slice(0, 16))}</code> · ${h(duration(scenario.durationMs))}</p>`,
    exchanges.length
      ? `<figure class="diagram">${sequenceDiagram(exchanges, {
          title: t('diagram.title', { scenario: scenario.id }),
          securityServer: t('diagram.securityServer'),
          border: t('diagram.border'),
          noResponse: t('diagram.noResponse'),
        })}</figure>`
      : '',
    ...scenario.workflows.map((w, j) => workflowSection(w, `${id}-w${j + 1}`, ctx)),
    '</article>',
  ].join('\n')
}

const workflowSection = (w: WorkflowResult, id: string, ctx: Ctx): string => {
  const { t } = ctx
  return [
    `<section class="workflow" id="${id}">`,
    `<h4><span class="mark state-${h(w.state)}">${MARK[w.state]}</span> <code>${h(w.workflowId)}</code>${w.summary ? ` · ${h(w.summary)}` : ''}</h4>`,
    w.message ? `<p class="state-${h(w.state)}">${h(w.message)}</p>` : '',
    `<ol class="steps">${w.steps.map((step, k) => `<li>${stepDetails(step, `${id}-${k + 1}`, ctx)}</li>`).join('\n')}</ol>`,
    w.failures.length ? `<h5>${h(t('workflow.checks'))}</h5>${failedChecks(w.failures, ctx)}` : '',
    '</section>',
  ].join('\n')
}

const stepDetails = (step: StepResult, id: string, ctx: Ctx): string => {
  const { t } = ctx
  const failed = step.state === 'fail' || step.state === 'error'
  const ex = step.exchange
  const call = ex
    ? `${ex.request.method} ${ex.serviceId} ${ex.operationId} → ${ex.response ? ex.response.status : t('diagram.noResponse')}`
    : ''
  return [
    `<details class="step${failed ? ' failed' : ''}" id="${id}">`,
    `<summary><span class="mark state-${h(step.state)}" title="${h(t(`state.${step.state}`))}">${MARK[step.state]}</span> <b>${h(step.stepId)}</b><span class="call">${h(call)}</span>${step.failures.length ? `<span class="count">${h(t('step.failedChecks', { count: step.failures.length }))}</span>` : ''}</summary>`,
    '<div class="step-body">',
    step.description ? `<p>${h(step.description)}</p>` : '',
    step.message ? `<p class="state-${h(step.state)}">${h(step.message)}</p>` : '',
    failedChecks(step.failures, ctx),
    ex ? exchangeView(ex, step, ctx) : `<p class="note">${h(t('step.noExchange'))}</p>`,
    '</div>',
    '</details>',
  ].join('\n')
}

const failedChecks = (failures: CheckFailure[], ctx: Ctx): string => {
  const { t } = ctx
  if (failures.length === 0) return ''
  return `<ul class="failed-checks">${failures
    .map(
      (f) =>
        `<li>${severityBadge(f.severity, ctx)} <code>${h(f.check)}</code> · ${h(t('level.short', { level: f.level }))} ${h(t(`level.name.${f.level}`))}<br><b>${h(f.title)}</b><br>${h(f.message)}<br><span class="explain">${h(t(`level.name.${f.level}`))}: ${h(t(`level.asks.${f.level}`))}</span></li>`,
    )
    .join('')}</ul>`
}

const exchangeView = (ex: Exchange, step: StepResult, ctx: Ctx): string => {
  const { t, reproduceUrl } = ctx
  const mapped = reproduceUrl ? reproduceUrl(ex.request.url) : ex.request.url
  const request = [
    `${ex.request.method} ${redactUrl(ex.request.url)}`,
    headerLines(ex.request.headers),
    ...bodyLines(ex.request.body),
  ].join('\n')
  const response = ex.response
    ? [
        `HTTP ${ex.response.status}`,
        headerLines(ex.response.headers),
        ...bodyLines(ex.response.body),
      ].join('\n')
    : t('step.noResponse', { error: ex.transportError ?? '' })
  const route = [ex.hops[0]?.from ?? ex.client, ...ex.hops.map((hop) => hop.to)].join(' → ')
  return [
    `<p><b>${h(t('step.reproduce'))}</b></p>`,
    `<pre class="curl">${h(reproduceCurl(ex.request, reproduceUrl))}</pre>`,
    isUnreachableUrl(mapped) ? `<p class="note">${h(t('step.sandboxUrl'))}</p>` : '',
    '<div class="http">',
    `<section><h5>${h(t('step.request'))}</h5><pre>${h(request)}</pre></section>`,
    `<section><h5>${h(t('step.response'))}</h5><pre>${h(response)}</pre></section>`,
    '</div>',
    `<p class="facts">${h(t('step.route'))}: ${h(route)} · ${h(t('step.duration'))}: ${h(duration(ex.durationMs))} · ${h(t('step.attempts'))}: ${h(step.attempts)}${ex.logRefs.length ? ` · ${h(t('step.logRefs'))}: ${h(ex.logRefs.join(', '))}` : ''}</p>`,
  ].join('\n')
}

const headerLines = (headers: Record<string, string>): string =>
  Object.entries(redactHeaders(headers))
    .map(([name, value]) => `${name}: ${value}`)
    .join('\n')

const bodyLines = (body: unknown): string[] => {
  if (body === undefined) return []
  const text = prettyBody(redactJson(body))
  return [
    '',
    text.length > MAX_BODY_CHARS
      ? `${text.slice(0, MAX_BODY_CHARS)}\n… (${text.length - MAX_BODY_CHARS} more characters)`
      : text,
  ]
}

const prettyBody = (body: unknown): string => {
  if (typeof body !== 'string') return JSON.stringify(body, null, 2)
  try {
    const parsed: unknown = JSON.parse(body)
    return parsed !== null && typeof parsed === 'object' ? JSON.stringify(parsed, null, 2) : body
  } catch {
    return body
  }
}

const duration = (ms: number): string =>
  ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`
