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

test('reports an alias without its anchor at the alias instead of throwing', () => {
  expect(() => parseSource('a: 1\nb: *nowhere\n', 'x.yaml')).toThrow(
    expect.objectContaining({
      name: 'SildInputError',
      location: { file: 'x.yaml', line: 2, column: 4 },
      message: expect.stringMatching(/^YAML alias error: .*anchor/),
    }),
  )
})

test('refuses aliases that would expand without bound', () => {
  const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]']
  for (const name of 'bcdefghi')
    bomb.push(
      `${name}: &${name} [${Array(10)
        .fill(`*${String.fromCharCode(name.charCodeAt(0) - 1)}`)
        .join(', ')}]`,
    )
  expect(() => parseSource(bomb.join('\n'), 'bomb.yaml')).toThrow(
    expect.objectContaining({ name: 'SildInputError', message: expect.stringMatching(/alias/i) }),
  )
})

test('shows control characters of a file escaped, so a message cannot drive the terminal', () => {
  const error = new SildInputError('unknown property "\u001b[2J\u0000x"', undefined, 'tab\there')
  expect(error.format()).toBe('unknown property "\\u001b[2J\\u0000x"\n  tab\there')
})
