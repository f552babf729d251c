/** The candidate closest to `word` by edit distance, if it is close enough to be a likely typo. */
export const nearest = (word: string, candidates: Iterable<string>): string | undefined => {
  let best: string | undefined
  let bestDistance = Infinity
  for (const candidate of candidates) {
    const d = distance(word.toLowerCase(), candidate.toLowerCase())
    if (d < bestDistance) {
      best = candidate
      bestDistance = d
    }
  }
  const limit = Math.max(2, Math.floor(word.length / 3))
  return best !== word && bestDistance <= limit ? best : undefined
}

/** ` (did you mean "x"?)`, or nothing. */
export const didYouMean = (word: string, candidates: Iterable<string>): string => {
  const guess = nearest(word, candidates)
  return guess ? ` (did you mean "${guess}"?)` : ''
}

/** `a, b, c` for a list in a message, shortened after `max` entries. */
export const listOf = (items: readonly string[], max = 20): string =>
  items.length === 0
    ? '(none)'
    : items.length <= max
      ? items.join(', ')
      : `${items.slice(0, max).join(', ')}, … (${items.length - max} more)`

const distance = (a: string, b: string): number => {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      )
    }
    previous = current
  }
  return previous[b.length] ?? 0
}
