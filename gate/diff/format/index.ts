import type { Change, DiffResult } from '../index.ts'

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

const where = (c: Change) =>
  c.location.file
    ? `${c.location.file}${c.location.line ? `:${c.location.line}:${c.location.column ?? 1}` : ''}`
    : c.spec

const whom = (c: Change) => (c.breaks.length ? ` (breaks ${c.breaks.join(' and ')})` : '')

/** `N breaking, M non-breaking changes`. */
export const diffSummary = (result: DiffResult): string =>
  result.breaking.length + result.nonBreaking.length
    ? `${plural(result.breaking.length, 'breaking change')}, ${result.nonBreaking.length} non-breaking`
    : 'no changes'

/** One line per change, breaking ones first, each with file:line and rule, then a summary. */
export const formatDiffText = (result: DiffResult): string => {
  const lines = [
    ...result.breaking.map((c) => `BREAKING     ${where(c)} ${c.rule}  ${c.message}${whom(c)}`),
    ...result.nonBreaking.map((c) => `non-breaking ${where(c)} ${c.rule}  ${c.message}`),
  ]
  return `${[...lines, ...(lines.length ? [''] : []), lines.length ? diffSummary(result) : 'no changes'].join('\n')}\n`
}

/** `{"breaking": [...], "nonBreaking": [...]}`. */
export const formatDiffJson = (result: DiffResult): string =>
  `${JSON.stringify({ breaking: result.breaking, nonBreaking: result.nonBreaking }, null, 2)}\n`

/** Keeps text from formatting, linking or mentioning in Markdown (and from injecting HTML). */
export const escapeMarkdownText = (text: string): string =>
  text
    .replace(/[\\`*_{}[\]()#+!|~>]/g, '\\$&')
    .replace(/</g, '&lt;')
    .replace(/@/g, '@\u200b')
    .replace(/\r?\n/g, ' ')

const row = (c: Change) =>
  `| \`${c.rule}\` | ${escapeMarkdownText(c.message)} | ${escapeMarkdownText(where(c))} | ${c.breaks.join(', ') || '–'} |`

/** The diff for a pull request: breaking changes as a table, the others folded away. */
export const formatDiffMarkdown = (
  result: DiffResult,
  { heading = '## Spec changes' } = {},
): string => {
  const header = ['| rule | change | where | breaks |', '|---|---|---|---|']
  const out = [`${heading}: ${diffSummary(result)}`, '']
  if (result.breaking.length)
    out.push('### Breaking', '', ...header, ...result.breaking.map(row), '')
  else out.push('No breaking changes.', '')
  if (result.nonBreaking.length)
    out.push(
      `<details><summary>${plural(result.nonBreaking.length, 'non-breaking change')}</summary>`,
      '',
      ...header,
      ...result.nonBreaking.map(row),
      '',
      '</details>',
      '',
    )
  return out.join('\n')
}

/**
 * The `<testsuite>` of a diff for JUnit: one test case per spec, failing when the spec has
 * changes that `failing` selects (the breaking ones by default).
 */
export const diffSuite = (
  result: DiffResult,
  specs: string[],
  failing: (c: Change) => boolean = (c) => c.breaking,
): string[] => {
  const all = [...result.breaking, ...result.nonBreaking]
  const names = [...new Set([...specs, ...all.map((c) => c.spec)])]
  const cases = names.map((spec) => {
    const own = all.filter((c) => c.spec === spec)
    return { spec, failed: own.filter(failing), own }
  })
  const failures = cases.filter((c) => c.failed.length).length
  return [
    `  <testsuite name="diff" tests="${cases.length}" failures="${failures}" errors="0" skipped="0">`,
    ...cases.map(({ spec, failed }) =>
      failed.length
        ? `    <testcase classname="diff" name="${xml(spec, true)}">\n      <failure message="${xml(plural(failed.length, failed.every((c) => c.breaking) ? 'breaking change' : 'change'), true)}" type="diff">${xml(failed.map((c) => `${where(c)} ${c.rule} ${c.message}${whom(c)}`).join('\n'))}</failure>\n    </testcase>`
        : `    <testcase classname="diff" name="${xml(spec, true)}"/>`,
    ),
    '  </testsuite>',
  ]
}

const xml = (value: string, attribute = false): string => {
  const text = value
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
  return attribute ? text.replace(/"/g, '&quot;').replace(/\n/g, '&#10;') : text
}
