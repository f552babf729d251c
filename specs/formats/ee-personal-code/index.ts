import {
  assertIntegerIn,
  assertSex,
  birthDateInput,
  checkDigitProblem,
  digitsProblem,
  estonianCheckDigit,
  invalid,
  isoDate,
  isRealDate,
  stdnumValidator,
  VALID,
} from '../internal/index.ts'
import type { FormatVerdict, IdentifierFormat, Sex } from '../types.ts'

export type EePersonalCodeInput = {
  /** `YYYY-MM-DD`, from 1800-01-01 to 2199-12-31 (the centuries the first digit can encode). */
  birthDate: string
  sex: Sex
  /** The three-digit number that tells apart people born on the same day, 0-999. */
  serial: number
}

export type EePersonalCodeData = { birthDate: string; sex: Sex }

const ik = stdnumValidator('EE', 'ik')
const NAME = 'ee-personal-code'
const FIRST_CENTURY = 18

/**
 * The first digit G encodes century and sex: 1/2 = 1800s, 3/4 = 1900s, 5/6 = 2000s, 7/8 = 2100s;
 * odd = male.
 */
const birthOf = (code: string): { birthDate: string; sex: Sex; exists: boolean } => {
  const g = Number(code[0])
  const year = (FIRST_CENTURY + Math.floor((g - 1) / 2)) * 100 + Number(code.slice(1, 3))
  const month = Number(code.slice(3, 5))
  const day = Number(code.slice(5, 7))
  return {
    birthDate: isoDate(year, month, day),
    sex: g % 2 === 1 ? 'M' : 'F',
    exists: isRealDate(year, month, day),
  }
}

const validate = (value: string): FormatVerdict => {
  const problem = digitsProblem(value, 11)
  if (problem) return invalid(problem)
  if (value[0] === '0' || value[0] === '9') {
    return invalid(`first digit ${value[0]} is not a century and sex digit (1-8)`)
  }
  const birth = birthOf(value)
  if (!birth.exists) return invalid(`birth date ${birth.birthDate} does not exist`)
  // stdnum checks only length, digits and the check digit; the date is checked above.
  const result = ik.validate(value)
  if (result.isValid) return VALID
  return invalid(checkDigitProblem(value, estonianCheckDigit(value.slice(0, 10))))
}

const generate = ({ birthDate, sex, serial }: EePersonalCodeInput): string => {
  const { year } = birthDateInput(NAME, birthDate)
  assertIntegerIn(NAME, 'birth year', year, 1800, 2199)
  assertSex(NAME, sex)
  assertIntegerIn(NAME, 'serial', serial, 0, 999)
  const g = (Math.floor(year / 100) - FIRST_CENTURY) * 2 + (sex === 'M' ? 1 : 2)
  const yymmdd = birthDate.slice(2).replaceAll('-', '')
  const front = `${g}${yymmdd}${String(serial).padStart(3, '0')}`
  return `${front}${estonianCheckDigit(front)}`
}

/** Estonian personal identification code, `GYYMMDDSSSC`. */
export const eePersonalCode: IdentifierFormat<EePersonalCodeInput> = {
  name: NAME,
  title: 'Estonian personal identification code (isikukood)',
  example: '38001085718',
  validate,
  generate,
}

/**
 * The birth date and sex an isikukood encodes, or undefined when the code is not valid.
 * @example decodeEePersonalCode('38001085718') // { birthDate: '1980-01-08', sex: 'M' }
 */
export const decodeEePersonalCode = (value: string): EePersonalCodeData | undefined => {
  if (!validate(value).valid) return undefined
  const { birthDate, sex } = birthOf(value)
  return { birthDate, sex }
}
