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
