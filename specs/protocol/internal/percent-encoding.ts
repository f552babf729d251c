import { err, ok, type Result } from '../result.ts'

// RFC 3986 pchar minus pct-encoded: the characters X-Road 7.6.3 accepts unencoded in a path
// segment (UriUtils.safeChar) and leaves unescaped when it writes identifiers into headers (Guava's
// urlPathSegmentEscaper in RestResponse.encodeXRoadId).
const SAFE_DELIMS = "-._~!$&'()*+,;=:@"

const isSafeChar = (ch: string): boolean =>
  (ch >= 'A' && ch <= 'Z') ||
  (ch >= 'a' && ch <= 'z') ||
  (ch >= '0' && ch <= '9') ||
  (ch.length === 1 && SAFE_DELIMS.includes(ch))

const hexDigit = (ch: string | undefined): number => {
  if (ch === undefined) return -1
  const code = ch.charCodeAt(0)
  if (code >= 0x30 && code <= 0x39) return code - 0x30
  if (code >= 0x41 && code <= 0x46) return code - 0x41 + 10
  if (code >= 0x61 && code <= 0x66) return code - 0x61 + 10
  return -1
}

// ignoreBOM keeps a leading U+FEFF in the output instead of silently dropping it.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
const encoder = new TextEncoder()

/**
 * Percent-decodes one identifier part as X-Road 7.6.3 does (`UriUtils.uriSegmentPercentDecode`):
 * unencoded characters must be URI path-segment characters, every `%` must start two hex digits.
 * The error strings are the messages X-Road raises. Invalid UTF-8 is rejected where Java would
 * substitute U+FFFD, since no valid identifier contains U+FFFD anyway.
 */
export const percentDecodeSegment = (src: string): Result<string, string> => {
  if (!src.includes('%')) {
    for (const ch of src) if (!isSafeChar(ch)) return err('Invalid character in path segment')
    return ok(src)
  }
  const bytes: number[] = []
  for (let i = 0; i < src.length;) {
    const ch = src[i] as string
    if (ch === '%') {
      if (i + 2 >= src.length) return err('Incomplete percent encoding')
      const high = hexDigit(src[i + 1])
      const low = hexDigit(src[i + 2])
      if (high === -1 || low === -1) return err('Invalid percent encoding')
      bytes.push(high * 16 + low)
      i += 3
    } else if (isSafeChar(ch)) {
      bytes.push(ch.charCodeAt(0))
      i += 1
    } else {
      return err('Invalid character in path segment')
    }
  }
  try {
    return ok(utf8.decode(new Uint8Array(bytes)))
  } catch {
    return err('Invalid UTF-8 in percent encoding')
  }
}

/** Percent-encodes one identifier part the way X-Road writes identifiers into response headers. */
export const percentEncodeSegment = (value: string): string => {
  let out = ''
  for (const ch of value) {
    if (isSafeChar(ch)) {
      out += ch
      continue
    }
    for (const byte of encoder.encode(ch))
      out += '%' + byte.toString(16).toUpperCase().padStart(2, '0')
  }
  return out
}
