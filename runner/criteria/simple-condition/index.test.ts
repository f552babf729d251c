import fc from 'fast-check'
import { expect, test } from 'vitest'
import type { ExpressionContext } from '../../expressions/index.ts'
import {
  compare,
  evaluateCondition,
  expressionsOf,
  parseCondition,
  type Condition,
} from './index.ts'

const ctx: ExpressionContext = {
  statusCode: 404,
  response: {
    headers: { 'Content-Length': '120', 'X-Road-Error': 'Server.ServerProxy.AccessDenied' },
    body: {
      status: 'ACTIVE',
      count: 3,
      total: '15',
      person: { name: 'Mari', unzr: null },
      items: [{ id: 7 }, { id: 9 }],
      verified: true,
      flag: 'TRUE',
    },
  },
  inputs: { year: 2024, name: 'mari', threshold: '10' },
  steps: { first: { outputs: { ids: [7, 9] } } },
}

const parse = (text: string): Condition => {
  const r = parseCondition(text)
  if (!r.ok) throw new Error(r.message)
  return r.condition
}

const parseError = (text: string) => {
  const r = parseCondition(text)
  if (r.ok) throw new Error(`expected ${text} not to parse`)
  return r
}

const run = (text: string, context: ExpressionContext = ctx) =>
  evaluateCondition(parse(text), text, context)

const holds = (text: string) => run(text).ok

test('parses literals of every kind', () => {
  expect(parse('1.5e2')).toMatchObject({ kind: 'literal', value: 150 })
  expect(parse('-3')).toMatchObject({ kind: 'literal', value: -3 })
  expect(parse("'it''s'")).toMatchObject({ kind: 'literal', value: "it's" })
  expect(parse('true')).toMatchObject({ kind: 'literal', value: true })
  expect(parse('false')).toMatchObject({ kind: 'literal', value: false })
  expect(parse('null')).toMatchObject({ kind: 'literal', value: null })
})

test('parses a comparison with the offsets of its operands', () => {
  expect(parse('$statusCode == 200')).toMatchObject({
    kind: 'compare',
    operator: '==',
    left: { kind: 'expression', start: 0, end: 11 },
    right: { kind: 'literal', value: 200, start: 15, end: 18 },
  })
})

test('parses expressions written without spaces around operators', () => {
  expect(parse('$statusCode!=200&&$inputs.year>=2000')).toMatchObject({
    kind: 'and',
    left: { kind: 'compare', operator: '!=' },
    right: { kind: 'compare', operator: '>=' },
  })
})

test('gives && precedence over ||', () => {
  expect(parse('true || false && false')).toMatchObject({
    kind: 'or',
    left: { kind: 'literal', value: true },
    right: { kind: 'and' },
  })
})

test('lets parentheses override precedence', () => {
  expect(parse('(true || false) && false')).toMatchObject({
    kind: 'and',
    left: { kind: 'or', start: 0, end: 15 },
  })
})

test('binds ! tighter than a comparison', () => {
  expect(parse('!$response.body#/verified == false')).toMatchObject({
    kind: 'compare',
    left: { kind: 'not' },
  })
})

test('parses index and property accessors after an expression', () => {
  expect(parse('$response.body.items[1].id == 9')).toMatchObject({
    left: {
      expression: { kind: 'response.body', path: [{ key: 'items' }, { key: 1 }, { key: 'id' }] },
    },
  })
})

test('rejects a single = with a hint', () => {
  expect(parseError('$statusCode = 200')).toEqual({
    ok: false,
    message: 'unexpected "=" at offset 12; compare with ==',
    offset: 12,
  })
})

test('rejects single & and | with hints', () => {
  expect(parseError('true & false').message).toContain('use && for "and"')
  expect(parseError('true | false').message).toContain('use || for "or"')
})

test('rejects chained comparisons', () => {
  expect(parseError('1 < 2 < 3')).toMatchObject({
    message: 'unexpected < at offset 6; comparisons cannot be chained; join them with && or ||',
    offset: 6,
  })
})

test('rejects double-quoted strings and bare words', () => {
  expect(parseError('$inputs.name == "mari"').message).toBe(
    "strings use single quotes at offset 16; write 'mari'",
  )
  expect(parseError('$inputs.name == mari')).toMatchObject({ offset: 16 })
  expect(parseError('TRUE').message).toContain('write true in lower case')
})

test('rejects an unterminated string', () => {
  expect(parseError("$inputs.name == 'mari")).toMatchObject({ offset: 16 })
})

test('rejects unbalanced parentheses', () => {
  expect(parseError('($statusCode == 200').message).toBe(
    'expected ")" to close "(" from offset 0, found the end of the condition at offset 19',
  )
  expect(parseError('$statusCode == 200)').message).toBe('unmatched ")" at offset 18')
})

test('rejects a missing operand', () => {
  expect(parseError('$statusCode ==')).toMatchObject({ offset: 14 })
  expect(parseError('&& true')).toMatchObject({ offset: 0 })
  expect(parseError('   ').message).toBe('empty condition at offset 0')
})

test('reports a malformed runtime expression at its offset in the condition', () => {
  expect(parseError('$statusCode == 200 && $respons.body == 1')).toEqual({
    ok: false,
    message: 'unknown expression root "$respons" at offset 22; did you mean $response?',
    offset: 22,
  })
  expect(parseError('1 == $steps.a.result').offset).toBe(13)
})

test('rejects nesting too deep to be a real condition instead of overflowing the stack', () => {
  expect(parseError('('.repeat(500) + 'true' + ')'.repeat(500)).message).toContain('nesting deeper')
  expect(parseError('!'.repeat(500) + 'true').message).toContain('nesting deeper')
})

test('lists the expressions a condition reads', () => {
  expect(
    expressionsOf(parse('$statusCode == 200 && !($inputs.a > $steps.s.outputs.b)')).map(
      (e) => e.text,
    ),
  ).toEqual(['$statusCode', '$inputs.a', '$steps.s.outputs.b'])
})

test('holds when the status code matches', () => {
  expect(holds('$statusCode == 404')).toBe(true)
})

test('says what was expected and what was found', () => {
  expect(run('$statusCode == 200')).toEqual({
    ok: false,
    reason: 'unmet',
    message: '$statusCode == 200 failed: $statusCode is 404',
  })
})

test('lists every value a failing compound condition read', () => {
  expect(run("$statusCode == 404 && $response.body#/status == 'closed'")).toMatchObject({
    message:
      "$statusCode == 404 && $response.body#/status == 'closed' failed: $statusCode is 404, $response.body#/status is 'ACTIVE'",
  })
})

test('compares strings case-insensitively', () => {
  expect(holds("$response.body#/status == 'active'")).toBe(true)
  expect(holds('$response.body#/person/name == $inputs.name')).toBe(true)
  expect(holds("$response.body#/status != 'Active'")).toBe(false)
  expect(holds("'abc' < 'ABD'")).toBe(true)
})

test('compares numbers numerically, coercing numeric strings', () => {
  expect(holds('$response.body#/count > 2')).toBe(true)
  expect(holds('$response.body#/count <= 2')).toBe(false)
  expect(holds('$response.header.Content-Length > 100')).toBe(true)
  expect(holds('$response.body#/total == 15')).toBe(true)
  expect(holds('$response.body#/total > $inputs.threshold')).toBe(true)
  expect(holds("'9' < '10'")).toBe(true)
})

test('does not coerce non-numeric strings to numbers', () => {
  expect(holds('$response.body#/status == 0')).toBe(false)
  expect(holds('$response.body#/status > 0')).toBe(false)
  expect(holds('$response.body#/status < 0')).toBe(false)
})

test('treats null as equal only to null', () => {
  expect(holds('$response.body#/person/unzr == null')).toBe(true)
  expect(holds('$response.body#/person/name != null')).toBe(true)
  expect(holds('$response.body#/count == null')).toBe(false)
  expect(holds('null == 0')).toBe(false)
  expect(holds("null == ''")).toBe(false)
  expect(holds('null < 1')).toBe(false)
})

test('treats a missing value as null and says it was missing', () => {
  expect(holds('$response.body#/person/code == null')).toBe(true)
  expect(holds('$response.header.X-Missing == null')).toBe(true)
  expect(run('$response.body#/person/code != null')).toEqual({
    ok: false,
    reason: 'unmet',
    message:
      '$response.body#/person/code != null failed: $response.body#/person/code has no value (no value at /person/code)',
  })
})

test('compares booleans, also with boolean strings', () => {
  expect(holds('$response.body#/verified == true')).toBe(true)
  expect(holds('$response.body#/flag == true')).toBe(true)
  expect(holds('$response.body#/verified == 1')).toBe(false)
})

test('compares arrays and objects structurally', () => {
  expect(holds('$steps.first.outputs.ids == $steps.first.outputs.ids')).toBe(true)
  expect(holds('$response.body#/items/0 == $response.body#/items/1')).toBe(false)
})

test('evaluates ! && || and parentheses', () => {
  expect(holds('!($statusCode == 200)')).toBe(true)
  expect(holds('$statusCode == 200 || $statusCode == 404')).toBe(true)
  expect(holds('$statusCode == 404 && !$response.body#/verified')).toBe(false)
  expect(holds('($statusCode == 200 || $statusCode == 404) && $inputs.year == 2024')).toBe(true)
  expect(holds('$statusCode == 200 || $statusCode == 404 && false')).toBe(false)
})

test('uses a boolean value on its own as the condition', () => {
  expect(holds('$response.body#/verified')).toBe(true)
  expect(holds('$response.body#/flag')).toBe(true)
  expect(run('$response.body#/person/unzr')).toMatchObject({ ok: false, reason: 'unmet' })
})

test('short-circuits so the right side is not read when the left decides', () => {
  expect(holds('$statusCode == 404 || $steps.later.outputs.x == 1')).toBe(true)
  expect(run('$statusCode == 200 && $steps.later.outputs.x == 1')).toEqual({
    ok: false,
    reason: 'unmet',
    message: '$statusCode == 200 && $steps.later.outputs.x == 1 failed: $statusCode is 404',
  })
})

test('reports an expression that cannot be evaluated as an error, not a failed check', () => {
  expect(run('$steps.later.outputs.x == 1')).toEqual({
    ok: false,
    reason: 'error',
    message:
      '$steps.later.outputs.x == 1 could not be evaluated: $steps.later.outputs.x: step "later" has not run',
  })
})

test('reports a non-boolean operand of a logical operator as an error', () => {
  expect(run('$response.body#/count && true')).toEqual({
    ok: false,
    reason: 'error',
    message:
      '$response.body#/count && true could not be evaluated: $response.body#/count is 3, not true or false',
  })
  expect(run("!'yes'")).toMatchObject({ reason: 'error' })
})

test('fails a condition that is literally false without listing values', () => {
  expect(run('1 == 2')).toEqual({ ok: false, reason: 'unmet', message: '1 == 2 failed' })
})

test('compares with every operator', () => {
  const cases: Array<[Parameters<typeof compare>[0], unknown, unknown, boolean]> = [
    ['<', 1, 2, true],
    ['<=', 2, 2, true],
    ['>', 2, 1, true],
    ['>=', 1, 2, false],
    ['==', 'A', 'a', true],
    ['!=', 'A', 'b', true],
    ['<', true, false, false],
    ['==', [1, 'A'], [1, 'a'], true],
    ['==', { a: 1 }, { a: 1, b: 2 }, false],
  ]
  for (const [op, a, b, expected] of cases)
    expect(compare(op, a, b), `${a} ${op} ${b}`).toBe(expected)
})

test('never throws on arbitrary text', () => {
  const pieces = fc.constantFrom(
    '$statusCode',
    '$response.body#/a',
    '$inputs.x[0]',
    '$respons',
    '$',
    ' ',
    '==',
    '=',
    '!',
    '&&',
    '&',
    '||',
    '(',
    ')',
    "'",
    "''",
    '"',
    '1',
    '-',
    '.5',
    'true',
    'null',
    'word',
    '<',
    '>=',
  )
  const text = fc.oneof(
    fc.string({ unit: 'binary' }),
    fc.array(pieces, { maxLength: 16 }).map((p) => p.join('')),
  )
  fc.assert(
    fc.property(text, (t) => {
      const r = parseCondition(t)
      if (r.ok) evaluateCondition(r.condition, t, ctx)
      else expect(r.offset).toBeGreaterThanOrEqual(0)
    }),
    { seed: 42, numRuns: 500 },
  )
})
