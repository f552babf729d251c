import { expect, test } from 'vitest'
import { parseSource, pointerToPath, SildInputError } from './index.ts'

const text = `a:
  b:
    - x: 1
    - y: "two"
c: [1, 2]
`

test('locates a nested value by path and by JSON pointer', () => {
  const src = parseSource(text, 'f.yaml')
  expect(src.locate(['a', 'b', 1, 'y'])).toEqual({ file: 'f.yaml', line: 4, column: 7 })
  expect(src.locate('/a/b/0/x')).toEqual({ file: 'f.yaml', line: 3, column: 7 })
})

test('falls back to the nearest existing ancestor for a missing key', () => {
  const src = parseSource(text, 'f.yaml')
  expect(src.locate(['a', 'b', 0, 'missing']).line).toBe(3)
})

test('reports a YAML syntax error with its line and column', () => {
  try {
    parseSource('a: [1, 2\nb: 3\n', 'bad.yaml')
    expect.unreachable()
  } catch (error) {
    expect(error).toBeInstanceOf(SildInputError)
    const e = error as SildInputError
    expect(e.location?.file).toBe('bad.yaml')
    expect(e.format()).toMatch(/^bad\.yaml:\d+:\d+: YAML syntax error/)
  }
})

test('rejects duplicate keys as a syntax error', () => {
  expect(() => parseSource('a: 1\na: 2\n', 'dup.yaml')).toThrow(/YAML syntax error/)
})

test('decodes JSON pointer escapes', () => {
  expect(pointerToPath('/paths/~1persons~1{code}/get')).toEqual(['paths', '/persons/{code}', 'get'])
})
