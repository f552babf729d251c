/**
 * Wraps a pure function of one string so that recent answers are looked up, not worked out again.
 * Past `limit` distinct inputs it forgets them all and starts over: inputs can come from anyone,
 * so the memory stays bounded.
 */
export const remember = <T>(fn: (text: string) => T, limit = 4096): ((text: string) => T) => {
  const known = new Map<string, T>()
  return (text: string): T => {
    if (known.has(text)) return known.get(text) as T
    if (known.size >= limit) known.clear()
    const value = fn(text)
    known.set(text, value)
    return value
  }
}
