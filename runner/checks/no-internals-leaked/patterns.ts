/**
 * What a provider's answer must not show, and how to recognise it. Every repetition is bounded
 * (`{0,300}`, never a bare `*` before a later alternative), so no pattern backtracks beyond a
 * constant per position: the check runs on every exchange, on text a partner controls.
 */
export type LeakPattern = {
  /** What it is, for the message: `shows ${what} in body/detail`. */
  what: string
  pattern: RegExp
  /** A second look at a match the pattern alone cannot judge (an address's octets, a host name). */
  accept?: (match: RegExpExecArray) => boolean
  /** Addresses are not looked for in version and ETag values (`"version": "10.1.2.3"`). */
  address?: true
  /**
   * A literal the pattern cannot match without, tested first: a pattern that opens with a
   * character class is tried at every position, a literal is found by a fast scan.
   */
  needs?: RegExp
}

// A path segment or token: bounded, so that a long run of such characters costs little.
const TOKEN = String.raw`[^\s"'<>()]{1,300}`

const stackTraces: LeakPattern[] = [
  {
    what: 'a JavaScript stack frame',
    // `at fn (file:1:2)`, or a bare `at /path/file.js:1:2`; a time such as `at 10:15:30` is not.
    pattern: new RegExp(
      String.raw`\bat (?:[^\s()]{1,300} )?\([^\s()]{1,300}:\d+:\d+\)|\bat (?:node:|[^\s()]{0,300}[/\\]|[^\s()]{1,300}\.[cm]?[jt]sx?:)[^\s()]{0,300}:\d+:\d+`,
    ),
  },
  {
    what: 'a Python traceback',
    pattern: /Traceback \(most recent call last\)|\bFile "[^"\n]{1,300}", line \d+/,
  },
  {
    what: 'a Java exception',
    pattern:
      /Exception in thread "[^"\n]{0,100}"(?: [\w$.]{1,300})?|\bCaused by: [\w$.]{1,300}(?:Exception|Error)\b|\b(?:java|javax|jakarta|org|com|net|io)\.(?:[a-z_][\w$]{0,60}\.){1,10}[A-Z][\w$]{0,100}(?:Exception|Error)\b/,
  },
  {
    what: 'an exception class',
    needs: /(?:Error|Exception)\b/,
    // Python's and others' qualified names as a runtime prints them, with the message after
    // (`django.db.utils.OperationalError: could not connect`); alone, a dotted name may be a code.
    pattern:
      /\b[a-z_][a-z0-9_]{1,30}(?:\.[a-z_][a-z0-9_]{1,30}){1,8}\.[A-Z]\w{0,60}(?:Error|Exception): /,
  },
  {
    what: 'a JVM stack frame',
    pattern:
      /\bat (?:[A-Za-z_$][\w$]{0,100}[./]){1,30}[\w$<>]{1,100}\((?:[\w$]{1,100}\.(?:java|kt|scala|groovy):\d+|Native Method|Unknown Source)\)/,
  },
  {
    what: 'a .NET stack trace',
    pattern:
      /\bat [\w.`<>[\],]{1,300}\([^()\n]{0,300}\) in [^\n]{1,300}:line \d+|--- End of (?:inner exception )?stack trace|\bSystem\.(?:[A-Z]\w{0,60}\.){0,5}[A-Z]\w{0,60}Exception\b/,
  },
  {
    what: 'a .NET stack trace',
    needs: /\bat \w/,
    // A frame without its file: `at Registry.Api.PersonsController.Get(String code, Int32 page)`.
    pattern:
      /\bat (?:[A-Za-z_][\w`]{0,100}\.){2,20}[\w`<>]{1,100}\((?:[\w.`[\]<>]{1,100} \w{1,100}(?:, [\w.`[\]<>]{1,100} \w{1,100}){0,20})?\)/,
  },
  {
    what: 'a Go stack trace',
    needs: /goroutine|panic: |\.go:/,
    pattern: /\bgoroutine \d+ \[[\w ,]{1,60}\]:|\bpanic: runtime error|\.go:\d+ \+0x[0-9a-f]+/,
  },
  {
    what: 'a PHP stack trace',
    pattern:
      /\bPHP (?:Fatal error|Parse error|Warning|Notice)\b|\bFatal error: Uncaught\b|\.php(?:\(\d+\)|:\d+| on line \d+)|#\d+ \{main\}/,
  },
  { what: 'a Ruby stack frame', pattern: /\.rb:\d+:in [`'‘]/ },
]

const sql: LeakPattern[] = [
  {
    what: 'an SQL error',
    pattern: new RegExp(
      [
        String.raw`\bSQLSTATE\b`,
        String.raw`syntax error at or near "`,
        String.raw`\bORA-\d{5}\b`,
        String.raw`\b(?:relation|column|table) "[^"\n]{1,200}" does not exist`,
        String.raw`duplicate key value violates unique constraint`,
        String.raw`You have an error in your SQL syntax`,
        String.raw`\bSQLITE_[A-Z]{2,}`,
        String.raw`\bno such (?:table|column): `,
        String.raw`Incorrect syntax near\b`,
        String.raw`Unclosed quotation mark after the character string`,
        String.raw`\bER_[A-Z][A-Z_]{2,60}\b`,
        String.raw`\b(?:PSQL|SQL(?:Syntax(?:Error)?)?|Sql)Exception\b`,
        String.raw`\bsqlalchemy\.exc\.|\bpsycopg2?\.(?:errors\.)?\w{0,60}Error\b`,
      ].join('|'),
    ),
  },
  {
    what: 'SQL query text',
    // Upper-case keywords as queries are written; in lower case only with the rest of a query's
    // shape, so that prose ("select one from the list") is not mistaken for one.
    pattern: new RegExp(
      [
        String.raw`\bSELECT\s{1,20}(?:DISTINCT\s{1,20})?(?:\*|[\w"\x60.\[\]]{1,100}(?:\s{0,20},\s{0,20}[\w"\x60.\[\]]{1,100}){0,50}|COUNT\([^)\n]{0,100}\))\s{1,20}FROM\s{1,20}[\w"\x60.\[\]]{1,100}`,
        String.raw`\bINSERT\s{1,20}INTO\s{1,20}[\w"\x60.\[\]]{1,100}`,
        String.raw`\bUPDATE\s{1,20}[\w"\x60.\[\]]{1,100}\s{1,20}SET\s{1,20}[\w"\x60.]{1,100}\s{0,20}=`,
        String.raw`\bDELETE\s{1,20}FROM\s{1,20}[\w"\x60.\[\]]{1,100}`,
        String.raw`\b(?:select|SELECT) (?:\*|[\w.]{1,100}(?:, ?[\w.]{1,100}){0,50}) from [\w".]{1,100} (?:where|join|order by|group by|limit)\b`,
      ].join('|'),
    ),
  },
]

// Schemes of database and message-broker connections.
const DB_SCHEME = String.raw`(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|oracle|cockroachdb|clickhouse|cassandra|neo4j)`

const connections: LeakPattern[] = [
  {
    what: 'a database connection string',
    needs: /:\/\/|jdbc:|=/,
    pattern: new RegExp(
      [
        String.raw`\b${DB_SCHEME}://${TOKEN}`,
        String.raw`\bjdbc:[a-z0-9]{2,20}:${TOKEN}`,
        // libpq keyword/value: at least two of its keys, `host=db user=app password=…`.
        String.raw`\b(?:host|hostaddr|dbname|user|password)=[^\s;'"]{1,100}(?:\s{1,5}(?:host|hostaddr|port|dbname|user|password|sslmode|connect_timeout)=[^\s;'"]{0,100}){1,8}`,
        // ADO.NET: `Server=db;Database=registry;User Id=…`.
        String.raw`\b(?:Server|Data Source)=[^;"'\n]{1,100};\s{0,5}(?:Database|Initial Catalog|User ID|User Id|Uid|Port|Trusted_Connection)=[^"'\n]{0,200}`,
      ].join('|'),
      'i',
    ),
  },
  {
    what: 'credentials in a URL',
    needs: /:\/\//,
    pattern:
      /\b[a-z][a-z0-9+.-]{1,15}:\/\/[^\s/@:"'<>]{1,100}:[^\s/@"'<>]{1,200}@[^\s/"'<>]{1,255}/i,
  },
  {
    what: 'a database user',
    needs: /user|role|login/i,
    pattern:
      /password authentication failed for user "[^"\n]{1,100}"|Access denied for user '[^'\n]{1,100}'|Login failed for user '[^'\n]{1,100}'|\brole "[^"\n]{1,100}" does not exist|\b(?:db|database)[ _]?(?:user|username|login)\s{0,3}(?:[:=]\s{0,3}["']?|["'])[\w.@$-]{2,64}/i,
  },
]

// 10/8, 172.16/12, 192.168/16 (RFC 1918) and 169.254/16 (RFC 3927); the octets are checked below.
const PRIVATE_V4 = String.raw`(?:10(?:\.\d{1,3}){3}|172\.(?:1[6-9]|2\d|3[01])(?:\.\d{1,3}){2}|192\.168(?:\.\d{1,3}){2}|169\.254(?:\.\d{1,3}){2})`
// fc00::/7 (RFC 4193) and fe80::/10 (RFC 4291 §2.5.6).
const PRIVATE_V6 = String.raw`(?:f[cd][0-9a-f]{2}|fe[89ab][0-9a-f]):(?:[0-9a-f]{0,4}:){1,6}[0-9a-f]{0,4}`

const octetsInRange = (match: RegExpExecArray): boolean =>
  !/^\d/.test(match[0]) || match[0].split('.').every((octet) => Number(octet) <= 255)

/** Names only a private network resolves (RFC 6762 `.local`, RFC 8375 `home.arpa`, and habit). */
const INTERNAL_SUFFIX = String.raw`(?:internal|local|localdomain|corp|lan|intranet|intra|home\.arpa)`

const network: LeakPattern[] = [
  {
    what: 'a private network address',
    needs: /\b(?:10|169|172|192)\.\d|\bf[c-e][0-9a-f]{2}:/i,
    pattern: new RegExp(
      String.raw`(?<![\w.:-])(?:${PRIVATE_V4}(?![\w-]|\.\d)|${PRIVATE_V6}(?![\w:]))`,
      'i',
    ),
    accept: octetsInRange,
    address: true,
  },
  {
    what: 'an internal host name',
    needs: /\.(?:internal|local|localdomain|corp|lan|intranet|intra|home\.arpa)\b/i,
    pattern: new RegExp(
      String.raw`(?<![\w.-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.){1,10}${INTERNAL_SUFFIX}(?![\w-]|\.[a-z0-9])`,
      'i',
    ),
    address: true,
  },
  {
    what: 'an internal host name',
    needs: /:\/\//,
    // A URL whose host has a single label (`http://db:5432/`) names a machine on a private network;
    // localhost is the sandbox's and every developer's own machine.
    pattern:
      /\b[a-z][a-z0-9+.-]{1,15}:\/\/(?:[^\s/@"'<>]{1,200}@)?(?!localhost(?![\w-]))[a-z0-9_](?:[a-z0-9_-]{0,62})(?::\d{1,5})?(?=[/?#\s"'<>)\]]|$)/i,
    address: true,
  },
  {
    what: 'an internal host name',
    needs: /host/i,
    // `host=pg-main`, `host: persons-db:5432`: a host with a single label, named as one.
    pattern:
      /\bhost(?:name)?(?:=["']?(?!localhost(?![\w-]))[a-z][\w-]{0,62}(?![\w.-])|\s{0,3}:\s{0,3}["']?(?!localhost(?![\w-]))[a-z][\w-]{0,62}:\d{2,5}\b)/i,
    address: true,
  },
]

const paths: LeakPattern[] = [
  { what: 'a node_modules path', pattern: /node_modules[/\\]/ },
  {
    what: 'a server file path',
    // Not a URL's path (`https://host/opt/…`, `/persons/…`): only the roots of a server's disk, and
    // the usual application roots when a source file ends the path.
    pattern: new RegExp(
      [
        String.raw`(?<![\w.:/~%-])/(?:home|root|usr|var|opt|srv|etc|tmp|proc|mnt|Users|Library|private|nix|snap)/${TOKEN}`,
        String.raw`(?<![\w.:/~%-])/(?:app|src|code|workspace|build|dist|data)/[^\s"'<>()]{0,300}\.(?:[cm]?[jt]sx?|py|java|kt|php|rb|go|cs|env|ini|conf|cfg|yml|yaml|properties|sql|log)\b`,
        String.raw`\bfile:///?${TOKEN}`,
      ].join('|'),
    ),
  },
  {
    what: 'a Windows file path',
    pattern: /(?<![\w])[A-Za-z]:\\[^\s"'<>]{1,300}|(?<![\w\\])\\\\[\w.-]{1,100}\\[\w$.-]{1,100}/,
  },
]

/**
 * Text that none of LEAK_PATTERNS can match: each pattern needs one of these characters or words
 * (a frame its `(` or `:`, a path its `/`, SQL its keyword...). One test of it spares the rest for
 * most of a body's strings (names, codes, dates). Keep it a necessary condition of every pattern.
 */
export const MAY_LEAK =
  /[:.=/\\"'([#]|---|ORA-|ER_|SQLITE_|node_modules|SQL|SELECT|INSERT|UPDATE|DELETE|select|duplicate key|syntax|Unclosed|Exception|PHP |Traceback/

/** What a provider's answer (body or header) must not show, in the order they are reported. */
export const LEAK_PATTERNS: readonly LeakPattern[] = [
  ...stackTraces,
  ...sql,
  ...connections,
  ...network,
  ...paths,
]

/**
 * Headers that announce the server's software (and often its version), which tells an attacker
 * which published vulnerabilities to try. `Server` only with a version: `nginx` alone is harmless.
 */
export const BANNER_HEADERS: Readonly<
  Record<string, { what: string; shows: (value: string) => boolean }>
> = {
  'x-powered-by': { what: 'a framework banner', shows: (value) => value.trim() !== '' },
  'x-aspnet-version': { what: 'a framework version', shows: (value) => value.trim() !== '' },
  'x-aspnetmvc-version': { what: 'a framework version', shows: (value) => value.trim() !== '' },
  // Symfony's profiler token: it opens the request's full debug record.
  'x-debug-token': { what: 'a debug token', shows: (value) => value.trim() !== '' },
  'x-debug-token-link': { what: 'a debug token', shows: (value) => value.trim() !== '' },
  // `nginx/1.18.0`, `Apache/2.4.41 (Ubuntu)`, `Microsoft-IIS/10.0`, `Jetty(9.4.51)`.
  server: {
    what: 'a server version banner',
    shows: (value) => /[/(]\s{0,5}v?\d{1,5}(?:\.\d{1,10}){1,4}/.test(value),
  },
}

/**
 * Headers that name the back-end that answered; a leak when they name an internal host or
 * address. `x-upstream*` and `x-backend*` name nothing else, so a bare host (`db01:8080`) counts.
 */
export const isUpstreamHeader = (name: string): 'any-host' | 'internal-host' | undefined =>
  /^x-(?:upstream|backend)(?:-|$)/.test(name)
    ? 'any-host'
    : /^(?:x-served-by|x-server|x-host|x-forwarded-server|via)$/.test(name)
      ? 'internal-host'
      : undefined

/** A host, address or `host:port` named on its own, as an upstream header gives it. */
export const BARE_HOST =
  /(?:^|[\s,])(?:\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?|\[[0-9a-f:]{2,45}\](?::\d{1,5})?|[a-z][a-z0-9_-]{0,62}(?:\.[a-z0-9-]{1,63}){0,10}:\d{1,5}|[a-z][a-z0-9_-]{0,62})(?=$|[\s,;])/i

/** Object keys that name the back-end that answered, whatever host they hold. */
export const BACKEND_KEY =
  /^_{0,2}(?:upstream|backend|back_?end_?(?:host|server)|upstream_?(?:host|addr|server)|db_?host|database_?host|served_?by)$/i

/**
 * Object keys under which frameworks put debugging output. Those in STRONG_DEBUG_KEYS hold nothing
 * else; the others (`query`, `sql`, `trace`, `exception`) are reported only when their content
 * shows internals, since `"query": "Tamm"` echoing a search is legal.
 */
export const DEBUG_KEY =
  /^_{0,2}(?:debug|debug_?info|stack|stack_?trace|back_?trace|trace_?back|trace|exception|sql|query)_{0,2}$/i
export const STRONG_DEBUG_KEY =
  /^_{0,2}(?:debug|debug_?info|stack|stack_?trace|back_?trace|trace_?back)_{0,2}$|^_{1,2}(?:trace|exception)$/i
