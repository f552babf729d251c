import fc from 'fast-check'
import { expect, test } from 'vitest'
import { parseJsonPath, queryJsonPath } from './index.ts'

const store = {
  store: {
    book: [
      { category: 'reference', author: 'Nigel Rees', title: 'Sayings of the Century', price: 8.95 },
      { category: 'fiction', author: 'Evelyn Waugh', title: 'Sword of Honour', price: 12.99 },
      {
        category: 'fiction',
        author: 'Herman Melville',
        title: 'Moby Dick',
        isbn: '0-553-21311-3',
        price: 8.99,
      },
      {
        category: 'fiction',
        author: 'J. R. R. Tolkien',
        title: 'The Lord of the Rings',
        isbn: '0-395-19395-8',
        price: 22.99,
      },
    ],
    bicycle: { color: 'red', price: 399 },
  },
}

const query = (path: string, value: unknown = store): unknown[] => {
  const r = parseJsonPath(path)
  if (!r.ok) throw new Error(r.message)
  return queryJsonPath(r.query, value)
}

const parseError = (path: string) => {
  const r = parseJsonPath(path)
  if (r.ok) throw new Error(`expected ${path} not to parse`)
  return r
}

test('selects the root itself', () => {
  expect(query('$', 5)).toEqual([5])
})

test('selects members by shorthand and by quoted name', () => {
  expect(query('$.store.bicycle.color')).toEqual(['red'])
  expect(query("$['store']['bicycle'][\"price\"]")).toEqual([399])
  expect(query("$['a.b']", { 'a.b': 1, a: { b: 2 } })).toEqual([1])
})

test('decodes escapes in quoted names', () => {
  expect(query("$['it\\'s']", { "it's": 1 })).toEqual([1])
  expect(query('$["\\u00e9\\n"]', { 'é\n': 2 })).toEqual([2])
  expect(query('$["\\ud83d\\ude00"]', { '😀': 3 })).toEqual([3])
})

test('selects array elements by positive and negative index', () => {
  expect(query('$.store.book[0].author')).toEqual(['Nigel Rees'])
  expect(query('$.store.book[-1].author')).toEqual(['J. R. R. Tolkien'])
  expect(query('$.store.book[4]')).toEqual([])
  expect(query('$.store.bicycle[0]')).toEqual([])
})

test('selects with wildcards on objects and arrays', () => {
  expect(query('$.store.bicycle.*')).toEqual(['red', 399])
  expect(query('$.store.book[*].price')).toEqual([8.95, 12.99, 8.99, 22.99])
})

test('selects slices, including negative steps', () => {
  const a = [0, 1, 2, 3, 4, 5, 6]
  expect(query('$[1:3]', a)).toEqual([1, 2])
  expect(query('$[5:]', a)).toEqual([5, 6])
  expect(query('$[1:5:2]', a)).toEqual([1, 3])
  expect(query('$[5:1:-2]', a)).toEqual([5, 3])
  expect(query('$[::-1]', a)).toEqual([6, 5, 4, 3, 2, 1, 0])
  expect(query('$[-2:]', a)).toEqual([5, 6])
  expect(query('$[0:0]', a)).toEqual([])
  expect(query('$[::0]', a)).toEqual([])
})

test('selects several selectors in one bracket in their order', () => {
  expect(query('$[2, 0, 0]', ['a', 'b', 'c'])).toEqual(['c', 'a', 'a'])
})

test('selects descendants', () => {
  expect(query('$..author')).toHaveLength(4)
  expect(query('$..price')).toEqual([8.95, 12.99, 8.99, 22.99, 399])
  expect(query('$..[0]', { a: [1, [2]] })).toEqual([1, 2])
})

test('filters by comparison', () => {
  expect(query('$.store.book[?@.price < 10].title')).toEqual([
    'Sayings of the Century',
    'Moby Dick',
  ])
  expect(query("$.store.book[?@.category == 'reference'].author")).toEqual(['Nigel Rees'])
})

test('compares strings case-sensitively, as RFC 9535 does', () => {
  expect(query("$.store.book[?@.category == 'FICTION']")).toEqual([])
})

test('filters by existence', () => {
  expect(query('$.store.book[?@.isbn].title')).toEqual(['Moby Dick', 'The Lord of the Rings'])
  expect(query('$.store.book[?!@.isbn].title')).toHaveLength(2)
})

test('existence is true for members whose value is false or null', () => {
  expect(query('$[?@.a]', [{ a: false }, { a: null }, {}])).toEqual([{ a: false }, { a: null }])
})

test('filters with && || ! and parentheses', () => {
  expect(query("$.store.book[?@.price < 10 && @.category == 'fiction'].title")).toEqual([
    'Moby Dick',
  ])
  expect(query('$.store.book[?@.price > 20 || @.price < 9].price')).toEqual([8.95, 8.99, 22.99])
  expect(query('$.store.book[?!(@.price > 10)].price')).toEqual([8.95, 8.99])
})

test('filters comparing with the root', () => {
  expect(query('$.items[?@ > $.min]', { min: 2, items: [1, 2, 3] })).toEqual([3])
})

test('treats a missing value as Nothing, equal only to Nothing', () => {
  const a = [{ x: 1 }, { y: 2 }]
  expect(query('$[?@.x == @.z]', a)).toEqual([{ y: 2 }])
  expect(query('$[?@.x != 1]', a)).toEqual([{ y: 2 }])
  expect(query('$[?@.x < 5]', a)).toEqual([{ x: 1 }])
  expect(query('$[?@.x == null]', [{ x: null }, {}])).toEqual([{ x: null }])
})

test('compares arrays and objects structurally and refuses to order them', () => {
  const a = [{ v: [1, 2] }, { v: { k: 'x' } }, { v: [1] }]
  expect(query('$[?@.v == $[0].v]', a)).toEqual([{ v: [1, 2] }])
  expect(query('$[?@.v == $[1].v]', a)).toEqual([{ v: { k: 'x' } }])
  expect(query('$[?@.v <= $[0].v]', a)).toEqual([{ v: [1, 2] }])
  expect(query('$[?@ < true]', [false, true])).toEqual([])
})

test('orders strings by code point', () => {
  expect(query("$[?@ < 'b']", ['a', 'B', 'c', '\u{1F600}', '\uFFFF'])).toEqual(['a', 'B'])
  expect(query("$[?@ > '\uFFFF']", ['\u{1F600}', '\uFFFF'])).toEqual(['\u{1F600}'])
})

test('applies nested filters', () => {
  const owners = [{ pets: [{ age: 1 }] }, { pets: [{ age: 9 }] }, { pets: [] }]
  expect(query('$[?@.pets[?@.age > 5]]', owners)).toEqual([{ pets: [{ age: 9 }] }])
})

test('counts nodes with count()', () => {
  const owners = [{ pets: [{ n: 1 }, { n: 2 }] }, { pets: [] }, { name: 'x' }]
  expect(query('$[?count(@.pets[*]) > 0]', owners)).toEqual([owners[0]])
  expect(query('$[?count(@.pets) > 0]', owners)).toEqual([owners[0], owners[1]])
})

test('measures strings, arrays and objects with length()', () => {
  const a = ['abc', 'é😀', [1, 2], { a: 1 }, 5]
  expect(query('$[?length(@) == 2]', a)).toEqual(['é😀', [1, 2]])
  expect(query('$[?length(@) == 1]', a)).toEqual([{ a: 1 }])
  expect(query('$[?length(@) >= 0]', a)).toHaveLength(4)
})

test('matches whole strings with match() and substrings with search()', () => {
  const a = ['2024-01-01', 'x2024-01-01', 'abc']
  expect(query("$[?match(@, '\\\\d{4}-\\\\d{2}-\\\\d{2}')]", a)).toEqual(['2024-01-01'])
  expect(query("$[?search(@, '\\\\d{4}')]", a)).toEqual(['2024-01-01', 'x2024-01-01'])
  expect(query("$[?match(@, 'a.c')]", a)).toEqual(['abc'])
})

test('makes . in match() not match a newline, as I-Regexp says', () => {
  expect(query("$[?match(@, 'a.c')]", ['a\nc', 'a\u2028c'])).toEqual(['a\u2028c'])
})

test('makes match() false for non-strings and invalid patterns', () => {
  expect(query("$[?match(@, 'a')]", [1, null, 'a'])).toEqual(['a'])
  expect(query("$[?match(@, '(')]", ['('])).toEqual([])
})

test('reads a single node with value()', () => {
  expect(
    query("$[?value(@..color) == 'red']", [{ a: { color: 'red' } }, { color: 'blue' }]),
  ).toEqual([{ a: { color: 'red' } }])
  expect(query('$[?value(@.*) == 1]', [{ a: 1, b: 1 }, { a: 1 }])).toEqual([{ a: 1 }])
})

test('accepts blank space where RFC 9535 allows it', () => {
  expect(query('$.store .bicycle [ "color" ]')).toEqual(['red'])
  expect(query('$[ ? @ > 1 ]', [1, 2])).toEqual([2])
  expect(query('$[1 : 3]', [0, 1, 2, 3])).toEqual([1, 2])
})

test('accepts a parenthesised filter as Goessner wrote them', () => {
  expect(query('$[?(@ > 1)]', [1, 2])).toEqual([2])
})

test('rejects a query that does not start with $', () => {
  expect(parseError('store.book')).toEqual({
    ok: false,
    message: 'a JSONPath query starts with "$" at offset 0',
    offset: 0,
  })
  expect(parseError(' $.a').offset).toBe(0)
})

test('rejects trailing text and unclosed brackets', () => {
  expect(parseError('$.a b').message).toBe('unexpected " b" at offset 3')
  expect(parseError('$.a[0').message).toBe('unclosed "[" at offset 3')
  expect(parseError('$.a[0 1]').message).toBe('expected "," or "]", found "1]" at offset 6')
})

test('rejects invalid member names and selectors', () => {
  expect(parseError('$.1a').offset).toBe(2)
  expect(parseError('$..').offset).toBe(3)
  expect(parseError('$[%]').message).toContain('expected a selector')
})

test('rejects malformed integers and strings', () => {
  expect(parseError('$[01]').message).toBe('invalid integer 01 at offset 2')
  expect(parseError('$[-0]').message).toBe('invalid integer -0 at offset 2')
  expect(parseError('$[9007199254740992]').message).toContain('out of range')
  expect(parseError("$['abc]").message).toBe('unterminated string at offset 2')
  expect(parseError("$['\\x']").message).toContain('invalid escape')
  expect(parseError('$["\\udc00"]').message).toContain('unpaired low surrogate')
})

test('rejects comparing a non-singular query', () => {
  expect(parseError('$[?@.* == 1]')).toMatchObject({ offset: 3 })
  expect(parseError('$[?@..a == 1]').message).toContain('only a singular query')
})

test('rejects a value function used as a test, and a test function compared', () => {
  expect(parseError('$[?length(@)]').message).toBe(
    'length() returns a value at offset 3; compare it, e.g. length(…) > 0',
  )
  expect(parseError("$[?match(@, 'a') == true]").message).toContain(
    'is a test and cannot be compared',
  )
})

test('rejects a literal used as a test', () => {
  expect(parseError('$[?true]').message).toBe(
    'a literal on its own is not a test at offset 3; compare it with == or another operator',
  )
})

test('rejects unknown functions and wrong arguments', () => {
  expect(parseError('$[?foo(@) == 1]').message).toBe(
    'unknown function foo() at offset 3; use one of length, count, match, search, value',
  )
  expect(parseError('$[?count(1) == 1]').message).toContain('must be a query')
  expect(parseError('$[?length(@.*) == 1]').message).toContain('must be a singular query')
  expect(parseError('$[?match(@) ]').message).toContain('takes 2 arguments, got 1')
  expect(parseError('$[?length(@ == 1) == 1]').message).toContain('not a logical expression')
})

test('rejects a comparison without a right-hand side', () => {
  expect(parseError('$[?@.a ==]')).toMatchObject({ offset: 9 })
})

test('rejects nesting deep enough to overflow the stack', () => {
  expect(parseError('$[?' + '('.repeat(200) + '@' + ')'.repeat(200) + ']').message).toContain(
    'nesting deeper',
  )
})

test('never throws on arbitrary text', () => {
  const pieces = fc.constantFrom(
    '$',
    '@',
    '.',
    '..',
    '[',
    ']',
    '?',
    '*',
    ':',
    ',',
    "'a'",
    '"',
    '\\',
    '0',
    '-1',
    'a',
    '==',
    '<',
    '!',
    '&&',
    '||',
    '(',
    ')',
    'length(',
    'count(',
    'match(',
    'true',
    ' ',
  )
  const text = fc.oneof(
    fc.string({ unit: 'binary' }),
    fc.array(pieces, { maxLength: 16 }).map((p) => p.join('')),
  )
  fc.assert(
    fc.property(text, (t) => {
      const r = parseJsonPath(t)
      if (r.ok) queryJsonPath(r.query, store)
      else expect(r.offset).toBeGreaterThanOrEqual(0)
    }),
    { seed: 42, numRuns: 500 },
  )
})
