/**
 * Which recorded values change from run to run (generated ids, timestamps, hashes, tokens), so a
 * replay checks their shape rather than their value. Business dates (`birthDate: 1980-01-01`) and
 * register keys (`personalCode`) are data, not volatile.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$/
const LONG_TOKEN = /^[A-Za-z0-9+/_=.-]{32,}$/
const HEX = /^[0-9a-f]{32,}$/i
const VOLATILE_KEY =
  /^(?:id|uuid|guid|etag|nonce|token|hash|signature|timestamp)$|(?:Id|_id|Uuid|Token|Hash|Signature|At|Time|Timestamp)$/

// Random-looking: long, mixing capitals, small letters and digits, and not words joined by - or /
// (a service key such as ee-test/GOV/70008747/e-residency/e-residency is data).
const isTokenLike = (value: string): boolean =>
  LONG_TOKEN.test(value) &&
  /[A-Z]/.test(value) &&
  /[a-z]/.test(value) &&
  /\d/.test(value) &&
  !value.split(/[-/]/).some((part) => /^[a-z]{4,}$/.test(part))

/** Why a value is volatile (`uuid`, `timestamp`, `generated id`, …), or undefined when it is data. */
export const volatileReason = (key: string, value: unknown): string | undefined => {
  if (typeof value === 'string') {
    if (UUID.test(value)) return 'uuid'
    if (DATE_TIME.test(value)) return 'timestamp'
    if (HEX.test(value)) return 'hash'
    if (isTokenLike(value)) return 'token'
  }
  return VOLATILE_KEY.test(key) ? 'generated id' : undefined
}

/**
 * A regular expression for values shaped like this one: UUIDs and timestamps by their standard
 * form, long tokens by their alphabet, anything else run by run of digits, letters and the
 * punctuation between them (`EE-APP-2026-0003` → `^[A-Z]{2}-[A-Z]{3}-[0-9]{4}-[0-9]{4}$`).
 */
export const shapeOf = (value: string): string => {
  if (UUID.test(value))
    return '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'
  if (DATE_TIME.test(value))
    return '^\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:?\\d{2})?$'
  if (HEX.test(value)) return '^[0-9a-fA-F]{32,}$'
  if (isTokenLike(value)) return '^[A-Za-z0-9+/_=.-]{16,}$'
  let pattern = ''
  for (const [run] of value.matchAll(/[0-9]+|[A-Z]+|[a-z]+|[^0-9A-Za-z]+/g)) {
    const cls = /^[0-9]/.test(run)
      ? '[0-9]'
      : /^[A-Z]/.test(run)
        ? '[A-Z]'
        : /^[a-z]/.test(run)
          ? '[a-z]'
          : undefined
    pattern += cls ? `${cls}{${run.length}}` : run.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
  }
  return `^${pattern}$`
}
