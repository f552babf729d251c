import fc from 'fast-check'
import { expect, test } from 'vitest'
import { decodeUaUnzr, uaUnzr, unzrCheckDigit } from './index.ts'

const { validate, generate } = uaUnzr

const otherCheckDigits = (code: string): string[] =>
  '0123456789'
    .split('')
    .filter((d) => d !== code.at(-1))
    .map((d) => code.slice(0, -1) + d)

test('accepts a record number whose check digit follows the MRZ weights 7, 3, 1 (ua-unzr-check-digit, assumed)', () => {
  // 1·7 + 9·3 + 9·1 + 0·7 + 0·3 + 3·1 + 1·7 + 4·3 + 0·1 + 0·7 + 2·3 + 3·1 = 74
  expect(unzrCheckDigit('199003140023')).toBe(4)
  expect(validate('19900314-00234')).toEqual({ valid: true })
})

test.each(['19900314-00234', '19850702-00365', '20010815-01662', '19000101-00019'])(
  'rejects each of the nine wrong check digits of %s',
  (code) => {
    expect(validate(code)).toEqual({ valid: true })
    for (const wrong of otherCheckDigits(code)) {
      expect(validate(wrong)).toEqual({
        valid: false,
        reason: `check digit ${wrong.at(-1)} does not match (expected ${code.at(-1)})`,
      })
    }
  },
)

test('asks for the hyphen when 13 digits come without it', () => {
  expect(validate('1990031400234')).toEqual({
    valid: false,
    reason: 'must have a hyphen after the birth date: YYYYMMDD-NNNNC',
  })
})

test.each([
  '',
  '19900314-0023',
  '19900314-002345',
  '1990031-400234',
  '19900314 00234',
  '19900314-0023A',
  '1990-03-14-00234',
])('rejects the malformed %j', (value) => {
  expect(validate(value)).toEqual({
    valid: false,
    reason: 'must have the form YYYYMMDD-NNNNC (8 digits, a hyphen, 5 digits)',
  })
})

test.each([
  ['19900230-0001', '1990-02-30'],
  ['19901301-0001', '1990-13-01'],
  ['19900100-0001', '1990-01-00'],
  ['19000229-0001', '1900-02-29'],
])('rejects %s with the impossible birth date %s', (twelve, date) => {
  const code = `${twelve}${unzrCheckDigit(twelve.replace('-', ''))}`
  expect(validate(code)).toEqual({ valid: false, reason: `birth date ${date} does not exist` })
})

test('accepts 29 February 2000', () => {
  expect(decodeUaUnzr(generate({ birthDate: '2000-02-29', serial: 1 }))).toEqual({
    birthDate: '2000-02-29',
  })
})

test('rejects serial 0000', () => {
  const code = `19900314-0000${unzrCheckDigit('199003140000')}`
  expect(validate(code)).toEqual({
    valid: false,
    reason: 'serial 0000 is out of range (0001-9999)',
  })
})

test('decodes the birth date', () => {
  expect(decodeUaUnzr('19850702-00365')).toEqual({ birthDate: '1985-07-02' })
  expect(decodeUaUnzr('19850702-00366')).toBeUndefined()
})

test('generates the record number of the example', () => {
  expect(generate({ birthDate: '1990-03-14', serial: 23 })).toBe('19900314-00234')
  expect(generate({ birthDate: '1990-03-14', serial: 9999 })).toMatch(/^19900314-9999\d$/)
})

test('generates record numbers that validate and decode back to their birth date', () => {
  const input = fc.record({
    birthDate: fc
      .date({
        min: new Date('1900-01-01T00:00:00Z'),
        max: new Date('2099-12-31T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString().slice(0, 10)),
    serial: fc.integer({ min: 1, max: 9999 }),
  })
  fc.assert(
    fc.property(input, (i) => {
      const code = generate(i)
      expect(validate(code)).toEqual({ valid: true })
      expect(decodeUaUnzr(code)).toEqual({ birthDate: i.birthDate })
    }),
    { seed: 20250401, numRuns: 500 },
  )
})

test('refuses to generate serial 0, serial 10000 or an impossible date', () => {
  expect(() => generate({ birthDate: '1990-03-14', serial: 0 })).toThrow(
    'ua-unzr: serial must be an integer from 1 to 9999, got 0',
  )
  expect(() => generate({ birthDate: '1990-03-14', serial: 10_000 })).toThrow(RangeError)
  expect(() => generate({ birthDate: '1990-02-30', serial: 1 })).toThrow(RangeError)
})

test('has a valid example', () => {
  expect(validate(uaUnzr.example)).toEqual({ valid: true })
})
