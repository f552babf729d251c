import {
  ASSUMED_MARK,
  isAssumed,
  PROTOCOL_FACTS,
  sourcesOf,
  type ProtocolFact,
  type Source,
} from './index.ts'

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ')

const sourceText = (s: Source): string => `${s.document}, ${s.version}, ${s.section}`

const basisText = (fact: ProtocolFact): string =>
  isAssumed(fact)
    ? `**${ASSUMED_MARK}.** ${fact.basis.assumed}`
    : sourcesOf(fact).map(sourceText).join('; ')

/** docs/protocol-facts.md: every protocol fact, its source or assumption, Sild's behaviour and its test. */
export const renderProtocolFacts = (facts: readonly ProtocolFact[] = PROTOCOL_FACTS): string => {
  const areas = [...new Set(facts.map((f) => f.area))]
  const lines = [
    '# Protocol facts',
    '',
    'Every protocol fact Sild implements, where it comes from, what Sild does, and the test that',
    `pins it. A fact no public source backs is marked "${ASSUMED_MARK}": it is Sild's best guess.`,
    'Generated from `specs/protocol/facts/catalogue.ts` by `npm run docs:facts`; do not edit by hand.',
    '',
  ]
  for (const area of areas) {
    lines.push(`## ${area}`, '', '| id | fact | source | Sild | test |', '|---|---|---|---|---|')
    for (const f of facts.filter((x) => x.area === area)) {
      lines.push(
        `| \`${f.id}\` | **${cell(f.title)}.** ${cell(f.fact)} | ${cell(basisText(f))} | ${cell(f.sild)} | \`${f.test}\` |`,
      )
    }
    lines.push('')
  }
  return lines.join('\n')
}
