/**
 * The JSON Canonicalization Scheme (RFC 8785): object members sorted by the UTF-16 code units of
 * their names, no whitespace, numbers and strings serialised as ECMAScript's JSON.stringify does.
 * Input must be I-JSON: finite numbers, well-formed strings, plain objects and arrays.
 */
export const canonicalJson = (value: unknown): string => {
  if (value === null) return 'null'
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false'
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`JCS: ${value} is not a JSON number`)
      return JSON.stringify(value)
    case 'string':
      if (!isWellFormed(value)) throw new TypeError('JCS: a string holds a lone surrogate')
      return JSON.stringify(value)
    case 'object':
      if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
      return `{${Object.keys(value)
        .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
        .sort()
        .map((key) => {
          if (!isWellFormed(key)) throw new TypeError('JCS: a property name holds a lone surrogate')
          return `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`
        })
        .join(',')}}`
    default:
      throw new TypeError(`JCS: a ${typeof value} is not JSON`)
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

const isWellFormed = (s: string): boolean => !LONE_SURROGATE.test(s)
