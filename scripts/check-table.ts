// Writes the check registry's table into README.md between its markers: npm run docs:checks.
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { withCheckTable } from './readme-check-table.ts'

const readme = fileURLToPath(new URL('../README.md', import.meta.url))
writeFileSync(readme, await withCheckTable(readFileSync(readme, 'utf8')))
