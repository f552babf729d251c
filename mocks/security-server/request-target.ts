import type { HeaderList } from '../../specs/protocol/xroad-headers/index.ts'

/**
 * Headers by which a client asks a web framework to treat a request as another method. An access
 * right names a method; a provider honouring one of these would run DELETE on a GET-only right.
 * The security server drops them before the provider sees the request (assumed: X-Road documents
 * no such filter, it passes user headers through).
 */
export const METHOD_OVERRIDE_HEADERS: ReadonlySet<string> = new Set([
  'x-http-method-override',
  'x-http-method',
  'x-method-override',
])

/** The headers without any method override. */
export const withoutMethodOverride = (headers: HeaderList): HeaderList =>
  headers.filter(([name]) => !METHOD_OVERRIDE_HEADERS.has(name.toLowerCase()))

/**
 * Why a service path cannot be matched against access rights, or undefined when it can.
 *
 * Access rights are matched on the path as sent, and the provider receives that same path. A path
 * a provider would resolve to another one (`/companies/../secret`, `%2e%2e`, a dot-segment behind
 * an encoded `/` or `\`, Tomcat's `..;`) would let a right on `/companies/**` reach what it does
 * not cover, so such
 * a path is refused rather than resolved: no client has a reason to send one (assumed: X-Road
 * documents no rule for dot-segments in the service path).
 */
export const unsafeServicePathReason = (path: string): string | undefined => {
  if (/[\\#\u0000-\u001f\u007f]/.test(path)) {
    return 'a backslash, a fragment or a control character'
  }
  if (/%00/.test(path)) return 'an encoded NUL'
  for (const segment of path.split('/')) {
    // An encoded `/` or `\` inside a segment passes as data (an id may hold one), but a provider
    // that decodes it must not find a dot-segment behind it; `..;x` is `..` to servlet containers.
    for (const part of decodeRepeatedly(segment).split(/[/\\]/)) {
      const bare = part.split(';')[0] as string
      if (bare === '.' || bare === '..') return `the dot-segment "${segment}"`
    }
  }
  return undefined
}

// A provider may decode more than once (a proxy, then the framework); three rounds cover `%25252e`.
// Byte by byte, so a malformed or non-UTF-8 escape cannot hide the dots around it.
const decodeRepeatedly = (segment: string): string => {
  let value = segment
  for (let round = 0; round < 3 && value.includes('%'); round++) {
    value = value.replace(/%([0-9a-f]{2})/gi, (_, hex: string) =>
      String.fromCharCode(Number.parseInt(hex, 16)),
    )
  }
  return value
}
