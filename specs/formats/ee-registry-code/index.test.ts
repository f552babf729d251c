import fc from 'fast-check'
import { expect, test } from 'vitest'
import { estonianCheckDigit, stdnumValidator } from '../internal/index.ts'
import { decodeEeRegistryCode, eeRegistryCode } from './index.ts'

const { validate, generate } = eeRegistryCode
const stdnumRegistrikood = stdnumValidator('EE', 'registrikood')

const otherCheckDigits = (code: string): string[] =>
  '0123456789'
    .split('')
    .filter((d) => d !== code.at(-1))
    .map((d) => code.slice(0, -1) + d)

// Registry codes of Estonian state agencies: SMIT, RIK, the Police and Border Guard Board, the Tax
// and Customs Board, and 70006317.
const PUBLISHED = ['70008440', '70000310', '70008747', '70000349', '70006317']

test.each(PUBLISHED)('accepts the agency registry code %s', (code) => {
  expect(validate(code)).toEqual({ valid: true })
  expect(decodeEeRegistryCode(code)).toEqual({ kind: 'state-body' })
})

test.each([...PUBLISHED, '16554321', '80001232', '10765436'])(
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
  expect(validate('7000844')).toEqual({
    valid: false,
    reason: 'must be 8 digits (got 7 characters)',
  })
  expect(validate('700084400')).toEqual({
    valid: false,
    reason: 'must be 8 digits (got 9 characters)',
  })
  expect(validate('7000-844')).toEqual({
    valid: false,
    reason: 'must be 8 digits (character 5 is "-")',
  })
  expect(validate('EE700084')).toEqual({
    valid: false,
    reason: 'must be 8 digits (character 1 is "E")',
  })
})

test.each(['0', '2', '3', '4', '5', '6'])(
  'rejects first digit %s, which names no register, even with a matching check digit',
  (digit) => {
    const front = `${digit}000844`
    expect(validate(`${front}${estonianCheckDigit(front)}`)).toEqual({
      valid: false,
      reason: `first digit ${digit} is not a registry (1 company, 7 state body, 8 non-profit, 9 foundation)`,
    })
  },
)

test.each([
  ['company', '1'],
  ['state-body', '7'],
  ['non-profit', '8'],
  ['foundation', '9'],
] as const)('generates a %s code starting with %s', (kind, digit) => {
  const code = generate({ kind, serial: 65432 })
  expect(code).toMatch(new RegExp(`^${digit}065432\\d$`))
  expect(validate(code)).toEqual({ valid: true })
  expect(decodeEeRegistryCode(code)).toEqual({ kind })
})

test('regenerates the published agency codes from their parts', () => {
  expect(generate({ kind: 'state-body', serial: 844 })).toBe('70008440')
  expect(generate({ kind: 'state-body', serial: 31 })).toBe('70000310')
})

test('generates codes that validate for every kind and a range of serials', () => {
  const input = fc.record({
    kind: fc.constantFrom(
      'company' as const,
      'state-body' as const,
      'non-profit' as const,
      'foundation' as const,
    ),
    serial: fc.integer({ min: 0, max: 999_999 }),
  })
  fc.assert(
    fc.property(input, (i) => {
      const code = generate(i)
      expect(validate(code)).toEqual({ valid: true })
      expect(decodeEeRegistryCode(code)).toEqual({ kind: i.kind })
    }),
    { seed: 20250201, numRuns: 500 },
  )
})

test('agrees with stdnum on the check digit of any eight digits', () => {
  fc.assert(
    fc.property(fc.stringMatching(/^[1789]\d{7}$/), (code) => {
      const ours = String(estonianCheckDigit(code.slice(0, 7))) === code[7]
      expect(stdnumRegistrikood.validate(code).isValid).toBe(ours)
    }),
    { seed: 20250202, numRuns: 2000 },
  )
})

test('decodes nothing from an invalid code', () => {
  expect(decodeEeRegistryCode('70008441')).toBeUndefined()
  expect(decodeEeRegistryCode('20008440')).toBeUndefined()
})

test('refuses to generate an unknown kind or an out-of-range serial', () => {
  expect(() => generate({ kind: 'bank' as 'company', serial: 1 })).toThrow(
    'ee-registry-code: kind must be one of company, state-body, non-profit, foundation, got "bank"',
  )
  expect(() => generate({ kind: 'company', serial: 1_000_000 })).toThrow(RangeError)
  expect(() => generate({ kind: 'company', serial: 1.5 })).toThrow(RangeError)
})

test('has a valid example', () => {
  expect(validate(eeRegistryCode.example)).toEqual({ valid: true })
})
