import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { renderProtocolFacts } from './markdown.ts'

/** Where the facts document lives. */
export const FACTS_DOCUMENT = fileURLToPath(
  new URL('../../../docs/protocol-facts.md', import.meta.url),
)

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(FACTS_DOCUMENT, renderProtocolFacts())
  process.stdout.write(`wrote ${FACTS_DOCUMENT}\n`)
}
