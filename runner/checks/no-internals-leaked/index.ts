import { isSecretHeader, REDACTED, redactText } from '../../../specs/redaction/index.ts'
import { remember } from '../../../specs/remember.ts'
import { quote } from '../internal/exchange.ts'
import { isUnreachableFault } from '../internal/faults.ts'
import type { ExchangeCheck } from '../types.ts'
import {
  BACKEND_KEY,
  BANNER_HEADERS,
  BARE_HOST,
  DEBUG_KEY,
  isUpstreamHeader,
  LEAK_PATTERNS,
  MAY_LEAK,
  STRONG_DEBUG_KEY,
  type LeakPattern,
} from './patterns.ts'

/** Characters of one string that are looked at; a leak sits at the start of what it is in. */
export const MAX_SCANNED_PER_STRING = 8192
/** Characters of one answer (headers and body) that are looked at, in document order. */
export const MAX_SCANNED_PER_ANSWER = 65536
// Shorter strings (codes, names, dates, flags) cannot hold any pattern: none is looked at.
const MIN_LENGTH = 7

/**
 * No answer, of any status, shows a stack trace or the provider's internals (SQL, connection
 * strings, private addresses and host names, file paths, debug fields, software banners, back-end
 * hosts) in its body or headers. Each finding quotes the fragment, passwords replaced by `***`.
 * The body is walked once, and only its first MAX_SCANNED_PER_ANSWER characters (each string's
 * first MAX_SCANNED_PER_STRING) are read, so a large answer costs no more than a medium one.
 * The security servers' own protocol headers are not the provider's, and a security server's
 * "provider unreachable" faults are not applied: X-Road itself names the provider's address there
 * (PR-REST §4.6 example 2), and `reachable` scores them.
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
    exchange.response !== undefined && !(fault && isUnreachableFault(fault.code)),
  run: ({ exchange }) => {
    const response = exchange.response
    if (!response) return undefined
    const prefix = `${response.status >= 400 ? 'error response' : 'response'} (status ${response.status}) shows`
    const found = new Map<string, string>()
    const report = (what: string, at: Where, text: string, index = 0, length = 0): void => {
      if (!found.has(what))
        found.set(what, `${prefix} ${what} in ${render(at)}: ${excerpt(text, index, length)}`)
    }
    const scan: Scan = { texts: [], budget: MAX_SCANNED_PER_ANSWER, fields: [] }
    for (const [name, value] of Object.entries(response.headers)) {
      const header = name.toLowerCase()
      if (isProtocolHeader(header)) continue
      const banner = BANNER_HEADERS[header]
      const secret = isSecretHeader(header)
      const at: Where = { up: undefined, name: `header ${name}` }
      if (banner?.shows(value)) report(banner.what, at, secret ? REDACTED : value)
      // A cookie or token is the caller's secret, not the provider's internals.
      if (secret) continue
      const upstream = isUpstreamHeader(header)
      if (upstream) {
        const host = internalHost(value) ?? (upstream === 'any-host' ? BARE_HOST.exec(value) : null)
        if (host) report('a back-end host', at, value, host.index, host[0].length)
        continue
      }
      add(scan, at, value, /version/.test(header), undefined)
    }
    walk(response.body, BODY, undefined, false, scan)

    // Every text is read for every pattern, even once a kind is reported, so that what a fragment
    // showed first (a stack frame) keeps it from being reported as another kind (its file path).
    const hits = scan.texts.map((text) => hitsIn(text.text, text.noAddress))
    for (const [i, leak] of LEAK_PATTERNS.entries()) {
      for (const [j, text] of scan.texts.entries()) {
        const hit = hits[j]?.[i]
        if (!hit) continue
        report(leak.what, text.where, text.text, hit.index, hit.length)
        if (text.debugField) report('a debug field', text.debugField, text.text, hit.index)
      }
    }
    for (const field of scan.fields) report(field.what, field.where, field.text)
    return [...found.values()]
  },
}

/** Where a text sits, built into `body/a/0/b` only when a finding names it. */
type Where = { up: Where | undefined; name: string }

const BODY: Where = { up: undefined, name: 'body' }
const KEY = ' key'

const render = (at: Where): string => {
  const names: string[] = []
  for (let node: Where | undefined = at; node; node = node.up) names.push(node.name)
  return names.reverse().join('/').replace(`/${KEY}`, KEY)
}

type Text = {
  where: Where
  text: string
  noAddress: boolean
  debugField: Where | undefined
}
type Scan = {
  texts: Text[]
  budget: number
  /** Findings that a key and its value make together (`_debug: {…}`, `upstream: "db01:5432"`). */
  fields: Array<{ what: string; where: Where; text: string }>
}

const add = (
  scan: Scan,
  where: Where,
  value: string,
  noAddress: boolean,
  debugField: Where | undefined,
): void => {
  if (value.length < MIN_LENGTH || scan.budget <= 0) return
  const text = value.slice(0, Math.min(MAX_SCANNED_PER_STRING, scan.budget))
  scan.budget -= text.length
  if (!MAY_LEAK.test(text)) return
  scan.texts.push({ where, text, noAddress, debugField })
}

/** Collects every string of a parsed body (keys too) with where it sits, in one walk. */
const walk = (
  value: unknown,
  path: Where,
  debugField: Where | undefined,
  noAddress: boolean,
  scan: Scan,
): void => {
  if (scan.budget <= 0) return
  if (typeof value === 'string') return add(scan, path, value, noAddress, debugField)
  if (value === null || typeof value !== 'object') return
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length && scan.budget > 0; i++)
      walk(value[i], { up: path, name: String(i) }, debugField, noAddress, scan)
    return
  }
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    if (scan.budget <= 0) return
    const where: Where = { up: path, name: key }
    if (key.length >= MIN_LENGTH) add(scan, { up: path, name: KEY }, key, noAddress, debugField)
    const kind = keyKind(key)
    // Only the first debug field is quoted: a list of a thousand is previewed once, not a thousand times.
    if (kind === 'strong-debug' && !scan.fields.some(isDebugField) && holdsOutput(child))
      scan.fields.push({ what: DEBUG_FIELD, where, text: preview(child) })
    else if (kind === 'backend' && typeof child === 'string' && BARE_HOST.test(child))
      scan.fields.push({ what: 'a back-end host', where, text: child })
    const isDebug = kind === 'debug' || kind === 'strong-debug'
    walk(
      child,
      where,
      debugField ?? (isDebug ? where : undefined),
      noAddress || kind === 'version',
      scan,
    )
  }
}

const DEBUG_FIELD = 'a debug field'
const isDebugField = (field: { what: string }): boolean => field.what === DEBUG_FIELD

// Version and ETag values look like addresses (`"version": "10.1.2.3"`) and are not.
const VERSION_KEY = /version|etag/i

type KeyKind = 'strong-debug' | 'debug' | 'backend' | 'version' | 'plain'

// Bodies repeat the same few keys: each is classified once, in a map kept small.
const keyKinds = new Map<string, KeyKind>()

const keyKind = (key: string): KeyKind => {
  let kind = keyKinds.get(key)
  if (kind) return kind
  kind = DEBUG_KEY.test(key)
    ? STRONG_DEBUG_KEY.test(key)
      ? 'strong-debug'
      : 'debug'
    : BACKEND_KEY.test(key)
      ? 'backend'
      : VERSION_KEY.test(key)
        ? 'version'
        : 'plain'
  if (keyKinds.size >= 4096) keyKinds.clear()
  keyKinds.set(key, kind)
  return kind
}

// A debug key holds output when it is a non-empty object or list, or text over several lines.
const holdsOutput = (value: unknown): boolean =>
  typeof value === 'string'
    ? value.includes('\n')
    : value !== null && typeof value === 'object' && Object.keys(value).length > 0

const preview = (value: unknown): string =>
  typeof value === 'string' ? value.slice(0, 400) : (JSON.stringify(value) ?? '').slice(0, 400)

// The security servers' own headers and HTTP's structural ones: neither carries the provider's
// text (a Date, an ETag or a Content-Length is not a leak whatever digits it holds).
const isProtocolHeader = (name: string): boolean =>
  name.startsWith('x-road-') || name.startsWith('uxp-') || STRUCTURAL_HEADERS.has(name)

const STRUCTURAL_HEADERS: ReadonlySet<string> = new Set([
  'content-type',
  'content-length',
  'content-encoding',
  'date',
  'etag',
  'last-modified',
  'expires',
  'age',
  'cache-control',
  'vary',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'accept-ranges',
  'traceparent',
])

type Hit = { index: number; length: number }

/**
 * What each pattern, by its place in LEAK_PATTERNS, finds in one text: its first match, unless a
 * pattern before it already claimed that span. It depends on the text alone, and answers repeat
 * the same strings step after step: short ones are remembered.
 */
const hitsIn = (text: string, noAddress: boolean): ReadonlyArray<Hit | undefined> =>
  (noAddress ? hitsWithoutAddresses : hitsWithAddresses)(text)

const findHits =
  (noAddress: boolean) =>
  (text: string): Array<Hit | undefined> => {
    const claimed: Array<[number, number]> = []
    return LEAK_PATTERNS.map((leak) => {
      if (leak.address && noAddress) return undefined
      const match = firstMatch(leak, text)
      if (!match) return undefined
      const end = match.index + match[0].length
      if (claimed.some(([from, to]) => match.index < to && from < end)) return undefined
      claimed.push([match.index, end])
      return { index: match.index, length: match[0].length }
    })
  }

const hitsWithAddresses = remember(findHits(false), 1024)
const hitsWithoutAddresses = remember(findHits(true), 1024)

const NETWORK = LEAK_PATTERNS.filter((leak) => leak.address)

const internalHost = (value: string): RegExpExecArray | null => {
  for (const leak of NETWORK) {
    const match = firstMatch(leak, value)
    if (match) return match
  }
  return null
}

const globals = new WeakMap<LeakPattern, RegExp>()

/** The first match the pattern's own second look accepts. */
const firstMatch = (leak: LeakPattern, text: string): RegExpExecArray | null => {
  if (leak.needs && !leak.needs.test(text)) return null
  if (!leak.accept) return leak.pattern.exec(text)
  let pattern = globals.get(leak)
  if (!pattern)
    globals.set(leak, (pattern = new RegExp(leak.pattern.source, `${leak.pattern.flags}g`)))
  pattern.lastIndex = 0
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    if (leak.accept(match)) return match
    if (match[0] === '') pattern.lastIndex++
  }
  return null
}

// Passwords in URLs (`postgres://app:***@db`) and in key=value connection strings.
const URL_PASSWORD =
  /(\b[a-z][a-z0-9+.-]{1,15}:\/\/[^\s/@:"'<>]{1,100}:)[^\s/@"'<>]{1,200}(?=@|$)/gi
const KEY_PASSWORD =
  /(\b(?:password|passwd|pwd)\s{0,3}=\s{0,3})(?:"[^"\n]{0,200}"|'[^'\n]{0,200}'|[^\s;&,"']{1,200})/gi

/** Replaces the secrets a leaked fragment may carry. */
export const redactLeak = (text: string): string =>
  redactText(text).replace(URL_PASSWORD, '$1***').replace(KEY_PASSWORD, '$1***')

// The match with a little context before it, secrets hidden, quoted and cut for a message.
const excerpt = (text: string, index: number, length: number): string => {
  // From the start when the match fits in the quote, else from a little before it.
  const start = index + length <= 100 ? 0 : Math.max(0, index - 20)
  // Redacted a little past the cut, so that a password the cut would split is still found whole.
  const window = text.slice(start, Math.max(index + length, start + 110) + 200)
  return quote(redactLeak(window).slice(0, Math.max(index + length - start, 110)))
}
