import fc from 'fast-check'
import { expect, test } from 'vitest'
import { percentDecodeSegment, percentEncodeSegment } from './percent-encoding.ts'

test('decodes percent-encoded UTF-8', () => {
  expect(percentDecodeSegment('%C3%B6%C3%A4%C3%A5')).toEqual({ ok: true, value: 'öäå' })
  expect(percentDecodeSegment('BAR%2fSERVICE')).toEqual({ ok: true, value: 'BAR/SERVICE' })
})

test('rejects characters that are not allowed unencoded in a path segment', () => {
  for (const raw of ['7000 6317', '<script>', 'a/b', 'a"b', 'ä']) {
    expect(percentDecodeSegment(raw)).toEqual({
      ok: false,
      error: 'Invalid character in path segment',
    })
  }
})

test('rejects incomplete and invalid escapes with X-Road messages', () => {
  expect(percentDecodeSegment('ab%4')).toEqual({ ok: false, error: 'Incomplete percent encoding' })
  expect(percentDecodeSegment('%')).toEqual({ ok: false, error: 'Incomplete percent encoding' })
  expect(percentDecodeSegment('%zz')).toEqual({ ok: false, error: 'Invalid percent encoding' })
})

test('rejects escapes that are not UTF-8', () => {
  expect(percentDecodeSegment('%C3')).toEqual({
    ok: false,
    error: 'Invalid UTF-8 in percent encoding',
  })
})

test('keeps a leading byte-order mark instead of dropping it', () => {
  expect(percentDecodeSegment('%EF%BB%BFx')).toEqual({ ok: true, value: '\uFEFFx' })
})

test('encodes like a URI path-segment escaper', () => {
  expect(percentEncodeSegment('BAR/SERVICE')).toBe('BAR%2FSERVICE')
  expect(percentEncodeSegment("a b?c%ö'()+,=")).toBe("a%20b%3Fc%25%C3%B6'()+,=")
})

test('decoding undoes encoding for any string', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme' }), (s) => {
      expect(percentDecodeSegment(percentEncodeSegment(s))).toEqual({ ok: true, value: s })
    }),
    { seed: 42, numRuns: 500 },
  )
})
