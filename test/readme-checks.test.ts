import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'
import { checks } from '../runner/checks/index.ts'
import { checkTable } from '../runner/checks/table.ts'
import { withCheckTable } from '../scripts/readme-check-table.ts'

const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8')

test("README's check table is the registry's (regenerate with npm run docs:checks)", async () => {
  expect(await withCheckTable(readme)).toBe(readme)
})

test('the check table names every check of the registry once, with its level and severity', () => {
  const table = checkTable()
  for (const check of checks) {
    const rows = table.split('\n').filter((row) => row.startsWith(`| \`${check.name}\` |`))
    expect(rows, check.name).toHaveLength(1)
    expect(rows[0]).toContain(`| ${check.level} | ${check.severity} |`)
  }
})
