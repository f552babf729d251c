/** The named identifier formats that specs declare with `format:` on a string. */
export type FormatName =
  'ee-personal-code' | 'ee-registry-code' | 'ua-rnokpp' | 'ua-unzr' | 'ua-edrpou'

/** The outcome of checking one value; `reason` says in a few words what is wrong. */
export type FormatVerdict = { valid: true } | { valid: false; reason: string }

export type Sex = 'M' | 'F'

/**
 * One identifier format: its check, a valid example and a deterministic generator of valid test
 * identifiers. `Input` is what the generator needs; it is `never` for code that only validates.
 */
export type IdentifierFormat<Input = never> = {
  readonly name: FormatName
  readonly title: string
  readonly example: string
  validate(value: string): FormatVerdict
  /** Builds a valid identifier from its parts; throws a RangeError for parts it cannot encode. */
  generate(input: Input): string
}
