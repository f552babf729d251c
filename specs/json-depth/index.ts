/**
 * How deep JSON may nest before Sild refuses it. JSON.parse takes any depth, but validating or
 * serialising a 100,000-deep value recurses past the stack; no real message nests 64 levels.
 */
export const MAX_JSON_DEPTH = 64

/**
 * Whether JSON text nests deeper than `limit`, in one pass without parsing (brackets inside
 * strings do not count).
 * @example nestsDeeperThan('[[[]]]', 2) // true
 */
export const nestsDeeperThan = (text: string, limit = MAX_JSON_DEPTH): boolean => {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c) i++
      else if (c === 0x22) inString = false
    } else if (c === 0x22) inString = true
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true
    } else if (c === 0x5d || c === 0x7d) depth--
  }
  return false
}
