import {
  assertIntegerIn,
  assertSex,
  birthDateInput,
  checkDigitProblem,
  dayNumber,
  digitsOf,
  digitsProblem,
  fromDayNumber,
  invalid,
  isoDate,
  stdnumValidator,
  VALID,
  weightedSum,
} from '../internal/index.ts'
import type { FormatVerdict, IdentifierFormat, Sex } from '../types.ts'

export type UaRnokppInput = {
  /** `YYYY-MM-DD`, from 1900-01-01 (day 1) to 2173-10-14 (day 99999). */
  birthDate: string
  sex: Sex
  /**
   * Tells apart people of one sex born on the same day, 0-4999. Digits 6-9 hold
   * `2 × serial + 1` for men and `2 × serial` for women, so the 9th digit is odd for men.
   */
  serial: number
}

export type UaRnokppData = { birthDate: string; sex: Sex }

const rntrc = stdnumValidator('UA', 'rntrc')
const NAME = 'ua-rnokpp'
const DAY_ZERO = dayNumber({ year: 1899, month: 12, day: 31 })
const WEIGHTS = [-1, 5, 7, 9, 4, 6, 10, 5, 7]

/** Weighted sum mod 11, then mod 10; the weight -1 can make the sum negative. */
export const rnokppCheckDigit = (front: string): number =>
  (((weightedSum(digitsOf(front), WEIGHTS) % 11) + 11) % 11) % 10

const birthDateOf = (days: number): string => {
  const { year, month, day } = fromDayNumber(DAY_ZERO + days)
  return isoDate(year, month, day)
}

const validate = (value: string): FormatVerdict => {
  const problem = digitsProblem(value, 10)
  if (problem) return invalid(problem)
  // Every day count 1-99999 is a real date; only 00000 encodes none.
  if (value.startsWith('00000')) {
    return invalid('first 5 digits 00000 are no birth date (days since 1899-12-31 start at 1)')
  }
  const result = rntrc.validate(value)
  if (result.isValid) return VALID
  return invalid(checkDigitProblem(value, rnokppCheckDigit(value.slice(0, 9))))
}

const generate = ({ birthDate, sex, serial }: UaRnokppInput): string => {
  const days = dayNumber(birthDateInput(NAME, birthDate)) - DAY_ZERO
  if (days < 1 || days > 99_999) {
    throw new RangeError(`${NAME}: birthDate ${birthDate} is outside 1900-01-01 to 2173-10-14`)
  }
  assertSex(NAME, sex)
  assertIntegerIn(NAME, 'serial', serial, 0, 4999)
  const serialDigits = String(serial * 2 + (sex === 'M' ? 1 : 0)).padStart(4, '0')
  const front = `${String(days).padStart(5, '0')}${serialDigits}`
  return `${front}${rnokppCheckDigit(front)}`
}

/** Ukrainian taxpayer registration number (RNOKPP), `DDDDDNNNNC`. */
export const uaRnokpp: IdentifierFormat<UaRnokppInput> = {
  name: NAME,
  title: 'Ukrainian taxpayer registration number (RNOKPP, formerly IPN)',
  example: '1759013776',
  validate,
  generate,
}

/**
 * The birth date and sex an RNOKPP encodes, or undefined when it is not valid.
 * @example decodeUaRnokpp('3294510725') // { birthDate: '1990-03-14', sex: 'F' }
 */
export const decodeUaRnokpp = (value: string): UaRnokppData | undefined => {
  if (!validate(value).valid) return undefined
  return {
    birthDate: birthDateOf(Number(value.slice(0, 5))),
    sex: Number(value[8]) % 2 === 1 ? 'M' : 'F',
  }
}
