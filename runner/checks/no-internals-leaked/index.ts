import { quote } from '../internal/exchange.ts'
import { isUnreachableFault } from '../internal/faults.ts'
import type { ExchangeCheck } from '../types.ts'

/** What an error response must not show, and how to recognise it. */
export const LEAK_PATTERNS: ReadonlyArray<{ what: string; pattern: RegExp }> = [
  {
    what: 'a JavaScript stack frame',
    // `at fn (file:1:2)`, or a bare `at /path/file.js:1:2`; a time such as `at 10:15:30` is not.
    pattern:
      /\bat (?:[^\s()]+ )?\([^\s()]+:\d+:\d+\)|\bat (?:[^\s()]*[/\\][^\s()]*|[^\s()]+\.[cm]?[jt]sx?|node:[^\s()]+):\d+:\d+/,
  },
  { what: 'a Python traceback', pattern: /Traceback \(most recent call last\)/ },
  { what: 'a Java exception', pattern: /Exception in thread "/ },
  {
    what: 'a JVM stack frame',
    pattern: /\bat (?:[A-Za-z_$][\w$]*\.)+[\w$<>]+\([\w$]+\.(?:java|kt|scala):\d+\)/,
  },
  { what: 'a node_modules path', pattern: /node_modules[/\\]/ },
  {
    what: 'a server file path',
    pattern: /(?<![\w.:/~-])\/(?:home|root|usr\/src|usr\/local\/lib|var\/www|opt\/app)\/[^\s"'<>]+/,
  },
  { what: 'a Windows file path', pattern: /(?<![\w])[A-Za-z]:\\[^\s"'<>]+/ },
  {
    what: 'an internal network address',
    pattern:
      /\bECONNREFUSED\s+(?:10\.\d{1,3}|192\.168|172\.(?:1[6-9]|2\d|3[01]))\.\d{1,3}\.\d{1,3}(?::\d+)?/,
  },
]

/**
 * No error response (status 400 and up) shows a stack trace or the server's internals in its body
 * or headers. Not applied to a security server's "provider unreachable" faults: X-Road itself names
 * the provider's address there (PR-REST §4.6 example 2), and `reachable` scores them.
 */
export const noInternalsLeaked: ExchangeCheck = {
  scope: 'exchange',
  name: 'noInternalsLeaked',
  title: 'No stack traces or internals leaked',
  level: 4,
  severity: 'high',
  mandatory: true,
  appliedBy: 'every answer of the provider, and every security-server fault',
  applies: ({ exchange, fault }) =>
    exchange.response !== undefined &&
    exchange.response.status >= 400 &&
    !(fault && isUnreachableFault(fault.code)),
  run: ({ exchange }) => {
    const response = exchange.response
    if (!response) return undefined
    const texts: Array<{ where: string; text: string }> = [
      ...Object.entries(response.headers).map(([name, text]) => ({
        where: `header ${name}`,
        text,
      })),
      ...stringsIn(response.body, 'body'),
    ]
    const problems: string[] = []
    for (const { what, pattern } of LEAK_PATTERNS) {
      for (const { where, text } of texts) {
        const match = pattern.exec(text)
        if (!match) continue
        problems.push(
          `error response (status ${response.status}) shows ${what} in ${where}: ${quote(excerpt(text, match.index, match[0].length))}`,
        )
        break
      }
    }
    return problems
  },
}

/** Every string in a parsed body (keys too), with where it sits. */
const stringsIn = (body: unknown, path: string): Array<{ where: string; text: string }> => {
  if (typeof body === 'string') return [{ where: path, text: body }]
  if (body === null || typeof body !== 'object') return []
  if (Array.isArray(body)) return body.flatMap((value, i) => stringsIn(value, `${path}/${i}`))
  return Object.entries(body as Record<string, unknown>).flatMap(([key, value]) => [
    { where: `${path} key`, text: key },
    ...stringsIn(value, `${path}/${key}`),
  ])
}

// The match with a little context before it, so the quote shows where it sits.
const excerpt = (text: string, index: number, length: number): string => {
  const start = Math.max(0, index - 20)
  return text.slice(start, Math.max(index + length, start + 110))
}
