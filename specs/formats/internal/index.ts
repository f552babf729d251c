import type { Validator } from 'stdnum'
// Only the countries Sild checks: the package's index loads every country's validators.
import * as ee from 'stdnum/lib/cjs/ee/index.js'
import * as ua from 'stdnum/lib/cjs/ua/index.js'
import type { FormatVerdict, Sex } from '../types.ts'

export const VALID: FormatVerdict = Object.freeze({ valid: true })

export const invalid = (reason: string): FormatVerdict => ({ valid: false, reason })

/** Why `value` is not exactly `length` ASCII digits, or undefined when it is. */
export const digitsProblem = (value: unknown, length: number): string | undefined => {
  if (typeof value !== 'string') return 'must be a string'
  const chars = [...value]
  if (chars.length !== length) {
    return `must be ${length} digits (got ${chars.length} character${chars.length === 1 ? '' : 's'})`
  }
  const at = chars.findIndex((c) => c < '0' || c > '9')
  if (at < 0) return undefined
  return `must be ${length} digits (character ${at + 1} is ${JSON.stringify(chars[at])})`
}

export const checkDigitProblem = (value: string, expected: number): string =>
  `check digit ${value.at(-1)} does not match (expected ${expected})`

export const digitsOf = (value: string): number[] => [...value].map(Number)

export const weightedSum = (digits: readonly number[], weights: readonly number[]): number =>
  digits.reduce((sum, d, i) => sum + d * (weights[i % weights.length] ?? 0), 0)

const pad = (n: number, width: number): string => String(n).padStart(width, '0')

export const isoDate = (year: number, month: number, day: number): string =>
  `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`

const isLeapYear = (year: number): boolean =>
  (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0

const daysInMonth = (year: number, month: number): number =>
  month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31

export const isRealDate = (year: number, month: number, day: number): boolean =>
  Number.isInteger(year) &&
  month >= 1 &&
  month <= 12 &&
  Number.isInteger(day) &&
  day >= 1 &&
  day <= daysInMonth(year, month)

export type CalendarDate = { year: number; month: number; day: number }

/** Reads a `YYYY-MM-DD` date that exists in the Gregorian calendar. */
export const parseIsoDate = (text: string): CalendarDate | undefined => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  if (!match) return undefined
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number]
  return isRealDate(year, month, day) ? { year, month, day } : undefined
}

const MS_PER_DAY = 86_400_000

/** Days since 1970-01-01; `setUTCFullYear` because `Date.UTC` maps years 0-99 to 1900-1999. */
export const dayNumber = ({ year, month, day }: CalendarDate): number => {
  const date = new Date(0)
  date.setUTCFullYear(year, month - 1, day)
  return Math.round(date.getTime() / MS_PER_DAY)
}

export const fromDayNumber = (days: number): CalendarDate => {
  const date = new Date(days * MS_PER_DAY)
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() }
}

/**
 * The Estonian modulo-11 check digit shared by the personal code and the registry code: weights
 * 1..9,1,… and, when the remainder is 10, a second pass with weights 3..9,1,2,…; a second 10
 * gives 0, as stdnum has it and as the real registry code 70000310 (RIK) confirms.
 */
export const estonianCheckDigit = (front: string): number => {
  const digits = digitsOf(front)
  const first = weightedSum(digits, [1, 2, 3, 4, 5, 6, 7, 8, 9]) % 11
  if (first < 10) return first
  const second = weightedSum(digits, [3, 4, 5, 6, 7, 8, 9, 1, 2]) % 11
  return second < 10 ? second : 0
}

/** Throws the generators' RangeError unless `n` is an integer in `[min, max]`. */
export const assertIntegerIn = (
  format: string,
  what: string,
  n: number,
  min: number,
  max: number,
): void => {
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new RangeError(`${format}: ${what} must be an integer from ${min} to ${max}, got ${n}`)
  }
}

/** Parses a generator's `birthDate`, throwing a RangeError when it is not a real date. */
export const birthDateInput = (format: string, birthDate: string): CalendarDate => {
  const date = parseIsoDate(birthDate)
  if (!date)
    throw new RangeError(
      `${format}: birthDate ${JSON.stringify(birthDate)} is not a real YYYY-MM-DD date`,
    )
  return date
}

export const assertSex = (format: string, sex: Sex): void => {
  if (sex !== 'M' && sex !== 'F') {
    throw new RangeError(`${format}: sex must be 'M' or 'F', got ${JSON.stringify(sex)}`)
  }
}

/** One of stdnum's validators, looked up once so a missing one fails at import, not per value. */
export const stdnumValidator = (country: 'EE' | 'UA', name: string): Validator => {
  const validator: Validator | undefined = STDNUM[country][name]
  if (!validator) throw new Error(`stdnum ${country}.${name} is missing; is stdnum 1.12 installed?`)
  return validator
}

const STDNUM: Record<'EE' | 'UA', Record<string, Validator>> = {
  EE: { ik: ee.ik, registrikood: ee.registrikood },
  UA: { edrpou: ua.edrpou, rntrc: ua.rntrc },
}
