import { expect, test } from 'vitest'
import { MAX_LENGTH, remember } from './remember.ts'

test('answers a repeated input from memory, without working it out again', () => {
  const seen: string[] = []
  const length = remember((text) => {
    seen.push(text)
    return text.length
  })
  expect([length('abc'), length('abc'), length('de'), length('abc')]).toEqual([3, 3, 2, 3])
  expect(seen).toEqual(['abc', 'de'])
})

test('forgets everything past its limit, so that any number of inputs keeps memory bounded', () => {
  const seen: string[] = []
  const upper = remember((text) => {
    seen.push(text)
    return text.toUpperCase()
  }, 2)
  for (const text of ['a', 'b', 'a', 'c', 'a']) upper(text)
  // 'c' came third: the memory of 'a' and 'b' was dropped, so 'a' is worked out again.
  expect(seen).toEqual(['a', 'b', 'c', 'a'])
})

test('remembers an undefined answer too', () => {
  let calls = 0
  const nothing = remember(() => {
    calls++
    return undefined
  })
  nothing('x')
  nothing('x')
  expect(calls).toBe(1)
})

test('works out a long input every time rather than keeping it', () => {
  let calls = 0
  const size = remember((text) => {
    calls++
    return text.length
  })
  const long = 'x'.repeat(MAX_LENGTH + 1)
  expect([size(long), size(long)]).toEqual([MAX_LENGTH + 1, MAX_LENGTH + 1])
  expect(calls).toBe(2)
})
