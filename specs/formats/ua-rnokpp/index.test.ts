import fc from 'fast-check'
import { expect, test } from 'vitest'
import { stdnumValidator } from '../internal/index.ts'
import { decodeUaRnokpp, rnokppCheckDigit, uaRnokpp } from './index.ts'

const { validate, generate } = uaRnokpp
const stdnumRntrc = stdnumValidator('UA', 'rntrc')

const otherCheckDigits = (code: string): string[] =>
  '0123456789'
    .split('')
    .filter((d) => d !== code.at(-1))
    .map((d) => code.slice(0, -1) + d)

test('accepts the example from stdnum and decodes it', () => {
  expect(validate('1759013776')).toEqual({ valid: true })
  expect(decodeUaRnokpp('1759013776')).toEqual({ birthDate: '1948-02-28', sex: 'M' })
})

test('rejects the counter-example from stdnum for its check digit', () => {
  expect(validate('1759013770')).toEqual({
    valid: false,
    reason: 'check digit 0 does not match (expected 6)',
  })
})

test.each(['1759013776', '3294510725', '3122911413', '3711718429', '0000100004'])(
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

test('rejects wrong lengths and non-digits', () => {
  expect(validate('175901377')).toEqual({
    valid: false,
    reason: 'must be 10 digits (got 9 characters)',
  })
  expect(validate('17590137760')).toEqual({
    valid: false,
    reason: 'must be 10 digits (got 11 characters)',
  })
  expect(validate('17590-1377')).toEqual({
    valid: false,
    reason: 'must be 10 digits (character 6 is "-")',
  })
  expect(validate('АБ12345678')).toEqual({
    valid: false,
    reason: 'must be 10 digits (character 1 is "А")',
  })
})

test('rejects 00000 as a day count, which stdnum accepts', () => {
  const code = `000001234${rnokppCheckDigit('000001234')}`
  expect(stdnumRntrc.validate(code).isValid).toBe(true)
  expect(validate(code)).toEqual({
    valid: false,
    reason: 'first 5 digits 00000 are no birth date (days since 1899-12-31 start at 1)',
  })
})

test('counts days from 1899-12-31, so day 1 is 1900-01-01 and day 99999 is 2173-10-14', () => {
  expect(decodeUaRnokpp('0000100004')).toEqual({ birthDate: '1900-01-01', sex: 'F' })
  const last = generate({ birthDate: '2173-10-14', sex: 'M', serial: 0 })
  expect(last.slice(0, 5)).toBe('99999')
  expect(decodeUaRnokpp(last)).toEqual({ birthDate: '2173-10-14', sex: 'M' })
})

test('reads sex from the parity of the 9th digit', () => {
  expect(decodeUaRnokpp('3294510725')).toEqual({ birthDate: '1990-03-14', sex: 'F' })
  expect(decodeUaRnokpp('3122911413')).toEqual({ birthDate: '1985-07-02', sex: 'M' })
})

test('puts 2 × serial + 1 for men and 2 × serial for women in digits 6-9', () => {
  expect(generate({ birthDate: '1990-03-14', sex: 'F', serial: 536 }).slice(5, 9)).toBe('1072')
  expect(generate({ birthDate: '1990-03-14', sex: 'M', serial: 536 }).slice(5, 9)).toBe('1073')
  expect(generate({ birthDate: '1990-03-14', sex: 'F', serial: 536 })).toBe('3294510725')
})

test('computes the check digit when the weighted sum is negative', () => {
  // -9 + 0 + … = -9, which is 2 modulo 11.
  expect(rnokppCheckDigit('900000000')).toBe(2)
  expect(validate('9000000002')).toEqual({ valid: true })
})

test('generates codes that validate and decode back to their input', () => {
  const input = fc.record({
    birthDate: fc
      .date({
        min: new Date('1900-01-01T00:00:00Z'),
        max: new Date('2173-10-14T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString().slice(0, 10)),
    sex: fc.constantFrom('M' as const, 'F' as const),
    serial: fc.integer({ min: 0, max: 4999 }),
  })
  fc.assert(
    fc.property(input, (i) => {
      const code = generate(i)
      expect(validate(code)).toEqual({ valid: true })
      expect(decodeUaRnokpp(code)).toEqual({ birthDate: i.birthDate, sex: i.sex })
    }),
    { seed: 20250301, numRuns: 500 },
  )
})

test('agrees with stdnum on the check digit of any ten digits', () => {
  fc.assert(
    fc.property(fc.stringMatching(/^\d{10}$/), (code) => {
      const ours = String(rnokppCheckDigit(code.slice(0, 9))) === code[9]
      expect(stdnumRntrc.validate(code).isValid).toBe(ours)
    }),
    { seed: 20250302, numRuns: 2000 },
  )
})

test('decodes nothing from an invalid code', () => {
  expect(decodeUaRnokpp('1759013770')).toBeUndefined()
})

test('refuses to generate a birth date outside the five-digit day count', () => {
  expect(() => generate({ birthDate: '1899-12-31', sex: 'M', serial: 0 })).toThrow(
    'ua-rnokpp: birthDate 1899-12-31 is outside 1900-01-01 to 2173-10-14',
  )
  expect(() => generate({ birthDate: '2173-10-15', sex: 'M', serial: 0 })).toThrow(RangeError)
  expect(() => generate({ birthDate: '1990-01-01', sex: 'F', serial: 5000 })).toThrow(RangeError)
  expect(() => generate({ birthDate: '1990-13-01', sex: 'F', serial: 1 })).toThrow(RangeError)
})

test('has a valid example', () => {
  expect(validate(uaRnokpp.example)).toEqual({ valid: true })
})
