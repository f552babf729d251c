import { expect, test } from 'vitest'
import { ACCESS_DENIED, SERVER_PROXY_NETWORK_ERROR } from '../../../specs/protocol/index.ts'
import { EE_CLIENT_WITHOUT_RIGHTS, makeContext, outcomeOf } from '../test-kit.ts'
import { noInternalsLeaked } from './index.ts'

const failing = (detail: string) =>
  makeContext({
    answer: { status: 500, body: { type: 'urn:test', title: 'Error', status: 500, detail } },
  })

test('is not applied to successful answers', () => {
  expect(outcomeOf(noInternalsLeaked, makeContext())).toBe('not applied')
})

test('passes a plain error message', () => {
  expect(
    outcomeOf(noInternalsLeaked, failing('Register unavailable at 10:15:30, try again')),
  ).toEqual([])
})

test('passes a security-server fault', () => {
  const ctx = makeContext({ client: EE_CLIENT_WITHOUT_RIGHTS, fault: { code: ACCESS_DENIED.code } })
  expect(outcomeOf(noInternalsLeaked, ctx)).toEqual([])
})

test.each([
  ['a JavaScript stack frame', 'TypeError: x\n    at toPerson (src/persons.ts:42:13)'],
  ['a JavaScript stack frame', 'at node:internal/process/task_queues:95:5'],
  ['a Python traceback', 'Traceback (most recent call last):\n  File "app.py", line 3'],
  ['a Java exception', 'Exception in thread "main" java.lang.NullPointerException'],
  ['a JVM stack frame', 'at org.example.registry.PersonService.find(PersonService.java:123)'],
  ['a node_modules path', 'Cannot find module node_modules/pg/lib/client'],
  ['a server file path', 'ENOENT: no such file, open /usr/src/app/data/people.json'],
  ['a Windows file path', 'Could not open C:\\inetpub\\registry\\web.config'],
  ['an internal network address', 'connect ECONNREFUSED 10.12.0.7:5432'],
])('fails an error that shows %s, quoting it', (what, detail) => {
  const [message, ...rest] = outcomeOf(noInternalsLeaked, failing(detail)) as string[]
  expect(rest).toEqual([])
  expect(message).toMatch(
    new RegExp(`^error response \\(status 500\\) shows ${what} in body/detail: "`),
  )
})

test('escapes and shortens the quoted excerpt', () => {
  const detail = `Error\n    at handler (/home/dev/app/index.js:1:2)${'x'.repeat(300)}`
  const messages = outcomeOf(noInternalsLeaked, failing(detail)) as string[]
  for (const message of messages) {
    const excerpt = message.slice(message.indexOf(': "') + 2)
    expect(excerpt.length).toBeLessThanOrEqual(120)
    expect(excerpt).not.toContain('\n')
  }
})

test('looks in response headers too', () => {
  const ctx = makeContext({
    answer: {
      status: 404,
      headers: { 'x-debug': 'at Object.<anonymous> (/srv/app/index.js:10:5)' },
      body: { type: 'urn:test', title: 'Not found', status: 404 },
    },
  })
  expect(outcomeOf(noInternalsLeaked, ctx)).toEqual([
    expect.stringContaining('shows a JavaScript stack frame in header x-debug'),
  ])
})

test('is not applied to the fault reporting an unreachable provider, which names its address', () => {
  const ctx = makeContext({
    fault: { code: SERVER_PROXY_NETWORK_ERROR.code, message: 'connect ECONNREFUSED 10.0.0.5:8080' },
  })
  expect(outcomeOf(noInternalsLeaked, ctx)).toBe('not applied')
})
