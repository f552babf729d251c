import fc from 'fast-check'
import { expect, test } from 'vitest'
import { estonianCheckDigit, stdnumValidator } from '../internal/index.ts'
import { decodeEePersonalCode, eePersonalCode } from './index.ts'

const { validate, generate } = eePersonalCode
const stdnumIk = stdnumValidator('EE', 'ik')

/** The nine codes that differ from `code` only in the check digit. */
const otherCheckDigits = (code: string): string[] =>
  '0123456789'
    .split('')
    .filter((d) => d !== code.at(-1))
    .map((d) => code.slice(0, -1) + d)

/** A code with a correct check digit over any ten leading digits, whatever they mean. */
const withCheckDigit = (front: string): string => `${front}${estonianCheckDigit(front)}`

test('accepts the published example 38001085718', () => {
  expect(validate('38001085718')).toEqual({ valid: true })
})

test('rejects the published counter-example 38001085719 for its check digit', () => {
  expect(validate('38001085719')).toEqual({
    valid: false,
    reason: 'check digit 9 does not match (expected 8)',
  })
})

test.each([
  '38001085718',
  '36805280109',
  '49003147126',
  '50301154756',
  '60510104869',
  '38001080079',
])('rejects each of the nine wrong check digits of %s', (code) => {
  expect(validate(code)).toEqual({ valid: true })
  for (const wrong of otherCheckDigits(code)) {
    expect(validate(wrong)).toEqual({
      valid: false,
      reason: `check digit ${wrong.at(-1)} does not match (expected ${code.at(-1)})`,
    })
  }
})

test('rejects wrong lengths', () => {
  expect(validate('')).toEqual({ valid: false, reason: 'must be 11 digits (got 0 characters)' })
  expect(validate('3800108571')).toEqual({
    valid: false,
    reason: 'must be 11 digits (got 10 characters)',
  })
  expect(validate('380010857180')).toEqual({
    valid: false,
    reason: 'must be 11 digits (got 12 characters)',
  })
  expect(validate('EE38001085718')).toEqual({
    valid: false,
    reason: 'must be 11 digits (got 13 characters)',
  })
})

test('rejects non-digits, including the spaces and Unicode digits stdnum would clean away', () => {
  expect(validate('3800108571X')).toEqual({
    valid: false,
    reason: 'must be 11 digits (character 11 is "X")',
  })
  expect(validate('3800108571 ')).toEqual({
    valid: false,
    reason: 'must be 11 digits (character 11 is " ")',
  })
  expect(stdnumIk.validate('３8001085718').isValid).toBe(true)
  expect(validate('３8001085718')).toEqual({
    valid: false,
    reason: 'must be 11 digits (character 1 is "３")',
  })
})

test('rejects first digits 0 and 9, which encode no century', () => {
  expect(validate(withCheckDigit('0800108571'))).toEqual({
    valid: false,
    reason: 'first digit 0 is not a century and sex digit (1-8)',
  })
  expect(validate(withCheckDigit('9800108571'))).toEqual({
    valid: false,
    reason: 'first digit 9 is not a century and sex digit (1-8)',
  })
})

test('rejects a birth date that does not exist even when the check digit matches', () => {
  const code = withCheckDigit('3900230123')
  expect(stdnumIk.validate(code).isValid).toBe(true)
  expect(validate(code)).toEqual({ valid: false, reason: 'birth date 1990-02-30 does not exist' })
})

test.each([
  ['3901301234', '1990-13-01'],
  ['3900100123', '1990-01-00'],
  ['3900431123', '1990-04-31'],
  ['3000229123', '1900-02-29'],
  ['7000229123', '2100-02-29'],
])('rejects %s with the impossible birth date %s', (front, date) => {
  expect(validate(withCheckDigit(front))).toEqual({
    valid: false,
    reason: `birth date ${date} does not exist`,
  })
})

test('accepts 29 February in a leap year of the 2000s', () => {
  expect(decodeEePersonalCode(withCheckDigit('5000229123'))).toEqual({
    birthDate: '2000-02-29',
    sex: 'M',
  })
})

test.each([
  ['1850-06-01', 'M', '1'],
  ['1899-12-31', 'F', '2'],
  ['1900-01-01', 'M', '3'],
  ['1999-12-31', 'F', '4'],
  ['2000-01-01', 'M', '5'],
  ['2005-10-10', 'F', '6'],
  ['2100-01-01', 'M', '7'],
  ['2199-12-31', 'F', '8'],
] as const)('encodes a birth on %s of sex %s with first digit %s', (birthDate, sex, digit) => {
  const code = generate({ birthDate, sex, serial: 42 })
  expect(code[0]).toBe(digit)
  expect(code.slice(1, 10)).toBe(`${birthDate.slice(2).replaceAll('-', '')}042`)
  expect(decodeEePersonalCode(code)).toEqual({ birthDate, sex })
})

test('decodes the birth date and sex of the published example', () => {
  expect(decodeEePersonalCode('38001085718')).toEqual({ birthDate: '1980-01-08', sex: 'M' })
  expect(decodeEePersonalCode('49003147126')).toEqual({ birthDate: '1990-03-14', sex: 'F' })
})

test('decodes nothing from an invalid code', () => {
  expect(decodeEePersonalCode('38001085719')).toBeUndefined()
  expect(decodeEePersonalCode(withCheckDigit('3900230123'))).toBeUndefined()
})

test('generates the documented example input deterministically', () => {
  expect(generate({ birthDate: '1990-03-14', sex: 'F', serial: 712 })).toBe('49003147126')
  expect(generate({ birthDate: '1980-01-08', sex: 'M', serial: 571 })).toBe('38001085718')
})

test('generates codes that validate and decode back to their input', () => {
  const input = fc.record({
    birthDate: fc
      .date({
        min: new Date('1800-01-01T00:00:00Z'),
        max: new Date('2199-12-31T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString().slice(0, 10)),
    sex: fc.constantFrom('M' as const, 'F' as const),
    serial: fc.integer({ min: 0, max: 999 }),
  })
  fc.assert(
    fc.property(input, (i) => {
      const code = generate(i)
      expect(validate(code)).toEqual({ valid: true })
      expect(decodeEePersonalCode(code)).toEqual({ birthDate: i.birthDate, sex: i.sex })
    }),
    { seed: 20250101, numRuns: 500 },
  )
})

test('agrees with stdnum on the check digit of any eleven digits', () => {
  fc.assert(
    fc.property(fc.stringMatching(/^[1-8]\d{10}$/), (code) => {
      const ours = String(estonianCheckDigit(code.slice(0, 10))) === code[10]
      expect(stdnumIk.validate(code).isValid).toBe(ours)
    }),
    { seed: 20250102, numRuns: 2000 },
  )
})

test('refuses to generate what the code cannot encode', () => {
  expect(() => generate({ birthDate: '1799-12-31', sex: 'M', serial: 1 })).toThrow(RangeError)
  expect(() => generate({ birthDate: '2200-01-01', sex: 'M', serial: 1 })).toThrow(RangeError)
  expect(() => generate({ birthDate: '1990-02-30', sex: 'M', serial: 1 })).toThrow(
    /birthDate "1990-02-30" is not a real YYYY-MM-DD date/,
  )
  expect(() => generate({ birthDate: '1990-01-01', sex: 'M', serial: 1000 })).toThrow(
    'ee-personal-code: serial must be an integer from 0 to 999, got 1000',
  )
  expect(() => generate({ birthDate: '1990-01-01', sex: 'X' as 'M', serial: 1 })).toThrow(
    RangeError,
  )
})

test('has a valid example', () => {
  expect(validate(eePersonalCode.example)).toEqual({ valid: true })
})
