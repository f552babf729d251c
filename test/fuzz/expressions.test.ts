import fc from 'fast-check'
import { expect, test } from 'vitest'
import { evaluateCriterion, type Criterion } from '../../runner/criteria/index.ts'
import {
  evaluate,
  parseExpression,
  resolveValue,
  type ExpressionContext,
} from '../../runner/expressions/index.ts'
import { SEED } from './mutate.ts'

// The parsers' own tests prove that any text parses or is refused. These prove the other half:
// a well-formed expression or criterion, evaluated against whatever a partner answered (any JSON,
// any headers, any status), yields a value or a reasoned failure, and never throws.

const EXPRESSIONS = [
  '$url',
  '$method',
  '$statusCode',
  '$request.header.Authorization',
  '$request.query.q',
  '$request.path.code',
  '$request.body',
  '$request.body#/a/0',
  '$response.header.X-Road-Error',
  '$response.header.content-type',
  '$response.body',
  '$response.body#/a',
  '$response.body#/a/0/b',
  '$response.body#/a~1b/~0c',
  '$response.body#/__proto__/polluted',
  '$response.body#/constructor/prototype',
  '$response.body#/-',
  '$response.body#/999999999999',
  '$inputs.code',
  '$inputs.code.length',
  '$inputs.code[0]',
  '$inputs.code#/x',
  '$outputs.name',
  '$steps.s1.outputs.name',
  '$steps.s1.outputs.name[3].x',
  '$workflows.w.inputs.code',
  '$workflows.w.outputs.name',
  '$components.parameters.p',
]

/** Anything JSON can carry, with the keys that break naive object walks. */
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.double(),
    fc.integer(),
    fc.string(),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.oneof(fc.string(), fc.constantFrom('a', 'a/b', '~c', '__proto__', 'constructor', '0')),
      tie('value'),
      { maxKeys: 4 },
    ),
  ),
})).value

const headerBag = fc.dictionary(
  fc.constantFrom('x-road-error', 'content-type', 'authorization', 'x-a'),
  fc.string({ maxLength: 20 }),
)

const context: fc.Arbitrary<ExpressionContext> = fc.record({
  url: fc.option(fc.webUrl(), { nil: undefined }),
  method: fc.option(fc.constantFrom('GET', 'POST'), { nil: undefined }),
  statusCode: fc.option(fc.integer({ min: -1, max: 1000 }), { nil: undefined }),
  request: fc.option(
    fc.record({
      headers: headerBag,
      path: fc.dictionary(fc.constantFrom('code'), fc.string()),
      body: json,
    }),
    { nil: undefined },
  ),
  response: fc.option(fc.record({ headers: headerBag, body: json }), { nil: undefined }),
  inputs: fc.dictionary(fc.constantFrom('code', 'name'), json),
  outputs: fc.dictionary(fc.constantFrom('name'), json),
  steps: fc.dictionary(
    fc.constantFrom('s1', 's2'),
    fc.record({ outputs: fc.dictionary(fc.constantFrom('name'), json) }),
  ),
  workflows: fc.dictionary(
    fc.constantFrom('w'),
    fc.record({ inputs: fc.dictionary(fc.constantFrom('code'), json) }),
  ),
  components: fc.constant({ parameters: { p: { name: 'p', in: 'query', value: 1 } } }),
})

test('evaluating any expression against any partner answer gives a value or a reason', () => {
  const parsed = EXPRESSIONS.map((text) => {
    const r = parseExpression(text)
    if (!r.ok) throw new Error(`${text} does not parse: ${r.message}`)
    return r.expression
  })
  fc.assert(
    fc.property(context, (ctx) => {
      for (const expression of parsed) {
        const r = evaluate(expression, ctx)
        if (!r.ok) expect(r.message.startsWith(expression.text)).toBe(true)
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    }),
    { seed: SEED, numRuns: 500 },
  )
})

test('resolving a template of expressions against any answer never throws', () => {
  const template = fc.oneof(
    fc.constantFrom(...EXPRESSIONS),
    fc.constantFrom(...EXPRESSIONS).map((e) => `id-{${e}}-{${e}}`),
    fc.constantFrom('{$', '{$inputs.code', '{}', '{$statusCode}}'),
  )
  const payload = fc.oneof(
    template,
    fc.array(template, { maxLength: 3 }),
    fc.dictionary(fc.string(), template),
  )
  fc.assert(
    fc.property(payload, context, (value, ctx) => {
      const r = resolveValue(value, ctx)
      if (!r.ok) expect(typeof r.message).toBe('string')
    }),
    { seed: SEED, numRuns: 500 },
  )
})

test('every kind of criterion against any answer holds, is unmet, or errs with a message', () => {
  const criterion: fc.Arbitrary<Criterion> = fc.oneof(
    fc.record({
      condition: fc.constantFrom(
        '$statusCode == 200',
        "$response.body#/a == 'x' && $response.header.X-Road-Error != null",
        '!($response.body#/a/0 >= 3) || $inputs.code < $steps.s1.outputs.name',
        '$response.body',
        '$response.body#/a[0]',
      ),
    }),
    fc.record({
      context: fc.constantFrom('$response.body', '$response.header.content-type', '$inputs.code'),
      condition: fc.constantFrom('^\\d+$', '(a+)+$', 'x{$inputs.code}', '[', ''),
      type: fc.constant('regex' as const),
    }),
    fc.record({
      context: fc.constantFrom('$response.body', '$request.body'),
      condition: fc.constantFrom(
        '$.a',
        '$..b',
        '$[?@.a == 1]',
        '$[?length(@) > 2]',
        '$[?match(@.a, "[")]',
        '$.a[-1:0:-1]',
        '$[',
      ),
      type: fc.constantFrom('jsonpath' as const, {
        type: 'jsonpath' as const,
        version: 'draft-goessner-dispatch-jsonpath-00',
      }),
    }),
  )
  fc.assert(
    fc.property(criterion, context, (c, ctx) => {
      const r = evaluateCriterion(c, ctx)
      if (!r.ok) expect(r.message).not.toBe('')
    }),
    { seed: SEED, numRuns: 800 },
  )
})
