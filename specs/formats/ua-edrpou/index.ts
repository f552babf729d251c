import {
  assertIntegerIn,
  checkDigitProblem,
  digitsOf,
  digitsProblem,
  invalid,
  stdnumValidator,
  VALID,
  weightedSum,
} from '../internal/index.ts'
import type { FormatVerdict, IdentifierFormat } from '../types.ts'

export type UaEdrpouInput = {
  /** The first 7 digits as a number, 0-9999999. */
  serial: number
}

const edrpou = stdnumValidator('UA', 'edrpou')
const NAME = 'ua-edrpou'

/**
 * Weights 1..7, or 7,1..6 for codes from 30000000 to 59999999; sum mod 11; a remainder of 10
 * repeats with every weight + 2; the digit is that remainder mod 10.
 */
export const edrpouCheckDigit = (front: string): number => {
  const digits = digitsOf(front)
  const weights = '345'.includes(front[0] ?? '') ? [7, 1, 2, 3, 4, 5, 6] : [1, 2, 3, 4, 5, 6, 7]
  const first = weightedSum(digits, weights) % 11
  if (first < 10) return first
  return (
    (weightedSum(
      digits,
      weights.map((w) => w + 2),
    ) %
      11) %
    10
  )
}

const validate = (value: string): FormatVerdict => {
  const problem = digitsProblem(value, 8)
  if (problem) return invalid(problem)
  const result = edrpou.validate(value)
  if (result.isValid) return VALID
  return invalid(checkDigitProblem(value, edrpouCheckDigit(value.slice(0, 7))))
}

const generate = ({ serial }: UaEdrpouInput): string => {
  assertIntegerIn(NAME, 'serial', serial, 0, 9_999_999)
  const front = String(serial).padStart(7, '0')
  return `${front}${edrpouCheckDigit(front)}`
}

/** Ukrainian legal-entity code (EDRPOU): 8 digits, the last a check digit. */
export const uaEdrpou: IdentifierFormat<UaEdrpouInput> = {
  name: NAME,
  title: 'Ukrainian legal-entity identification code (EDRPOU)',
  example: '00015622',
  validate,
  generate,
}
