import { expect, test } from 'vitest'
import type { DiffResult } from '../../gate/diff/index.ts'
import type { LintFinding } from '../../gate/lint/index.ts'
import { diffToSarif, lintToSarif, renderSarif } from './index.ts'

const lint: LintFinding[] = [
  {
    rule: 'sild-example-identifiers',
    severity: 'error',
    message: 'example "1" is not a valid ee-personal-code',
    file: '/repo/specs/a.yaml',
    line: 20,
    column: 22,
    endLine: 20,
    endColumn: 35,
    pointer: '/paths',
  },
  {
    rule: 'info-contact',
    severity: 'warn',
    message: 'no contact',
    file: '/repo/specs/a.yaml',
    line: 2,
    column: 6,
    endLine: 2,
    endColumn: 6,
    pointer: '/info',
  },
]

const diff: DiffResult = {
  breaking: [
    {
      rule: 'operation-removed',
      breaking: true,
      breaks: ['clients'],
      message: 'DELETE /x: operation removed',
      location: { pointer: '/paths/~1x/delete', file: 'specs/a.yaml', line: 30, column: 3 },
      spec: 'specs/a.yaml',
    },
  ],
  nonBreaking: [
    {
      rule: 'operation-added',
      breaking: false,
      breaks: [],
      message: 'added',
      location: { pointer: '' },
      spec: 'specs/a.yaml',
    },
  ],
}

const render = () =>
  JSON.parse(
    renderSarif([...lintToSarif(lint), ...diffToSarif(diff)], {
      root: '/repo',
      version: '0.1.0',
      cwd: '/repo',
    }),
  )

test('writes one run of sild with its rules and the results at repository-relative paths', () => {
  const sarif = render()
  expect(sarif.version).toBe('2.1.0')
  const [run] = sarif.runs
  expect(run.tool.driver.name).toBe('sild')
  expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual([
    'diff/operation-removed',
    'lint/info-contact',
    'lint/sild-example-identifiers',
  ])
  expect(run.originalUriBaseIds['%SRCROOT%'].uri).toBe('file:///repo/')
  expect(run.results[0]).toMatchObject({
    ruleId: 'lint/sild-example-identifiers',
    ruleIndex: 2,
    level: 'error',
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: 'specs/a.yaml', uriBaseId: '%SRCROOT%' },
          region: { startLine: 20, startColumn: 22, endLine: 20, endColumn: 35 },
        },
      },
    ],
  })
})

test('maps lint warnings to warnings and leaves non-breaking changes out', () => {
  const { results } = render().runs[0]
  expect(results.map((r: { level: string }) => r.level)).toEqual(['error', 'warning', 'error'])
  expect(results[1].locations[0].physicalLocation.region).toEqual({ startLine: 2, startColumn: 6 })
  expect(results[2].message.text).toBe('DELETE /x: operation removed (breaks clients)')
})

test('fingerprints a result by rule, file and message, not by line', () => {
  const moved = lintToSarif([{ ...(lint[0] as LintFinding), line: 99 }])
  const a = render().runs[0].results[0].partialFingerprints['sild/v1']
  const b = JSON.parse(renderSarif(moved, { root: '/repo', version: '0.1.0' })).runs[0].results[0]
    .partialFingerprints['sild/v1']
  expect(a).toBe(b)
})
