import { allSandbox, levelsAbove, sandboxNote } from '../levels.ts'
import type {
  CheckFailure,
  Exchange,
  RunOutline,
  Scorecard,
  Severity,
  StepState,
} from '../../runner/types.ts'
import { escapeControl } from '../../specs/control-chars/index.ts'
import { escapeHtml } from '../html/escape.ts'
import { redactJson } from '../../specs/redaction/index.ts'
import { isUnreachableUrl, reproduceCurl } from '../html/redact.ts'
import { en, translate, type MessageKey, type Messages } from '../i18n/index.ts'

export type MarkdownReportOptions = {
  /** Turns an exchange URL into one a person can call (in-process hosts → `sild serve` ports). */
  reproduceUrl?: (url: string) => string
  messages?: Messages
  /** Stop adding failure details past this size; a GitHub comment holds 65,536 characters. */
  maxChars?: number
}

type T = (key: MessageKey, values?: Record<string, string | number>) => string

const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low']
const MAX_BODY_CHARS = 1500

/**
 * A compact Markdown summary for a pull-request comment or `$GITHUB_STEP_SUMMARY`: scorecards as
 * a table, then the failing checks, each failing step's details collapsed. Service data is
 * escaped so it cannot format, link, mention or inject HTML.
 */
export const renderMarkdownReport = (
  report: RunOutline,
  { reproduceUrl, messages = en, maxChars = 60_000 }: MarkdownReportOptions = {},
): string => {
  const t: T = (key, values) => translate(messages, key, values)
  const located = locate(report)
  const head = [
    `## ${md(t('report.title'))}: ${md(verdict(report, t))}`,
    '',
    ...(report.complete
      ? []
      : [`> **${md(t('report.incomplete', { count: report.scenarios.length }))}**`, '']),
    ...scorecardTable(report.scorecards, t),
    '',
    summaryLine(report, t),
    '',
    `### ${md(t('failures.title', { count: located.length }))}`,
    '',
    ...(located.length ? failureTable(located, t) : [md(t('failures.none'))]),
    '',
    '',
  ]
  const out = head.join('\n')
  const details: string[] = []
  let size = out.length
  const groups = groupBySubject(located)
  for (const [i, group] of groups.entries()) {
    const block = detailsBlock(group, reproduceUrl)
    if (size + block.length > maxChars) {
      details.push(`${md(t('failures.more', { count: groups.length - i }))}\n`)
      break
    }
    details.push(block)
    size += block.length
  }
  return `${out}${details.join('\n')}`
}

const verdict = (report: RunOutline, t: T): string => {
  const total = report.scenarios.length
  const failed = total - report.summary.scenarios.pass
  if (total === 0) return t('report.verdict.empty')
  return failed === 0
    ? t('report.verdict.pass', { total })
    : t('report.verdict.fail', { failed, total })
}

const scorecardTable = (cards: Scorecard[], t: T): string[] => {
  if (cards.length === 0) return [md(t('scorecards.empty'))]
  // Each level above the one reached: blocked by which checks, or not tested for want of which.
  const blocks = (c: Scorecard): string => {
    const above = levelsAbove(c)
    const parts = above.map((v) =>
      v.state === 'blocked'
        ? `${md(t('scorecard.blockedBy', { level: v.level, checks: '' }).trimEnd())} ${v.blocking.map((b) => `\`${code(b.check)}\``).join(', ')}`
        : `${md(t('scorecard.notTested', { level: v.level }))}${v.untested.length ? `: ${v.untested.map((u) => `\`${code(u.check)}\``).join(', ')}` : ''}`,
    )
    if (c.diagnosis) parts.unshift(`**${md(t('scorecard.rootCause'))}:** ${md(c.diagnosis)}`)
    const sandbox = everySandbox ? undefined : sandboxNote(c, t)
    if (sandbox) parts.unshift(`_${md(sandbox)}_`)
    return parts.length ? parts.join('<br>') : md(t('scorecard.top'))
  }
  const everySandbox = allSandbox(cards)
  return [
    `| ${md(t('scorecard.party'))} | ${md(t('scorecard.profile'))} | ${md(t('table.level'))} | ${md(t('table.score'))} | ${md(t('table.nextLevel'))} |`,
    '|---|---|---|--:|---|',
    ...cards.map(
      (c) =>
        `| ${md(c.party)} | ${md(c.profile)} | ${c.level === 0 ? md(t('level.none')) : `${c.level} ${md(t(`level.name.${c.level}`))}`} | ${c.score.toFixed(1)} | ${blocks(c)} |`,
    ),
    ...(everySandbox ? ['', `_${md(t('scorecards.allSandbox'))}_`] : []),
  ]
}

const summaryLine = (report: RunOutline, t: T): string => {
  const counts = (r: Record<StepState, number>) =>
    (['pass', 'fail', 'error', 'skip'] as StepState[])
      .filter((k) => r[k] > 0)
      .map((k) => `${r[k]} ${t(`state.${k}`)}`)
      .join(', ') || '0'
  const s = report.summary
  return [
    `**${md(t('summary.scenarios'))}** ${md(counts(s.scenarios))}`,
    `**${md(t('summary.steps'))}** ${md(counts(s.steps))}`,
    `**${md(t('summary.checks'))}** ${md(t('summary.checksCount', s.checks))}`,
    `${md(t('meta.seed'))} ${report.seed}`,
    `Sild ${md(report.sild.version)}`,
    `${md(t('meta.specsDigest'))} \`${report.specsDigest.slice(0, 12)}\``,
    ...(report.shard ? [`${md(t('meta.shard'))} ${report.shard.index}/${report.shard.total}`] : []),
  ].join(' · ')
}

type Located = { failure: CheckFailure; where: string; subject: string; exchange?: Exchange }

const locate = (report: RunOutline): Located[] =>
  report.scenarios
    .flatMap((s) =>
      s.workflows.flatMap((w) => [
        ...w.steps.flatMap((step) =>
          step.failures.map((failure) => ({
            failure,
            where: `${s.id} › ${w.workflowId} › ${step.stepId}`,
            subject: `${s.id}\u0000${w.workflowId}\u0000${step.stepId}`,
            exchange: step.exchange,
          })),
        ),
        ...w.failures.map((failure) => ({
          failure,
          where: `${s.id} › ${w.workflowId}`,
          subject: `${s.id}\u0000${w.workflowId}`,
        })),
      ]),
    )
    .sort((a, b) => SEVERITIES.indexOf(a.failure.severity) - SEVERITIES.indexOf(b.failure.severity))

const failureTable = (located: Located[], t: T): string[] => [
  `| ${md(t('table.check'))} | ${md(t('table.severity'))} | ${md(t('table.level'))} | ${md(t('table.where'))} | ${md(t('table.message'))} |`,
  '|---|---|---|---|---|',
  ...located.map(
    ({ failure: f, where }) =>
      `| \`${code(f.check)}\` | ${md(t(`severity.${f.severity}`))} | ${f.level} ${md(t(`level.name.${f.level}`))} | ${md(where)} | ${md(f.message)} |`,
  ),
]

const groupBySubject = (located: Located[]): Located[][] => {
  const groups = new Map<string, Located[]>()
  for (const l of located) groups.set(l.subject, [...(groups.get(l.subject) ?? []), l])
  return [...groups.values()]
}

const detailsBlock = (group: Located[], reproduceUrl?: (url: string) => string): string => {
  const [first] = group
  if (!first) return ''
  const ex = first.exchange
  const lines = group.map(
    ({ failure: f }) => `${f.check} [${f.severity} · level ${f.level}] ${f.title}\n  ${f.message}`,
  )
  if (ex) {
    const mapped = reproduceUrl ? reproduceUrl(ex.request.url) : ex.request.url
    const body = ex.response?.body === undefined ? undefined : redactJson(ex.response.body)
    const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body)
    lines.push(
      '',
      ex.response ? `HTTP ${ex.response.status}` : `no response: ${ex.transportError ?? ''}`,
      ...(text ? [text.length > MAX_BODY_CHARS ? `${text.slice(0, MAX_BODY_CHARS)}…` : text] : []),
      '',
      reproduceCurl(ex.request, reproduceUrl),
      ...(isUnreachableUrl(mapped)
        ? ["# an in-process sandbox URL: start `sild serve` and use its security server's port"]
        : []),
    )
  }
  const body = escapeControl(lines.join('\n'), { multiline: true })
  const fence = '`'.repeat(Math.max(3, ...[...body.matchAll(/`+/g)].map((m) => m[0].length + 1)))
  return [
    `<details><summary>${html(first.where)}: ${html(group.map((l) => l.failure.check).join(', '))}</summary>`,
    '',
    `${fence}text`,
    body,
    fence,
    '',
    '</details>',
    '',
  ].join('\n')
}

/**
 * Inline Markdown text: HTML special characters become entities, the punctuation that can start
 * emphasis, code, links, tables, strikethrough or math is backslash-escaped, line breaks become
 * spaces (a table row is one line) and `@` cannot mention anyone.
 */
export const escapeMarkdown = (text: string): string =>
  escapeControl(text.replace(/\r?\n|\r/g, ' '))
    .replace(/[\\`*_[\]|~$]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@/g, '@&#8203;')

const md = escapeMarkdown

/** Text inside the HTML of a `<summary>`: escaped, and no mentions. */
const html = (text: string): string => escapeHtml(escapeControl(text)).replace(/@/g, '@&#8203;')

/** Text for a code span in a table cell: no backtick, pipe or line break can leave it. */
const code = (text: string): string =>
  escapeControl(text)
    .replace(/`/g, "'")
    .replace(/\|/g, '\\|')
    .replace(/\r?\n|\r/g, ' ')
