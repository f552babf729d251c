/**
 * Wraps a pure function of one string so that recent answers are looked up, not worked out again.
 * Inputs can come from anyone, so the memory stays bounded: only inputs up to `MAX_LENGTH`
 * characters are kept, and past `limit` of them it forgets them all and starts over.
 */
export const remember = <T>(fn: (text: string) => T, limit = 4096): ((text: string) => T) => {
  const known = new Map<string, T>()
  return (text: string): T => {
    if (text.length > MAX_LENGTH) return fn(text)
    if (known.has(text)) return known.get(text) as T
    if (known.size >= limit) known.clear()
    const value = fn(text)
    known.set(text, value)
    return value
  }
}

/** Longer than any identifier, header value or expression worth remembering. */
export const MAX_LENGTH = 256
