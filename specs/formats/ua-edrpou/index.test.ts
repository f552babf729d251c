import fc from 'fast-check'
import { expect, test } from 'vitest'
import { stdnumValidator } from '../internal/index.ts'
import { edrpouCheckDigit, uaEdrpou } from './index.ts'

const { validate, generate } = uaEdrpou
const stdnumEdrpou = stdnumValidator('UA', 'edrpou')

const otherCheckDigits = (code: string): string[] =>
  '0123456789'
    .split('')
    .filter((d) => d !== code.at(-1))
    .map((d) => code.slice(0, -1) + d)

// Ministry of Justice, Ministry of Digital Transformation, State Migration Service, State Tax Service.
const PUBLISHED = ['00015622', '43220851', '37508470', '43005393']

test.each(PUBLISHED)('accepts the agency code %s', (code) => {
  expect(validate(code)).toEqual({ valid: true })
})

test.each([...PUBLISHED, '38123450', '22222221', '00032129', '00002810'])(
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

test('weighs codes from 30000000 to 59999999 with 7,1,2,3,4,5,6', () => {
  // 3·7 + 7·1 + 5·2 + 0·3 + 8·4 + 4·5 + 7·6 = 132, which is 0 modulo 11.
  expect(edrpouCheckDigit('3750847')).toBe(0)
  // With 1..7 the same digits would give 3·1 + 7·2 + 5·3 + 0·4 + 8·5 + 4·6 + 7·7 = 145 → 2.
  expect(validate('37508472').valid).toBe(false)
})

test('repeats with every weight + 2 when the remainder is 10', () => {
  // 0000003: 3·7 = 21 → 10; then 3·9 = 27 → 5.
  expect(edrpouCheckDigit('0000003')).toBe(5)
  expect(validate('00000035')).toEqual({ valid: true })
})

test('takes the second remainder mod 10 when it is 10 again', () => {
  expect(edrpouCheckDigit('0000281')).toBe(0)
  expect(validate('00002810')).toEqual({ valid: true })
})

test('rejects wrong lengths and non-digits', () => {
  expect(validate('0001562')).toEqual({
    valid: false,
    reason: 'must be 8 digits (got 7 characters)',
  })
  expect(validate('0001562200')).toEqual({
    valid: false,
    reason: 'must be 8 digits (got 10 characters)',
  })
  expect(validate('0001562O')).toEqual({
    valid: false,
    reason: 'must be 8 digits (character 8 is "O")',
  })
  expect(validate(' 0015622')).toEqual({
    valid: false,
    reason: 'must be 8 digits (character 1 is " ")',
  })
})

test('generates the published codes from their first seven digits', () => {
  for (const code of PUBLISHED) expect(generate({ serial: Number(code.slice(0, 7)) })).toBe(code)
})

test('generates codes that validate across the whole range', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 9_999_999 }), (serial) => {
      const code = generate({ serial })
      expect(code).toMatch(new RegExp(`^${String(serial).padStart(7, '0')}\\d$`))
      expect(validate(code)).toEqual({ valid: true })
    }),
    { seed: 20250501, numRuns: 1000 },
  )
})

test('agrees with stdnum on the check digit of any eight digits', () => {
  fc.assert(
    fc.property(fc.stringMatching(/^\d{8}$/), (code) => {
      const ours = String(edrpouCheckDigit(code.slice(0, 7))) === code[7]
      expect(stdnumEdrpou.validate(code).isValid).toBe(ours)
    }),
    { seed: 20250502, numRuns: 2000 },
  )
})

test('refuses to generate an out-of-range serial', () => {
  expect(() => generate({ serial: -1 })).toThrow(RangeError)
  expect(() => generate({ serial: 10_000_000 })).toThrow(
    'ua-edrpou: serial must be an integer from 0 to 9999999, got 10000000',
  )
})

test('has a valid example', () => {
  expect(validate(uaEdrpou.example)).toEqual({ valid: true })
})
