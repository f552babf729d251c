import { expect, test } from 'vitest'
import type { Change, DiffResult } from '../index.ts'
import {
  diffSuite,
  escapeMarkdownText,
  formatDiffJson,
  formatDiffMarkdown,
  formatDiffText,
} from './index.ts'

const change = (over: Partial<Change>): Change => ({
  rule: 'response-status-removed',
  breaking: true,
  breaks: ['providers'],
  message: 'GET /x: response 404 removed',
  location: { pointer: '/paths/~1x/get/responses/404', file: 'api.yaml', line: 12, column: 7 },
  spec: 'api.yaml',
  ...over,
})

const result: DiffResult = {
  breaking: [change({})],
  nonBreaking: [
    change({
      rule: 'operation-added',
      breaking: false,
      breaks: [],
      message: 'POST /x: operation added',
    }),
  ],
}

test('prints breaking changes first, each with file:line:column and whom it breaks', () => {
  expect(formatDiffText(result)).toBe(
    [
      'BREAKING     api.yaml:12:7 response-status-removed  GET /x: response 404 removed (breaks providers)',
      'non-breaking api.yaml:12:7 operation-added  POST /x: operation added',
      '',
      '1 breaking change, 1 non-breaking',
      '',
    ].join('\n'),
  )
  expect(formatDiffText({ breaking: [], nonBreaking: [] })).toBe('no changes\n')
})

test('writes JSON with exactly the breaking and nonBreaking lists', () => {
  expect(Object.keys(JSON.parse(formatDiffJson(result)))).toEqual(['breaking', 'nonBreaking'])
})

test('escapes Markdown so a spec cannot format, link or mention in the pull request', () => {
  expect(escapeMarkdownText('[x](http://e) @team <b>|')).toBe(
    '\\[x\\]\\(http://e\\) @\u200bteam &lt;b\\>\\|',
  )
  const md = formatDiffMarkdown({
    breaking: [change({ message: 'GET /x: `code` | pipe' })],
    nonBreaking: [],
  })
  expect(md).toContain(
    '| `response-status-removed` | GET /x: \\`code\\` \\| pipe | api.yaml:12:7 | providers |',
  )
})

test('fails the JUnit case of a spec with breaking changes only', () => {
  const suite = diffSuite(result, ['api.yaml', 'other.yaml']).join('\n')
  expect(suite).toMatch(/<testsuite name="diff" tests="2" failures="1"/)
  expect(suite).toContain('<testcase classname="diff" name="other.yaml"/>')
  expect(suite).toContain(
    'api.yaml:12:7 response-status-removed GET /x: response 404 removed (breaks providers)',
  )
})
