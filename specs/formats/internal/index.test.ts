import { expect, test } from 'vitest'
import {
  dayNumber,
  digitsProblem,
  estonianCheckDigit,
  fromDayNumber,
  isRealDate,
  parseIsoDate,
} from './index.ts'

test('accepts exactly the given number of ASCII digits', () => {
  expect(digitsProblem('01234567', 8)).toBeUndefined()
})

test('names the length it got when the length is wrong', () => {
  expect(digitsProblem('', 8)).toBe('must be 8 digits (got 0 characters)')
  expect(digitsProblem('1', 8)).toBe('must be 8 digits (got 1 character)')
  expect(digitsProblem('123456789', 8)).toBe('must be 8 digits (got 9 characters)')
})

test('names the first character that is not an ASCII digit', () => {
  expect(digitsProblem('1234567x', 8)).toBe('must be 8 digits (character 8 is "x")')
  expect(digitsProblem('1234 678', 8)).toBe('must be 8 digits (character 5 is " ")')
  // A fullwidth digit looks like a digit but is not one in an identifier.
  expect(digitsProblem('１2345678', 8)).toBe('must be 8 digits (character 1 is "１")')
})

test('rejects a value that is not a string', () => {
  expect(digitsProblem(12345678, 8)).toBe('must be a string')
})

test('knows the Gregorian leap years', () => {
  expect(isRealDate(2000, 2, 29)).toBe(true)
  expect(isRealDate(2024, 2, 29)).toBe(true)
  expect(isRealDate(1900, 2, 29)).toBe(false)
  expect(isRealDate(2023, 2, 29)).toBe(false)
})

test('rejects day 0, day 31 of a 30-day month and month 13', () => {
  expect(isRealDate(1990, 1, 0)).toBe(false)
  expect(isRealDate(1990, 4, 31)).toBe(false)
  expect(isRealDate(1990, 13, 1)).toBe(false)
  expect(isRealDate(1990, 12, 31)).toBe(true)
})

test('parses only real YYYY-MM-DD dates', () => {
  expect(parseIsoDate('1990-03-14')).toEqual({ year: 1990, month: 3, day: 14 })
  expect(parseIsoDate('1990-02-30')).toBeUndefined()
  expect(parseIsoDate('1990-3-14')).toBeUndefined()
  expect(parseIsoDate('14.03.1990')).toBeUndefined()
})

test('counts days across centuries, including years below 100', () => {
  expect(dayNumber({ year: 1970, month: 1, day: 1 })).toBe(0)
  expect(
    dayNumber({ year: 2000, month: 3, day: 1 }) - dayNumber({ year: 2000, month: 2, day: 28 }),
  ).toBe(2)
  expect(fromDayNumber(dayNumber({ year: 50, month: 6, day: 15 }))).toEqual({
    year: 50,
    month: 6,
    day: 15,
  })
  expect(fromDayNumber(dayNumber({ year: 1899, month: 12, day: 31 }) + 1)).toEqual({
    year: 1900,
    month: 1,
    day: 1,
  })
})

test('computes the Estonian check digit in one pass when the remainder is below 10', () => {
  expect(estonianCheckDigit('3800108571')).toBe(8)
})

test('uses the second pass of weights when the first remainder is 10', () => {
  // 3800108007: first pass 10, second pass 9.
  expect(estonianCheckDigit('3800108007')).toBe(9)
})

test('gives 0 when both passes leave 10', () => {
  expect(estonianCheckDigit('3800108135')).toBe(0)
  // 70000310 (RIK) is a real registry code whose front leaves 10 twice.
  expect(estonianCheckDigit('7000031')).toBe(0)
})
