import { format } from 'prettier'
import { checkTable } from '../runner/checks/table.ts'

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
  const table = await format(checkTable(), { parser: 'markdown', printWidth: 100 })
  return `${text.slice(0, start + CHECK_TABLE_START.length)}\n\n${table}\n${text.slice(end)}`
}
