import {
  assertIntegerIn,
  birthDateInput,
  checkDigitProblem,
  digitsOf,
  invalid,
  isoDate,
  isRealDate,
  VALID,
  weightedSum,
} from '../internal/index.ts'
import type { FormatVerdict, IdentifierFormat } from '../types.ts'

export type UaUnzrInput = {
  /** `YYYY-MM-DD`. */
  birthDate: string
  /** The record's number among people born that day, 1-9999. */
  serial: number
}

export type UaUnzrData = { birthDate: string }

const NAME = 'ua-unzr'
const SHAPE = /^(\d{4})(\d{2})(\d{2})-(\d{4})(\d)$/

/**
 * The ministry says only that the check digit is "calculated like the passport MRZ". We read that
 * as ICAO Doc 9303: weights 7, 3, 1 repeating over the 12 digits before it, sum mod 10. This
 * reading is UNCONFIRMED against a published specification.
 */
export const unzrCheckDigit = (twelveDigits: string): number =>
  weightedSum(digitsOf(twelveDigits), [7, 3, 1]) % 10

const validate = (value: string): FormatVerdict => {
  if (typeof value !== 'string') return invalid('must be a string')
  const match = SHAPE.exec(value)
  if (!match) {
    return invalid(
      /^\d{13}$/.test(value)
        ? 'must have a hyphen after the birth date: YYYYMMDD-NNNNC'
        : 'must have the form YYYYMMDD-NNNNC (8 digits, a hyphen, 5 digits)',
    )
  }
  const [year, month, day] = match.slice(1, 4).map(Number) as [number, number, number]
  if (!isRealDate(year, month, day)) {
    return invalid(`birth date ${isoDate(year, month, day)} does not exist`)
  }
  if (match[4] === '0000') return invalid('serial 0000 is out of range (0001-9999)')
  const expected = unzrCheckDigit(value.slice(0, 8) + value.slice(9, 13))
  return Number(match[5]) === expected ? VALID : invalid(checkDigitProblem(value, expected))
}

const generate = ({ birthDate, serial }: UaUnzrInput): string => {
  birthDateInput(NAME, birthDate)
  assertIntegerIn(NAME, 'serial', serial, 1, 9999)
  const twelve = `${birthDate.replaceAll('-', '')}${String(serial).padStart(4, '0')}`
  return `${twelve.slice(0, 8)}-${twelve.slice(8)}${unzrCheckDigit(twelve)}`
}

/** Ukrainian demographic register (ЄДДР) record number, `YYYYMMDD-NNNNC`. */
export const uaUnzr: IdentifierFormat<UaUnzrInput> = {
  name: NAME,
  title: 'Ukrainian demographic register record number (UNZR)',
  example: '19900314-00234',
  validate,
  generate,
}

/**
 * The birth date a UNZR begins with, or undefined when it is not valid.
 * @example decodeUaUnzr('19900314-00234') // { birthDate: '1990-03-14' }
 */
export const decodeUaUnzr = (value: string): UaUnzrData | undefined =>
  validate(value).valid
    ? { birthDate: `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}` }
    : undefined
