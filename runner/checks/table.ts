import { notApplicableChecks } from '../../specs/conformance/index.ts'
import { checks } from './index.ts'

/**
 * The check registry as the Markdown table README.md shows: name, level, severity, whether it is
 * mandatory, whom it judges and what in a scenario applies it. Generated, so it cannot drift.
 */
export const checkTable = (): string => {
  // The exemptions every service profile shares, to say which mandatory checks they need not see.
  const exempt = notApplicableChecks('')
  const rows = checks.map((c) => {
    const mandatory = !c.mandatory
      ? 'no'
      : c.subject === 'client'
        ? 'yes (consumer)'
        : Object.hasOwn(exempt, c.name)
          ? 'yes, when applied'
          : 'yes'
    return `| \`${c.name}\` | ${c.level} | ${c.severity} | ${mandatory} | ${c.title} | ${c.appliedBy} |`
  })
  return [
    '| check | level | severity | mandatory | asks | applied by |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n')
}

export const CHECK_TABLE_START = '<!-- check-table:start (npm run docs:checks) -->'
export const CHECK_TABLE_END = '<!-- check-table:end -->'

/**
 * The text with the table between its markers replaced by the registry's, as Prettier writes
 * Markdown tables (the README is kept Prettier-formatted).
 */
export const withCheckTable = async (text: string): Promise<string> => {
  const start = text.indexOf(CHECK_TABLE_START)
  const end = text.indexOf(CHECK_TABLE_END)
  if (start < 0 || end < start) throw new Error('the check-table markers are missing')
  // Prettier is a development tool: only this generator and its test load it.
  const { format } = await import('prettier')
  const table = await format(checkTable(), { parser: 'markdown', printWidth: 100 })
  return `${text.slice(0, start + CHECK_TABLE_START.length)}\n\n${table}\n${text.slice(end)}`
}
