import { expect, test } from 'vitest'
import {
  ACCESS_DENIED,
  SERVER_PROXY_NETWORK_ERROR,
  UNKNOWN_SERVICE,
} from '../../../specs/protocol/index.ts'
import { EE_CLIENT_WITHOUT_RIGHTS, makeContext, outcomeOf, PERSON } from '../test-kit.ts'
import { MAX_SCANNED_PER_ANSWER, MAX_SCANNED_PER_STRING, noInternalsLeaked } from './index.ts'
import { LEAK_PATTERNS, MAY_LEAK } from './patterns.ts'

const failing = (detail: string, status = 500) =>
  makeContext({
    answer: { status, body: { type: 'urn:test', title: 'Error', status, detail } },
  })

const answering = (body: unknown, headers: Record<string, string> = {}, status = 200) =>
  makeContext({ answer: { status, headers: { 'x-record-version': '3', ...headers }, body } })

const messages = (ctx: ReturnType<typeof makeContext>): string[] => {
  const outcome = outcomeOf(noInternalsLeaked, ctx)
  if (outcome === 'not applied') throw new Error('noInternalsLeaked was not applied')
  return outcome
}

test('is applied to successful answers too', () => {
  expect(messages(makeContext())).toEqual([])
})

test('passes a plain error message', () => {
  expect(messages(failing('Register unavailable at 10:15:30, try again'))).toEqual([])
})

test('passes a security-server fault', () => {
  const ctx = makeContext({ client: EE_CLIENT_WITHOUT_RIGHTS, fault: { code: ACCESS_DENIED.code } })
  expect(messages(ctx)).toEqual([])
})

test('is not applied to the fault reporting an unreachable provider, which names its address', () => {
  const ctx = makeContext({
    fault: { code: SERVER_PROXY_NETWORK_ERROR.code, message: 'connect ECONNREFUSED 10.0.0.5:8080' },
  })
  expect(outcomeOf(noInternalsLeaked, ctx)).toBe('not applied')
})

test('is not applied when no answer came', () => {
  const ctx = makeContext({ transportError: 'connect ECONNREFUSED 127.0.0.1:5601' })
  expect(outcomeOf(noInternalsLeaked, ctx)).toBe('not applied')
})

// [what the message names, the leaking text, a fragment the quote must hold]
const LEAKS: ReadonlyArray<[string, string, string]> = [
  // Stack traces of the common platforms.
  [
    'a JavaScript stack frame',
    'TypeError: x\n    at toPerson (src/persons.ts:42:13)',
    'at toPerson (src/persons.ts:42:13)',
  ],
  [
    'a JavaScript stack frame',
    'at node:internal/process/task_queues:95:5',
    'node:internal/process/task_queues:95:5',
  ],
  [
    'a Python traceback',
    'Traceback (most recent call last):\n  File "app.py", line 3',
    'Traceback (most recent call last)',
  ],
  [
    'a Python traceback',
    'error in File "/srv/registry/views.py", line 88, in get_person',
    'File \\"/srv/registry/views.py\\", line 88',
  ],
  [
    'a Java exception',
    'Exception in thread "main" java.lang.NullPointerException',
    'Exception in thread \\"main\\"',
  ],
  [
    'a Java exception',
    'Request failed: java.lang.IllegalStateException: no session',
    'java.lang.IllegalStateException',
  ],
  [
    'a Java exception',
    'Caused by: org.hibernate.exception.SQLGrammarException',
    'Caused by: org.hibernate',
  ],
  [
    'a JVM stack frame',
    'at org.example.registry.PersonService.find(PersonService.java:123)',
    'PersonService.find(PersonService.java:123)',
  ],
  [
    'a JVM stack frame',
    'at java.base/java.lang.Thread.run(Unknown Source)',
    'java.lang.Thread.run(Unknown Source)',
  ],
  [
    'a .NET stack trace',
    'at Registry.Api.PersonsController.Get(String code) in C:\\src\\Registry\\PersonsController.cs:line 42',
    'PersonsController.cs:line 42',
  ],
  [
    'a .NET stack trace',
    'Unhandled: System.NullReferenceException: Object reference not set',
    'System.NullReferenceException',
  ],
  [
    'a .NET stack trace',
    '   at Registry.Api.PersonsController.Get(String code, Int32 page)',
    'PersonsController.Get(String code, Int32 page)',
  ],
  [
    'an exception class',
    'django.db.utils.OperationalError: could not connect',
    'django.db.utils.OperationalError',
  ],
  [
    'a .NET stack trace',
    'boom\n--- End of stack trace from previous location ---',
    '--- End of stack trace',
  ],
  [
    'a Go stack trace',
    'panic: runtime error: invalid memory address\n\ngoroutine 1 [running]:',
    'panic: runtime error',
  ],
  [
    'a Go stack trace',
    'main.handler(0xc000010000)\n\tsrv/handler.go:42 +0x1d',
    'handler.go:42 +0x1d',
  ],
  ['a PHP stack trace', 'PHP Fatal error:  Uncaught TypeError in index.php', 'PHP Fatal error'],
  [
    'a PHP stack trace',
    'Warning: Undefined array key "code" in persons.php on line 17',
    'persons.php on line 17',
  ],
  ['a PHP stack trace', 'Stack trace:\n#0 {main}', '#0 {main}'],
  [
    'a Ruby stack frame',
    "app/controllers/persons_controller.rb:12:in `show'",
    'persons_controller.rb:12:in',
  ],
  // SQL errors and query text.
  ['an SQL error', 'ERROR: duplicate key (SQLSTATE 23505)', 'SQLSTATE 23505'],
  ['an SQL error', 'ERROR:  syntax error at or near "WHERE"', 'syntax error at or near'],
  ['an SQL error', 'ORA-00942: table or view does not exist', 'ORA-00942'],
  ['an SQL error', 'relation "persons" does not exist', 'relation \\"persons\\" does not exist'],
  [
    'an SQL error',
    'You have an error in your SQL syntax; check the manual',
    'You have an error in your SQL syntax',
  ],
  ['an SQL error', 'SQLITE_ERROR: no such table: persons', 'SQLITE_ERROR'],
  ['an SQL error', "Incorrect syntax near 'WHERE'.", 'Incorrect syntax near'],
  ['an SQL error', 'Error: ER_DUP_ENTRY: Duplicate entry', 'ER_DUP_ENTRY'],
  [
    'SQL query text',
    'failed: SELECT id, name FROM persons WHERE code = $1',
    'SELECT id, name FROM persons',
  ],
  [
    'SQL query text',
    'SELECT * FROM "public"."persons"',
    'SELECT * FROM \\"public\\".\\"persons\\"',
  ],
  ['SQL query text', 'INSERT INTO applications (id) VALUES (1)', 'INSERT INTO applications'],
  ['SQL query text', 'UPDATE persons SET status = 1', 'UPDATE persons SET status ='],
  ['SQL query text', 'DELETE FROM sessions', 'DELETE FROM sessions'],
  [
    'SQL query text',
    'query: select name from persons where code = 1',
    'select name from persons where',
  ],
  // Connection strings and database users.
  [
    'a database connection string',
    'cannot reach postgres://registry@db.example.ee:5432/persons',
    'postgres://registry@db.example.ee:5432/persons',
  ],
  [
    'a database connection string',
    'url=jdbc:postgresql://db.example.ee:5432/rr',
    'jdbc:postgresql://db.example.ee:5432/rr',
  ],
  [
    'a database connection string',
    'connect failed: host=db.example.ee user=registry dbname=rr',
    'host=db.example.ee user=registry dbname=rr',
  ],
  [
    'a database connection string',
    'Server=sql01.example.ee;Database=Registry;Trusted_Connection=True',
    'Server=sql01.example.ee;Database=Registry',
  ],
  [
    'credentials in a URL',
    'fetching https://svc:hunter22@api.example.ee/v1',
    'https://svc:***@api.example.ee/v1',
  ],
  [
    'a database user',
    'FATAL: password authentication failed for user "registry_app"',
    'failed for user \\"registry_app\\"',
  ],
  ['a database user', "Access denied for user 'root'@'%'", "Access denied for user 'root'"],
  ['a database user', "Login failed for user 'sa'.", "Login failed for user 'sa'"],
  ['a database user', 'connected as database user: registry_app', 'database user: registry_app'],
  [
    'a database user',
    'FATAL: role "registry_ro" does not exist',
    'role \\"registry_ro\\" does not exist',
  ],
  ['an internal host name', 'lost connection to host=pg-main', 'host=pg-main'],
  ['an internal host name', 'host: persons-db:5432 unreachable', 'host: persons-db:5432'],
  // Private and link-local addresses.
  ['a private network address', 'connect ECONNREFUSED 10.12.0.7:5432', '10.12.0.7:5432'],
  ['a private network address', 'upstream 172.20.3.4 did not answer', '172.20.3.4'],
  ['a private network address', 'see http://192.168.1.20/status', '192.168.1.20'],
  ['a private network address', 'metadata at 169.254.169.254 refused', '169.254.169.254'],
  ['a private network address', 'bound to fd12:3456:789a::1', 'fd12:3456:789a::1'],
  ['a private network address', 'bound to fe80::1ff:fe23:4567:890a', 'fe80::1ff:fe23:4567:890a'],
  // Internal host names.
  ['an internal host name', 'timeout calling persons-api.internal', 'persons-api.internal'],
  [
    'an internal host name',
    'no answer from rr.default.svc.cluster.local:8080',
    'rr.default.svc.cluster.local',
  ],
  ['an internal host name', 'printer.local is offline', 'printer.local'],
  ['an internal host name', 'ldap.example.corp refused', 'ldap.example.corp'],
  ['an internal host name', 'nas.lan is full', 'nas.lan'],
  ['an internal host name', 'could not reach http://db:5432/', 'http://db:5432/'],
  [
    'an internal host name',
    'forwarded to http://persons-backend/api/persons',
    'http://persons-backend/',
  ],
  // File-system paths.
  ['a node_modules path', 'Cannot find module node_modules/pg/lib/client', 'node_modules/pg'],
  [
    'a server file path',
    'ENOENT: no such file, open /usr/src/app/data/people.json',
    '/usr/src/app/data/people.json',
  ],
  ['a server file path', 'config read from /etc/registry/app.conf', '/etc/registry/app.conf'],
  ['a server file path', 'in /app/src/handlers/persons.py', '/app/src/handlers/persons.py'],
  ['a server file path', 'template file:///opt/registry/tpl.html', 'file:///opt/registry/tpl.html'],
  [
    'a Windows file path',
    'Could not open C:\\inetpub\\registry\\web.config',
    'C:\\\\inetpub\\\\registry\\\\web.config',
  ],
  ['a Windows file path', 'share \\\\fileserver\\exports is gone', '\\\\\\\\fileserver\\\\exports'],
]

test.each(LEAKS)('fails an error that shows %s, quoting it: %j', (what, detail, fragment) => {
  const [message, ...rest] = messages(failing(detail))
  expect(rest).toEqual([])
  expect(message).toMatch(
    new RegExp(`^error response \\(status 500\\) shows ${escape(what)} in body/detail: "`),
  )
  expect(message).toContain(fragment)
})

test.each(LEAKS)('finds %s in a successful answer too: %j', (what, detail) => {
  expect(messages(answering({ ...PERSON, note: detail }))).toEqual([
    expect.stringMatching(
      new RegExp(`^response \\(status 200\\) shows ${escape(what)} in body/note: `),
    ),
  ])
})

test('has a sample above for every pattern of the catalogue, each passing the cheap first tests', () => {
  for (const leak of LEAK_PATTERNS) {
    const samples = LEAKS.filter(
      ([what, text]) =>
        what === leak.what && leak.pattern.test(text) && (leak.needs?.test(text) ?? true),
    )
    expect(samples, `no sample for ${leak.what} ${leak.pattern.source.slice(0, 40)}`).not.toEqual(
      [],
    )
  }
  for (const [, text] of LEAKS) expect(MAY_LEAK.test(text), text).toBe(true)
})

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

test('replaces the password of a connection string with ***', () => {
  const [message] = messages(
    failing('pool error: postgres://registry:S3cr3t-pw@db.example.ee:5432/persons'),
  )
  expect(message).toContain('postgres://registry:***@db.example.ee:5432/persons')
  expect(message).not.toContain('S3cr3t')
})

test.each([
  ['JDBC', 'jdbc:postgresql://db.example.ee/rr?user=app&password=S3cr3t-pw', 'password=***'],
  ['libpq', 'host=db.example.ee user=app password=S3cr3t-pw dbname=rr', 'password=***'],
  [
    'ADO.NET',
    'Server=sql01.example.ee;Database=rr;User Id=app;Password=S3cr3t-pw;',
    'Password=***',
  ],
])('replaces the password of a %s connection string with ***', (_, detail, shown) => {
  const [message] = messages(failing(detail))
  expect(message).toContain('a database connection string')
  expect(message).toContain(shown)
  expect(message).not.toContain('S3cr3t')
})

test('hides a password even where the quote is cut', () => {
  const detail = `${'x'.repeat(95)} at postgres://registry:S3cr3t-pw@db.example.ee/persons`
  for (const message of messages(failing(detail))) expect(message).not.toContain('S3cr3t')
})

test('escapes and shortens the quoted excerpt', () => {
  const detail = `Error\n    at handler (/home/dev/app/index.js:1:2)${'x'.repeat(300)}`
  for (const message of messages(failing(detail))) {
    const excerpt = message.slice(message.indexOf(': "') + 2)
    expect(excerpt.length).toBeLessThanOrEqual(120)
    expect(excerpt).not.toContain('\n')
  }
})

test('reports a path inside a stack frame once, as the frame', () => {
  expect(messages(failing('Error\n    at parseCode (/opt/app/src/population.js:42:13)'))).toEqual([
    expect.stringContaining('shows a JavaScript stack frame in body/detail'),
  ])
})

test('reports each kind of leak once, where it first shows', () => {
  const ctx = answering({ ...PERSON, a: 'upstream 10.0.0.7', b: 'and 10.0.0.8' })
  expect(messages(ctx)).toEqual([
    'response (status 200) shows a private network address in body/a: "upstream 10.0.0.7"',
  ])
})

test('looks in response headers too', () => {
  const ctx = makeContext({
    answer: {
      status: 404,
      headers: { 'x-debug': 'at Object.<anonymous> (/srv/app/index.js:10:5)' },
      body: { type: 'urn:test', title: 'Not found', status: 404 },
    },
  })
  expect(messages(ctx)).toEqual([
    expect.stringContaining('shows a JavaScript stack frame in header x-debug'),
  ])
})

test('looks in object keys too', () => {
  expect(messages(answering({ ...PERSON, '/home/registry/cache': 1 }))).toEqual([
    'response (status 200) shows a server file path in body key: "/home/registry/cache"',
  ])
})

test('looks in a body that is not JSON', () => {
  const ctx = makeContext({
    answer: { status: 502, headers: { 'content-type': 'text/html' } },
    responseBody: '<html><body><pre>Traceback (most recent call last):\n</pre></body></html>',
  })
  expect(messages(ctx)).toEqual([expect.stringContaining('shows a Python traceback in body: "')])
})

test.each([
  ['X-Powered-By', 'Express', 'a framework banner'],
  ['X-Powered-By', 'PHP/8.1.2', 'a framework banner'],
  ['Server', 'nginx/1.18.0', 'a server version banner'],
  ['Server', 'Apache/2.4.41 (Ubuntu)', 'a server version banner'],
  ['Server', 'Microsoft-IIS/10.0', 'a server version banner'],
  ['Server', 'Jetty(9.4.51.v20230217)', 'a server version banner'],
  ['X-AspNet-Version', '4.0.30319', 'a framework version'],
  ['X-AspNetMvc-Version', '5.2', 'a framework version'],
])('fails a %s: %s header as %s, quoting it', (name, value, what) => {
  expect(messages(answering(PERSON, { [name]: value }))).toEqual([
    `response (status 200) shows ${what} in header ${name.toLowerCase()}: ${JSON.stringify(value)}`,
  ])
})

test('fails a debug-token header without quoting the token', () => {
  expect(messages(answering(PERSON, { 'X-Debug-Token': 'a1b2c3' }))).toEqual([
    'response (status 200) shows a debug token in header x-debug-token: "[REDACTED]"',
  ])
})

test.each([
  ['X-Upstream', 'persons-db:8080'],
  ['X-Upstream-Addr', '10.0.3.7:8080'],
  ['X-Backend-Server', 'app03'],
  ['X-Backend-Server', 'rr-7f9c.svc.cluster.local'],
  ['X-Served-By', 'app-1.prod.internal'],
  ['X-Served-By', '192.168.4.2'],
  ['Via', '1.1 proxy.corp (squid/5.7)'],
  ['Via', '1.1 10.1.2.3:3128'],
])('fails an upstream header %s: %s naming a back-end host', (name, value) => {
  expect(messages(answering(PERSON, { [name]: value }))).toEqual([
    expect.stringMatching(
      new RegExp(
        `^response \\(status 200\\) shows a back-end host in header ${name.toLowerCase()}: "`,
      ),
    ),
  ])
})

test.each([
  ['a _debug object', { _debug: { took: 12, node: 'n1' } }, 'body/_debug'],
  ['a stackTrace list', { stackTrace: ['frame one', 'frame two'] }, 'body/stackTrace'],
  [
    'a stack over several lines',
    { error: { stack: 'Error: boom\n  in the handler' } },
    'body/error/stack',
  ],
  ['a debug field with SQL', { debug: 'q=SELECT code FROM persons' }, 'body/debug'],
  ['a query field with SQL', { meta: { query: 'SELECT code FROM persons' } }, 'body/meta/query'],
  [
    'an exception field with a class',
    { exception: 'java.lang.IllegalStateException' },
    'body/exception',
  ],
])('fails %s as a debug field', (_, extra, where) => {
  const found = messages(answering({ ...PERSON, ...extra }))
  expect(found).toContainEqual(
    expect.stringMatching(
      new RegExp(`^response \\(status 200\\) shows a debug field in ${where}: "`),
    ),
  )
})

test.each([
  ['upstream', 'persons-db:5432'],
  ['backendHost', 'app03'],
  ['served_by', '203.0.113.9'],
])('fails a body field %s naming the back-end: %s', (key, value) => {
  expect(messages(answering({ ...PERSON, [key]: value }))).toEqual([
    `response (status 200) shows a back-end host in body/${key}: ${JSON.stringify(value)}`,
  ])
})

// What a partner's provider was seen to send, each of which passed before.
test('catches SQL with SQLSTATE and the database user and host in a 400 detail', () => {
  const detail =
    'ERROR: permission denied for table persons (SQLSTATE 42501) user=registry_app host=10.0.3.7'
  expect(messages(failing(detail, 400))).toEqual([
    expect.stringContaining('shows an SQL error in body/detail'),
    expect.stringContaining('shows a database connection string in body/detail'),
  ])
})

test('catches a private address, an internal URL and a cluster host in a 404 detail', () => {
  const detail =
    'Not found via http://persons-api:8080/v1 (10.0.3.7), tried rr.default.svc.cluster.local'
  expect(messages(failing(detail, 404))).toEqual([
    expect.stringContaining('shows a private network address in body/detail: "'),
    expect.stringContaining(
      'shows an internal host name in body/detail: "Not found via http://persons-api:8080',
    ),
  ])
  expect(messages(failing('tried rr.default.svc.cluster.local', 404))).toEqual([
    expect.stringContaining(
      'shows an internal host name in body/detail: "tried rr.default.svc.cluster.local"',
    ),
  ])
})

test('catches an X-Powered-By with versions and an X-Upstream naming an internal host and IP', () => {
  const ctx = answering(PERSON, {
    'X-Powered-By': 'Express 4.18.2 / Node.js 18.19.0',
    'X-Upstream': 'persons-backend-7f9c.internal (10.0.3.7:8080)',
  })
  expect(messages(ctx)).toEqual([
    'response (status 200) shows a framework banner in header x-powered-by: "Express 4.18.2 / Node.js 18.19.0"',
    'response (status 200) shows a back-end host in header x-upstream: "persons-backend-7f9c.internal (10.0.3.7:8080)"',
  ])
})

test('reports the first of many debug fields once', () => {
  const items = Array.from({ length: 500 }, (_, i) => ({ id: i, stack: `Error ${i}\n  inside` }))
  expect(messages(answering({ items }))).toEqual([
    'response (status 200) shows a debug field in body/items/0/stack: "Error 0\\n  inside"',
  ])
})

test('names the SQL and the back-end host a _debug field carries', () => {
  const ctx = answering({
    ...PERSON,
    _debug: { sql: 'SELECT * FROM persons WHERE code = $1', host: 'pg-1.rr.svc.cluster.local' },
  })
  expect(messages(ctx)).toEqual([
    'response (status 200) shows SQL query text in body/_debug/sql: "SELECT * FROM persons WHERE code = $1"',
    'response (status 200) shows a debug field in body/_debug: "SELECT * FROM persons WHERE code = $1"',
    'response (status 200) shows an internal host name in body/_debug/host: "pg-1.rr.svc.cluster.local"',
  ])
})

test(`reads at most ${MAX_SCANNED_PER_STRING} characters of one string`, () => {
  const late = `${'a'.repeat(MAX_SCANNED_PER_STRING)} SQLSTATE 23505`
  expect(messages(answering({ ...PERSON, note: late }))).toEqual([])
  const early = `${'a'.repeat(MAX_SCANNED_PER_STRING - 20)} SQLSTATE 23505`
  expect(messages(answering({ ...PERSON, note: early }))).toHaveLength(1)
})

test(`reads at most ${MAX_SCANNED_PER_ANSWER} characters of one answer`, () => {
  const filler = Array.from({ length: MAX_SCANNED_PER_ANSWER / 1000 + 1 }, () => 'b'.repeat(1000))
  expect(messages(answering({ items: filler, note: 'SQLSTATE 23505' }))).toEqual([])
  expect(messages(answering({ note: 'SQLSTATE 23505', items: filler }))).toHaveLength(1)
})

test('stays fast on text built to make a pattern backtrack', () => {
  // Long runs of the characters each pattern repeats, with no match at the end.
  const runs = [
    `at ${'a/'.repeat(4000)}`,
    `SELECT ${'a, '.repeat(3000)}`,
    `${'1.'.repeat(4000)}`,
    `postgres://${'a:'.repeat(4000)}`,
    `/home/${'x'.repeat(8000)}`,
    `fd00${':'.repeat(8000)}`,
    `${'a.'.repeat(4000)}local-`,
    `host=a ${'user=b '.repeat(1000)}`,
  ]
  for (const note of runs)
    expect(Array.isArray(messages(answering({ ...PERSON, note })))).toBe(true)
})

// Answers a careful provider gives: none of them may fail.
const LEGAL: ReadonlyArray<
  [string, { body?: unknown; headers?: Record<string, string>; status?: number }]
> = [
  ['a charset parameter', { headers: { 'content-type': 'application/json; charset=utf-8' } }],
  ['extra fields', { body: { ...PERSON, nickname: 'Jaanus', tags: ['a', 'b'] } }],
  [
    'decoded \\u escapes',
    { body: { ...PERSON, givenName: JSON.parse('"J\\u00e4\\u00e4n \\u002Fx"') } },
  ],
  ['an ETag', { headers: { etag: 'W/"10.0.0.1-2026"' } }],
  [
    'a problem document without detail',
    { status: 404, body: { type: 'about:blank', title: 'Not Found', status: 404 } },
  ],
  [
    'a time of day',
    {
      status: 503,
      body: { type: 'urn:x', title: 'Busy', status: 503, detail: 'Try again at 10:15:30' },
    },
  ],
  ['a timestamp', { body: { ...PERSON, updatedAt: '2026-12-07T10:15:30.123Z' } }],
  ['a version field', { body: { ...PERSON, version: '10.0.0.1', apiVersion: '1.2.3' } }],
  ['a nested version', { body: { meta: { schemaVersion: '172.16.0.1' } } }],
  [
    'public URLs',
    {
      body: {
        ...PERSON,
        source: 'https://www.riigiteataja.ee/akt/106012023009',
        terms: 'https://data.gov.ua/dataset/1c7f3815',
      },
    },
  ],
  [
    'an XML namespace URL',
    { body: { ns: 'http://x-road.eu/xsd/xroad.xsd', schema: 'http://www.w3.org/2001/XMLSchema' } },
  ],
  [
    'a loopback Location',
    { status: 201, headers: { location: 'http://127.0.0.1:5601/applications/EE-APP-2026-0005' } },
  ],
  ['a localhost URL', { body: { self: 'http://localhost:8080/persons/38001085718' } }],
  [
    'a relative API path',
    {
      headers: { location: '/tax-residency-certificates/TRC-2026-0002' },
      body: { href: '/persons/38001085718/app/data' },
    },
  ],
  [
    'API paths under common words',
    { body: { links: ['/data/v1/persons', '/app/status', '/src/list', '/var-rates/2026'] } },
  ],
  ['an Estonian address', { body: { address: 'Narva mnt 5, 10117 Tallinn, Harju maakond' } }],
  ['a Ukrainian address', { body: { address: 'вул. Хрещатик, 22, м. Київ, 01001' } }],
  [
    'company names',
    { body: { name: 'Tamm & Kask OÜ', other: 'ТОВ «Кодру Вінури»', fr: 'SRL «Codru Vinuri»' } },
  ],
  [
    'document numbers',
    {
      body: {
        application: 'EE-APP-2026-0005',
        certificate: 'TRC-2026-0002',
        passport: 'FA123456',
        edrpou: '38123450',
      },
    },
  ],
  ['an IBAN and a phone', { body: { iban: 'EE382200221020145685', phone: '+372 5123 4567' } }],
  ['amounts and decimals', { body: { owed: '1024.50', rate: '10.5', code: '10.12.2023' } }],
  ['an e-mail address', { body: { email: 'info@rik.ee', contact: 'registry@company.ee' } }],
  [
    'prose with SQL words',
    {
      status: 400,
      body: {
        type: 'urn:x',
        title: 'Bad',
        status: 400,
        detail:
          'Please select one from the list, update your address and delete from the form what is wrong',
      },
    },
  ],
  [
    'a search query echoed',
    { body: { query: 'Tamm', sql: false, debug: false, exception: 'none', trace: 'ok' } },
  ],
  [
    'a W3C trace id',
    {
      body: {
        traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
        trace: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      },
    },
  ],
  ['a one-line stack field', { body: { stack: 'A1', debug: 'off' } }],
  ['words with dots', { body: { note: 'See e.g. the local office, i.e. the internal rules.' } }],
  ['a Server name without version', { headers: { server: 'nginx' } }],
  [
    'the usual headers of frameworks, proxies and CDNs',
    {
      headers: {
        'server-timing': 'db;dur=53, app;dur=47.2',
        via: '1.1 abc123.cloudfront.net (CloudFront)',
        'x-envoy-upstream-service-time': '12',
        'alt-svc': 'h3=":443"; ma=86400',
        link: '</persons?page=2>; rel="next"',
        'x-amzn-trace-id': 'Root=1-67891233-abcdef012345678912345678',
        'strict-transport-security': 'max-age=31536000; includeSubDomains',
        'content-security-policy': "default-src 'self'; img-src https://cdn.rik.ee",
        'x-content-type-options': 'nosniff',
        'access-control-allow-origin': '*',
        'set-cookie': 'session=abc; Path=/; HttpOnly',
      },
    },
  ],
  ['a Via pseudonym', { headers: { via: '1.1 varnish (Varnish/7.1)' } }],
  ['a CDN node in X-Served-By', { headers: { 'x-served-by': 'cache-fra-etou8220149-FRA' } }],
  [
    'X-Road headers',
    {
      headers: {
        'x-road-id': 'ee-test-2d1f8c3a',
        'x-road-service': 'ee-test/GOV/70008440/rr/population',
      },
    },
  ],
  ['a request id', { headers: { 'x-request-id': '0b5e9d0e-3c47-4f6a-9a4e-6a1c2f0e7d11' } }],
  [
    'a date header',
    {
      headers: {
        date: 'Mon, 07 Dec 2026 10:15:30 GMT',
        'last-modified': 'Mon, 07 Dec 2026 10:15:30 GMT',
      },
    },
  ],
  ['hex that is not an address', { body: { hash: 'fc00aa11bb22', digest: 'fe80deadbeef' } }],
  [
    'a URN',
    {
      body: {
        type: 'urn:sild:problem:not-found',
        id: 'urn:uuid:0b5e9d0e-3c47-4f6a-9a4e-6a1c2f0e7d11',
      },
    },
  ],
  ['an out-of-range address', { body: { note: 'not an address: 10.300.1.1' } }],
  ['a public address', { body: { note: 'served from 193.40.5.1 and 8.8.8.8' } }],
  [
    'host words that name no machine',
    { body: { host: 'Estonia', hostname: 'www.rik.ee', detail: 'host: Estonia, server: Tallinn' } },
  ],
  [
    'prose about a database',
    {
      status: 503,
      body: {
        type: 'urn:x',
        title: 'Busy',
        status: 503,
        detail: 'The database is being updated; contact the database administrator.',
      },
    },
  ],
  [
    'problem types with dotted names',
    {
      status: 400,
      body: {
        type: 'https://problems.rik.ee/persons.invalid-code',
        title: 'Invalid',
        status: 400,
        code: 'persons.InvalidCode',
      },
    },
  ],
  [
    'a dotted error code',
    { body: { code: 'errors.persons.NotFoundError', kind: 'registry.api.ValidationException' } },
  ],
  [
    'X-Road 7.8 fault codes',
    {
      body: {
        code: 'server.serverproxy.access_denied',
        other: 'Server.ServerProxy.ServiceFailed.InternalError',
      },
    },
  ],
]

test.each(LEGAL)('passes %s', (_, { body = PERSON, headers = {}, status = 200 }) => {
  expect(messages(answering(body, headers, status))).toEqual([])
})

test("does not blame the provider for a security server's unknown-service fault", () => {
  const ctx = makeContext({
    fault: { code: UNKNOWN_SERVICE.code, message: 'Unknown service ee-test/GOV/70008440/rr/x' },
  })
  expect(messages(ctx)).toEqual([])
})
