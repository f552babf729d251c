import {
  assertIntegerIn,
  checkDigitProblem,
  digitsProblem,
  estonianCheckDigit,
  invalid,
  stdnumValidator,
  VALID,
} from '../internal/index.ts'
import type { FormatVerdict, IdentifierFormat } from '../types.ts'

/** What the first digit of a registry code says the holder is. */
export type EeRegistryKind = 'company' | 'state-body' | 'non-profit' | 'foundation'

export type EeRegistryCodeInput = {
  kind: EeRegistryKind
  /** The six digits after the first, 0-999999. */
  serial: number
}

const registrikood = stdnumValidator('EE', 'registrikood')
const NAME = 'ee-registry-code'

const FIRST_DIGIT: Record<EeRegistryKind, string> = {
  company: '1',
  'state-body': '7',
  'non-profit': '8',
  foundation: '9',
}

const KIND_OF_DIGIT = new Map(
  Object.entries(FIRST_DIGIT).map(([kind, digit]) => [digit, kind as EeRegistryKind]),
)

const validate = (value: string): FormatVerdict => {
  const problem = digitsProblem(value, 8)
  if (problem) return invalid(problem)
  if (!KIND_OF_DIGIT.has(value[0] ?? '')) {
    return invalid(
      `first digit ${value[0]} is not a registry (1 company, 7 state body, 8 non-profit, 9 foundation)`,
    )
  }
  const result = registrikood.validate(value)
  if (result.isValid) return VALID
  return invalid(checkDigitProblem(value, estonianCheckDigit(value.slice(0, 7))))
}

const generate = ({ kind, serial }: EeRegistryCodeInput): string => {
  const digit = FIRST_DIGIT[kind]
  if (!digit) {
    throw new RangeError(
      `${NAME}: kind must be one of ${Object.keys(FIRST_DIGIT).join(', ')}, got ${JSON.stringify(kind)}`,
    )
  }
  assertIntegerIn(NAME, 'serial', serial, 0, 999_999)
  const front = `${digit}${String(serial).padStart(6, '0')}`
  return `${front}${estonianCheckDigit(front)}`
}

/**
 * Estonian registry code (registrikood): 8 digits, the first naming the register, the last a
 * check digit computed like the isikukood's over the first 7.
 */
export const eeRegistryCode: IdentifierFormat<EeRegistryCodeInput> = {
  name: NAME,
  title: 'Estonian registry code (registrikood)',
  example: '70008440',
  validate,
  generate,
}

/**
 * The kind of holder a registry code names, or undefined when the code is not valid.
 * @example decodeEeRegistryCode('70000310') // { kind: 'state-body' }
 */
export const decodeEeRegistryCode = (value: string): { kind: EeRegistryKind } | undefined => {
  const kind = KIND_OF_DIGIT.get(value[0] ?? '')
  return kind && validate(value).valid ? { kind } : undefined
}
