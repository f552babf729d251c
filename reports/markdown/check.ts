import { escapeMarkdownText, formatDiffMarkdown, diffSummary } from '../../gate/diff/index.ts'
import { failedGates, type CheckOutcome } from '../../gate/check/index.ts'
import { escapeControl } from '../../specs/control-chars/index.ts'
import { displayPath, lintLine, lintProblems, MARK, scenarioLine } from '../console/check.ts'
import { renderMarkdownReport } from './index.ts'

/** Markdown for the pull request: the gates, lint problems, breaking changes and what they break, then the scenarios. */
export const renderCheckMarkdown = (o: CheckOutcome): string => {
  const { states } = o
  const failed = failedGates(o)
  const out = [
    `## Sild check: ${failed.length ? `✗ failed (${failed.join(', ')})` : '✓ passed'}`,
    '',
    '| gate | result |',
    '|---|---|',
  ]
  if (o.lint) out.push(`| lint | ${MARK[states.lint]} ${lintLine(o.lint)} |`)
  if (o.only.includes('diff'))
    out.push(
      `| diff | ${o.diff ? `${MARK[states.diff]} ${diffSummary(o.diff)} against \`${o.base?.label}\`` : '- skipped'} |`,
    )
  if (o.only.includes('scenarios'))
    out.push(
      `| scenarios | ${o.skipped.scenarios ? `- skipped: ${escapeMarkdownText(o.skipped.scenarios)}` : `${MARK[states.scenarios]} ${scenarioLine(o)}`} |`,
    )
  out.push('')
  if (o.base?.note) out.push(`> Diff base: ${escapeMarkdownText(o.base.note)}`, '')
  const problems = lintProblems(o)
  if (problems.length) {
    out.push('### Lint', '', '| where | rule | problem |', '|---|---|---|')
    for (const f of problems.slice(0, 100))
      out.push(
        `| ${escapeMarkdownText(`${displayPath(f.file)}:${f.line}:${f.column}`)} | \`${f.rule}\` | ${escapeMarkdownText(f.message)} |`,
      )
    if (problems.length > 100) out.push('', `…and ${problems.length - 100} more.`)
    out.push('')
  }
  if (o.diff) {
    out.push(formatDiffMarkdown(o.diff, { heading: '### Spec changes' }))
    const used = [...o.usedBy.entries()]
    if (used.length) {
      out.push('**Scenarios calling changed operations**', '')
      for (const [change, steps] of used)
        out.push(
          `- \`${change.rule}\` ${escapeMarkdownText(change.message)}: ${escapeMarkdownText(steps.join(', '))}`,
        )
      out.push('')
    }
  }
  if (o.loadFailures.length) {
    out.push('### Scenarios that cannot run against the changed specs', '')
    for (const f of o.loadFailures)
      out.push(`- **${escapeMarkdownText(f.id)}**: ${escapeMarkdownText(f.message)}`)
    out.push('')
  }
  if (o.run) out.push(renderMarkdownReport(o.run))
  return escapeControl(`${out.join('\n').trimEnd()}\n`, { multiline: true })
}
