import { expect, test } from 'vitest'
import type { ExpressionContext } from '../expressions/index.ts'
import { checkCriterion, evaluateCriterion, referencesOfCriterion } from './index.ts'

const ctx: ExpressionContext = {
  statusCode: 404,
  response: {
    headers: new Headers({ 'X-Road-Error': 'Server.ServerProxy.AccessDenied' }),
    body: {
      owners: [
        { name: 'Mari', pets: [{ name: 'Muri', age: 3 }] },
        { name: 'Olena', pets: [] },
      ],
      person: { unzr: '19900101-00015', status: 'ACTIVE' },
    },
  },
  inputs: { status: 'ACTIVE', minAge: 2, code: '404' },
  steps: { first: { outputs: { id: 'A-1' } } },
}

const GOESSNER = { type: 'jsonpath', version: 'draft-goessner-dispatch-jsonpath-00' } as const

test('holds a simple condition that is true', () => {
  expect(evaluateCriterion({ condition: '$statusCode == 404' }, ctx)).toEqual({ ok: true })
  expect(evaluateCriterion({ condition: '$statusCode == 404', type: 'simple' }, ctx)).toEqual({
    ok: true,
  })
})

test('fails a simple condition with the expected and the found value', () => {
  expect(evaluateCriterion({ condition: '$statusCode == 200' }, ctx)).toEqual({
    ok: false,
    reason: 'unmet',
    message: '$statusCode == 200 failed: $statusCode is 404',
  })
})

test('reports a syntax error in a simple condition at evaluation time', () => {
  expect(evaluateCriterion({ condition: '$statusCode = 200' }, ctx)).toEqual({
    ok: false,
    reason: 'error',
    message: 'invalid condition $statusCode = 200: unexpected "=" at offset 12; compare with ==',
  })
})

test('matches a regex against the context value, stringified', () => {
  expect(
    evaluateCriterion({ context: '$statusCode', condition: '^4\\d\\d$', type: 'regex' }, ctx),
  ).toEqual({ ok: true })
  expect(
    evaluateCriterion(
      { context: '$response.header.x-road-error', condition: '^Server\\.', type: 'regex' },
      ctx,
    ),
  ).toEqual({ ok: true })
})

test('fails a regex with the pattern and the value found', () => {
  expect(
    evaluateCriterion({ context: '$statusCode', condition: '^2\\d\\d$', type: 'regex' }, ctx),
  ).toEqual({
    ok: false,
    reason: 'unmet',
    message: 'regex /^2\\d\\d$/ did not match: $statusCode is 404',
  })
})

test('fails a regex whose context has no value', () => {
  expect(
    evaluateCriterion({ context: '$response.header.X-Other', condition: '.*', type: 'regex' }, ctx),
  ).toEqual({
    ok: false,
    reason: 'unmet',
    message:
      '.* failed: $response.header.X-Other has no value (the response has no X-Other header)',
  })
})

test('substitutes embedded expressions into a regex', () => {
  expect(
    evaluateCriterion(
      { context: '$statusCode', condition: '^{$inputs.code}$', type: 'regex' },
      ctx,
    ),
  ).toEqual({ ok: true })
})

test('holds a JSONPath criterion when the query selects something', () => {
  expect(
    evaluateCriterion(
      { context: '$response.body', condition: '$.owners[?count(@.pets[*]) > 0]', type: 'jsonpath' },
      ctx,
    ),
  ).toEqual({ ok: true })
  expect(
    evaluateCriterion(
      { context: '$response.body#/owners', condition: '$[?count(@.pets) > 0]', type: 'jsonpath' },
      ctx,
    ),
  ).toEqual({ ok: true })
})

test('fails a JSONPath criterion that selects nothing, showing the context value', () => {
  expect(
    evaluateCriterion(
      {
        context: '$response.body#/owners',
        condition: '$[?@.pets[?@.age > 10]]',
        type: 'jsonpath',
      },
      ctx,
    ),
  ).toEqual({
    ok: false,
    reason: 'unmet',
    message:
      'jsonpath $[?@.pets[?@.age > 10]] matched nothing: $response.body#/owners is [{"name":"Mari","pets":[{"name":"Muri","age":3}]},{"name":"Olena","pets":[]}]',
  })
})

test('explains that a root filter tests the members of an object context', () => {
  const r = evaluateCriterion(
    { context: '$response.body#/person', condition: "$[?@.status == 'ACTIVE']", type: 'jsonpath' },
    ctx,
  )
  expect(r).toMatchObject({ ok: false, reason: 'unmet' })
  expect(!r.ok && r.message).toContain(
    'note that $[?…] tests the members of $response.body#/person, not $response.body#/person itself',
  )
})

test('substitutes embedded expressions into a JSONPath condition', () => {
  expect(
    evaluateCriterion(
      {
        context: '$response.body',
        condition: '$.owners[*].pets[?@.age >= {$inputs.minAge}]',
        type: 'jsonpath',
      },
      ctx,
    ),
  ).toEqual({ ok: true })
  expect(
    evaluateCriterion(
      {
        context: '$response.body',
        condition: "$.person[?@ == '{$inputs.status}']",
        type: 'jsonpath',
      },
      ctx,
    ),
  ).toEqual({ ok: true })
})

test('evaluates the Goessner JSONPath variant with jsonpath-plus', () => {
  expect(
    evaluateCriterion(
      { context: '$response.body', condition: '$.owners[?(@.name === "Olena")]', type: GOESSNER },
      ctx,
    ),
  ).toEqual({ ok: true })
  expect(
    evaluateCriterion(
      { context: '$response.body', condition: '$.owners[?(@.name === "Ivan")]', type: GOESSNER },
      ctx,
    ),
  ).toMatchObject({ ok: false, reason: 'unmet' })
})

test('reports an unsupported JSONPath version', () => {
  expect(
    evaluateCriterion(
      { context: '$response.body', condition: '$', type: { type: 'jsonpath', version: 'v2' } },
      ctx,
    ),
  ).toMatchObject({
    ok: false,
    reason: 'error',
    message: expect.stringContaining('draft-goessner'),
  })
})

test('refuses xpath criteria', () => {
  const expected = {
    ok: false,
    reason: 'error',
    message: 'xpath criteria are not supported: Sild exchanges JSON',
  }
  expect(
    evaluateCriterion({ context: '$response.body', condition: '/a', type: 'xpath' }, ctx),
  ).toEqual(expected)
  expect(
    evaluateCriterion(
      { context: '$response.body', condition: '/a', type: { type: 'xpath', version: 'xpath-30' } },
      ctx,
    ),
  ).toEqual(expected)
})

test('reports a context expression that cannot be evaluated as an error', () => {
  expect(
    evaluateCriterion({ context: '$steps.later.outputs.x', condition: 'a', type: 'regex' }, ctx),
  ).toEqual({
    ok: false,
    reason: 'error',
    message: '$steps.later.outputs.x: step "later" has not run',
  })
})

test('checks a valid criterion of each supported type', () => {
  expect(checkCriterion({ condition: '$statusCode == 200 && $response.body#/a != null' })).toEqual({
    ok: true,
  })
  expect(checkCriterion({ context: '$statusCode', condition: '^2\\d\\d$', type: 'regex' })).toEqual(
    {
      ok: true,
    },
  )
  expect(
    checkCriterion({
      context: '$response.body',
      condition: '$[?count(@.pets) > 0]',
      type: 'jsonpath',
    }),
  ).toEqual({ ok: true })
  expect(checkCriterion({ context: '$response.body', condition: '$..x', type: GOESSNER })).toEqual({
    ok: true,
  })
})

test('checks a simple condition and reports the offset of the error', () => {
  expect(checkCriterion({ condition: '$statusCode == 200 && $respons.body == 1' })).toEqual({
    ok: false,
    message: 'unknown expression root "$respons" at offset 22; did you mean $response?',
    field: 'condition',
    offset: 22,
  })
})

test('checks that regex and jsonpath criteria have a context', () => {
  expect(checkCriterion({ condition: '^2', type: 'regex' })).toEqual({
    ok: false,
    message: 'a regex criterion needs a context, e.g. context: $response.body',
    field: 'context',
  })
  expect(checkCriterion({ condition: '$', type: 'jsonpath' })).toMatchObject({ field: 'context' })
})

test('checks the context expression', () => {
  expect(checkCriterion({ context: '$response.bdy', condition: '$', type: 'jsonpath' })).toEqual({
    ok: false,
    message:
      'invalid context: $response has no "bdy" at offset 10; use one of $response.header, $response.body (did you mean $response.body?)',
    field: 'context',
    offset: 10,
  })
})

test('checks a regex pattern', () => {
  expect(checkCriterion({ context: '$statusCode', condition: '(2', type: 'regex' })).toMatchObject({
    ok: false,
    field: 'condition',
    message: expect.stringContaining('invalid regex'),
  })
})

test('checks a JSONPath condition and reports the offset of the error', () => {
  expect(
    checkCriterion({ context: '$response.body', condition: '$.pets[?@.age >]', type: 'jsonpath' }),
  ).toMatchObject({ ok: false, field: 'condition', offset: 15 })
})

test('keeps JSONPath error offsets true when the condition embeds expressions', () => {
  expect(
    checkCriterion({
      context: '$response.body',
      condition: '$[?@.a == {$inputs.status}] x',
      type: 'jsonpath',
    }),
  ).toMatchObject({ ok: false, offset: 27 })
})

test('checks embedded expressions in a regex or JSONPath condition', () => {
  expect(
    checkCriterion({ context: '$statusCode', condition: '^{$input.code}$', type: 'regex' }),
  ).toEqual({
    ok: false,
    message: 'unknown expression root "$input" at offset 2; did you mean $inputs?',
    field: 'condition',
    offset: 2,
  })
})

test('rejects an unknown criterion type, naming the valid ones', () => {
  expect(checkCriterion({ condition: 'x', type: 'json' as never })).toEqual({
    ok: false,
    message: 'unknown criterion type "json"; use one of simple, regex, jsonpath, xpath',
    field: 'type',
  })
})

test('rejects xpath criteria when the scenario loads', () => {
  expect(checkCriterion({ context: '$response.body', condition: '/a', type: 'xpath' })).toEqual({
    ok: false,
    message: 'xpath criteria are not supported: Sild exchanges JSON',
    field: 'type',
  })
})

test('lists what a criterion refers to, from its condition, context and embedded parts', () => {
  expect(
    referencesOfCriterion({
      condition: '$steps.first.outputs.id == $inputs.code && $inputs.code != null',
    }),
  ).toEqual({ steps: ['first'], inputs: ['code'], workflows: [], sources: [] })
  expect(
    referencesOfCriterion({
      context: '$workflows.other.outputs.body',
      condition: '$[?@.a == {$inputs.status}]',
      type: 'jsonpath',
    }),
  ).toEqual({ steps: [], inputs: ['status'], workflows: ['other'], sources: [] })
})
