import fc from 'fast-check'
import { expect, test } from 'vitest'
import {
  describeValue,
  evaluate,
  findEmbedded,
  looksLikeExpression,
  parseExpression,
  referencesOf,
  resolveValue,
  type Expression,
  type ExpressionContext,
} from './index.ts'

const parsed = (text: string): Expression => {
  const r = parseExpression(text)
  if (!r.ok) throw new Error(r.message)
  return r.expression
}

const parseError = (text: string) => {
  const r = parseExpression(text)
  if (r.ok) throw new Error(`expected ${text} not to parse`)
  return r
}

const ctx: ExpressionContext = {
  url: 'http://ss.ee-test/r1/EE/GOV/70000001/rr/persons',
  method: 'GET',
  statusCode: 200,
  request: {
    headers: new Headers({ 'X-Road-Client': 'EE/COM/12345678/bank' }),
    query: new URLSearchParams('code=38001085718&lang=et'),
    path: { personCode: '38001085718' },
    body: { applicant: { unzr: '19900101-00015' } },
  },
  response: {
    headers: { 'Content-Type': 'application/json', 'X-Road-Request-Id': 'r-1' },
    body: {
      person: { firstName: 'Mari', lastName: 'Maasikas', born: 1980 },
      documents: [{ type: 'passport', number: 'FP123456' }],
      active: true,
      note: null,
    },
  },
  inputs: { year: 2024, personCode: '38001085718', founder: { name: 'Olena', tags: ['a', 'b'] } },
  outputs: { companyCode: '16000001' },
  steps: { lookup: { outputs: { person: { unzr: '19900101-00015' }, ids: [7, 8] } } },
  workflows: { apply: { inputs: { country: 'UA' }, outputs: { applicationId: 'A-1' } } },
  components: { parameters: { clientHeader: { name: 'X-Road-Client', in: 'header' } } },
}

const value = (text: string): unknown => {
  const r = evaluate(parsed(text), ctx)
  if (!r.ok) throw new Error(r.message)
  return r.value
}

const failure = (text: string, context: ExpressionContext = ctx) => {
  const r = evaluate(parsed(text), context)
  if (r.ok) throw new Error(`expected ${text} to fail`)
  return r
}

test('parses $url, $method and $statusCode', () => {
  expect(parsed('$url')).toEqual({ kind: 'url', text: '$url' })
  expect(parsed('$method').kind).toBe('method')
  expect(parsed('$statusCode').kind).toBe('statusCode')
})

test('parses request header, query and path references', () => {
  expect(parsed('$request.header.X-Road-Client')).toMatchObject({
    kind: 'request.header',
    name: 'X-Road-Client',
  })
  expect(parsed('$request.query.lang')).toMatchObject({ kind: 'request.query', name: 'lang' })
  expect(parsed('$request.path.personCode')).toMatchObject({
    kind: 'request.path',
    name: 'personCode',
  })
})

test('parses a request body with and without a JSON pointer', () => {
  expect(parsed('$request.body')).toMatchObject({ kind: 'request.body', path: [] })
  expect(parsed('$request.body#/applicant/unzr').kind).toBe('request.body')
})

test('parses a response body pointer into its decoded steps', () => {
  expect(parsed('$response.body#/a~1b/c~0d/0')).toMatchObject({
    kind: 'response.body',
    path: [
      { key: 'a/b', text: '/a~1b' },
      { key: 'c~d', text: '/c~0d' },
      { key: '0', text: '/0' },
    ],
  })
})

test('parses a response header whose name uses token characters', () => {
  expect(parsed("$response.header.X-Road-Error!#'")).toMatchObject({
    kind: 'response.header',
    name: "X-Road-Error!#'",
  })
})

test('parses inputs and outputs with dot, index and pointer traversal', () => {
  expect(parsed('$inputs.founder.tags[1]')).toMatchObject({
    kind: 'inputs',
    name: 'founder',
    path: [
      { key: 'tags', text: '.tags' },
      { key: 1, text: '[1]' },
    ],
  })
  expect(parsed('$inputs.founder#/name')).toMatchObject({ path: [{ key: 'name' }] })
  expect(parsed('$outputs.companyCode')).toMatchObject({ kind: 'outputs', name: 'companyCode' })
})

test('parses step outputs with traversal', () => {
  expect(parsed('$steps.lookup.outputs.person#/unzr')).toMatchObject({
    kind: 'steps',
    stepId: 'lookup',
    name: 'person',
    path: [{ key: 'unzr' }],
  })
})

test('parses workflow inputs and outputs', () => {
  expect(parsed('$workflows.apply.inputs.country')).toMatchObject({
    kind: 'workflows',
    workflowId: 'apply',
    field: 'inputs',
    name: 'country',
  })
  expect(parsed('$workflows.apply.outputs.applicationId')).toMatchObject({ field: 'outputs' })
})

test('parses source description operations', () => {
  expect(parsed('$sourceDescriptions.eePopulation.getPerson')).toMatchObject({
    kind: 'sourceDescriptions',
    source: 'eePopulation',
    operation: 'getPerson',
  })
})

test('parses every components field', () => {
  for (const field of ['inputs', 'parameters', 'successActions', 'failureActions']) {
    expect(parsed(`$components.${field}.x.y-z`)).toMatchObject({
      kind: 'components',
      field,
      name: 'x.y-z',
    })
  }
})

test('rejects an unknown root and suggests the closest one', () => {
  expect(parseError('$respons.body').message).toBe(
    'unknown expression root "$respons" at offset 0; did you mean $response?',
  )
  expect(parseError('$StatusCode').message).toContain('did you mean $statusCode?')
  expect(parseError('$whatever').message).toBe('unknown expression root "$whatever" at offset 0')
})

test('rejects text that does not start with $', () => {
  expect(parseError('statusCode')).toMatchObject({ offset: 0 })
  expect(parseError('statusCode').message).toContain('starts with "$"')
  expect(parseError('').message).toBe('empty runtime expression at offset 0')
})

test('rejects trailing text after $statusCode', () => {
  expect(parseError('$statusCode.x')).toMatchObject({
    message: 'unexpected ".x" after $statusCode at offset 11',
    offset: 11,
  })
})

test('rejects a response part that does not exist and names the valid ones', () => {
  const e = parseError('$response.query.a')
  expect(e.offset).toBe(10)
  expect(e.message).toContain('$response.header, $response.body')
  expect(parseError('$request.headers.a').message).toContain('did you mean $request.header?')
})

test('rejects a header name with a character outside the token set', () => {
  expect(parseError('$request.header.X Y')).toMatchObject({ offset: 17 })
})

test('rejects $steps without .outputs', () => {
  expect(parseError('$steps.lookup.result')).toMatchObject({
    message: 'expected ".outputs.NAME" after "$steps.lookup" at offset 13',
    offset: 13,
  })
})

test('rejects a missing name after a root', () => {
  expect(parseError('$inputs').message).toBe(
    'expected "." and an input name after "$inputs" at offset 7',
  )
  expect(parseError('$steps.').offset).toBe(7)
})

test('rejects a workflow field other than inputs and outputs', () => {
  expect(parseError('$workflows.apply.steps.x')).toMatchObject({ offset: 17 })
})

test('rejects a components field that does not exist, with a suggestion or the valid ones', () => {
  expect(parseError('$components.paramters.x').message).toBe(
    '$components has no "paramters" at offset 12; did you mean $components.parameters?',
  )
  expect(parseError('$components.params.x').message).toContain(
    'use one of inputs, parameters, successActions, failureActions',
  )
})

test('rejects a JSON pointer without a leading slash or with a bad escape', () => {
  expect(parseError('$response.body#person').message).toBe(
    'a JSON pointer starts with "/" at offset 15; write $response.body#/person',
  )
  expect(parseError('$response.body#/a~2')).toMatchObject({ offset: 17 })
})

test('rejects a malformed index accessor', () => {
  expect(parseError('$inputs.list[x]')).toMatchObject({ offset: 12 })
  expect(parseError('$inputs.list[-1]').message).toContain('array index such as [0]')
})

test('evaluates $url, $method and $statusCode', () => {
  expect(value('$url')).toBe(ctx.url)
  expect(value('$method')).toBe('GET')
  expect(value('$statusCode')).toBe(200)
})

test('reads headers case-insensitively from Headers and from plain records', () => {
  expect(value('$request.header.x-road-client')).toBe('EE/COM/12345678/bank')
  expect(value('$response.header.content-type')).toBe('application/json')
  expect(value('$response.header.X-ROAD-REQUEST-ID')).toBe('r-1')
})

test('reports a missing header as a missing value', () => {
  expect(failure('$response.header.X-Road-Error')).toMatchObject({
    message: '$response.header.X-Road-Error: the response has no X-Road-Error header',
    missing: true,
  })
})

test('evaluates request query and path parameters', () => {
  expect(value('$request.query.lang')).toBe('et')
  expect(value('$request.path.personCode')).toBe('38001085718')
  expect(failure('$request.query.nope').missing).toBe(true)
  expect(failure('$request.path.nope').missing).toBe(true)
})

test('evaluates whole bodies and pointers into them', () => {
  expect(value('$request.body#/applicant/unzr')).toBe('19900101-00015')
  expect(value('$response.body#/documents/0/number')).toBe('FP123456')
  expect(value('$response.body.documents[0].type')).toBe('passport')
  expect(value('$response.body')).toBe(ctx.response!.body)
})

test('keeps the type of the value it reads', () => {
  expect(value('$inputs.year')).toBe(2024)
  expect(value('$response.body#/active')).toBe(true)
  expect(value('$response.body#/note')).toBeNull()
  expect(value('$steps.lookup.outputs.ids')).toEqual([7, 8])
})

test('fails with the place where a pointer leaves the document', () => {
  expect(failure('$response.body#/person/unzr')).toMatchObject({
    message: '$response.body#/person/unzr: no value at /person/unzr',
    missing: true,
  })
  expect(failure('$response.body#/citizen/unzr').message).toBe(
    '$response.body#/citizen/unzr: no value at /citizen',
  )
})

test('says which value a pointer tried to enter when it is not an object', () => {
  expect(failure('$response.body#/person/firstName/x').message).toBe(
    '$response.body#/person/firstName/x: no value at /person/firstName/x (/person/firstName is a string)',
  )
  expect(failure('$inputs.year.x').message).toBe(
    '$inputs.year.x: no value at .x (the value is a number)',
  )
})

test('fails for an index past the end of an array', () => {
  expect(failure('$response.body#/documents/1').message).toContain('no value at /documents/1')
  expect(failure('$steps.lookup.outputs.ids[2]').message).toContain('no value at [2]')
})

test('evaluates inputs, outputs, step outputs and workflow values with traversal', () => {
  expect(value('$inputs.founder.name')).toBe('Olena')
  expect(value('$inputs.founder#/tags/1')).toBe('b')
  expect(value('$outputs.companyCode')).toBe('16000001')
  expect(value('$steps.lookup.outputs.person.unzr')).toBe('19900101-00015')
  expect(value('$workflows.apply.inputs.country')).toBe('UA')
  expect(value('$workflows.apply.outputs.applicationId')).toBe('A-1')
})

test('evaluates a component', () => {
  expect(value('$components.parameters.clientHeader')).toEqual({
    name: 'X-Road-Client',
    in: 'header',
  })
  expect(failure('$components.inputs.nope').missing).toBe(true)
})

test('reports an absent input or output as missing', () => {
  expect(failure('$inputs.nope')).toMatchObject({
    message: '$inputs.nope: no input named "nope"',
    missing: true,
  })
  expect(failure('$steps.lookup.outputs.nope').message).toBe(
    '$steps.lookup.outputs.nope: step "lookup" has no output "nope"',
  )
  expect(failure('$workflows.apply.outputs.nope').missing).toBe(true)
})

test('reports a step or workflow that has not run as unavailable, not missing', () => {
  const r = failure('$steps.later.outputs.x')
  expect(r.message).toBe('$steps.later.outputs.x: step "later" has not run')
  expect(r.missing).toBeUndefined()
  expect(failure('$workflows.other.outputs.x').missing).toBeUndefined()
})

test('reports response expressions as unavailable before the response exists', () => {
  const before: ExpressionContext = { inputs: {}, steps: {} }
  expect(failure('$statusCode', before).message).toBe('$statusCode: there is no response yet')
  expect(failure('$response.body#/a', before).message).toBe(
    '$response.body#/a: there is no response yet',
  )
  expect(failure('$request.header.a', before).missing).toBeUndefined()
})

test('rejects text after a source description operation', () => {
  expect(parseError('$sourceDescriptions.ee.getPerson now')).toMatchObject({ offset: 32 })
})

test('treats an input set to undefined as missing', () => {
  expect(failure('$inputs.gone', { ...ctx, inputs: { gone: undefined } }).missing).toBe(true)
})

test('refuses to evaluate a source description reference', () => {
  expect(failure('$sourceDescriptions.ee.getPerson').message).toContain('has no value')
})

test('finds several embedded expressions with their offsets', () => {
  const text = 'Person {$inputs.personCode} born {$response.body#/person/born}!'
  const found = findEmbedded(text)
  expect(found.map((f) => [f.start, f.end, f.source])).toEqual([
    [7, 27, '$inputs.personCode'],
    [33, 62, '$response.body#/person/born'],
  ])
  expect(text.slice(found[1]!.start, found[1]!.end)).toBe('{$response.body#/person/born}')
  expect(found.every((f) => f.parsed.ok)).toBe(true)
})

test('reports embedded parse errors at offsets into the template', () => {
  const [found] = findEmbedded('id: {$respons.body}')
  expect(found?.parsed).toEqual({
    ok: false,
    message: 'unknown expression root "$respons" at offset 5; did you mean $response?',
    offset: 5,
  })
})

test('reports an unterminated embedded expression', () => {
  const [found] = findEmbedded('x {$inputs.a')
  expect(found?.parsed).toMatchObject({ ok: false, offset: 2 })
  expect(found?.end).toBe(12)
})

test('ignores braces that do not start an expression', () => {
  expect(findEmbedded('{"a": 1} and ^\\d{2}$ and \\{$')).toEqual([])
})

test('lists the steps, inputs, workflows and sources an expression refers to', () => {
  expect(referencesOf(parsed('$steps.lookup.outputs.person'))).toEqual({
    steps: ['lookup'],
    inputs: [],
    workflows: [],
    sources: [],
  })
  expect(referencesOf(parsed('$inputs.year')).inputs).toEqual(['year'])
  expect(referencesOf(parsed('$workflows.apply.outputs.x')).workflows).toEqual(['apply'])
  expect(referencesOf(parsed('$sourceDescriptions.ee.op')).sources).toEqual(['ee'])
  expect(referencesOf(parsed('$statusCode'))).toEqual({
    steps: [],
    inputs: [],
    workflows: [],
    sources: [],
  })
})

test('recognises near misses of expression roots but not dollar amounts', () => {
  expect(looksLikeExpression('$inputs.x')).toBe(true)
  expect(looksLikeExpression('$input.x')).toBe(true)
  expect(looksLikeExpression('$USD')).toBe(false)
  expect(looksLikeExpression('$5')).toBe(false)
})

test('resolves a whole-string expression keeping its type', () => {
  expect(resolveValue('$inputs.year', ctx)).toEqual({ ok: true, value: 2024 })
  expect(resolveValue('{$inputs.year}', ctx)).toEqual({ ok: true, value: 2024 })
  expect(resolveValue('$response.body#/active', ctx)).toEqual({ ok: true, value: true })
})

test('interpolates embedded expressions into a string', () => {
  expect(resolveValue('{$inputs.personCode}/{$inputs.year}', ctx)).toEqual({
    ok: true,
    value: '38001085718/2024',
  })
  expect(resolveValue('tags={$inputs.founder.tags}', ctx)).toEqual({
    ok: true,
    value: 'tags=["a","b"]',
  })
})

test('resolves objects and arrays deeply and leaves literals alone', () => {
  const payload = {
    person: { code: '$inputs.personCode', year: '$inputs.year' },
    list: ['$steps.lookup.outputs.person#/unzr', 3, null, 'plain', '$5 fee'],
    note: 'code {$inputs.personCode}',
  }
  expect(resolveValue(payload, ctx)).toEqual({
    ok: true,
    value: {
      person: { code: '38001085718', year: 2024 },
      list: ['19900101-00015', 3, null, 'plain', '$5 fee'],
      note: 'code 38001085718',
    },
  })
})

test('reports where in a payload a value could not be resolved', () => {
  expect(resolveValue({ a: [1, { b: '$inputs.nope' }] }, ctx)).toEqual({
    ok: false,
    message: '$inputs.nope: no input named "nope"',
    path: ['a', 1, 'b'],
  })
  expect(resolveValue({ a: 'x {$response.body#/nope}' }, ctx)).toMatchObject({
    ok: false,
    path: ['a'],
  })
})

test('reports a malformed expression in a payload instead of sending it literally', () => {
  const r = resolveValue({ a: '$respons.body' }, ctx)
  expect(r).toMatchObject({ ok: false, path: ['a'] })
  expect(!r.ok && r.message).toContain('did you mean $response?')
})

test('describes values in messages, quoting strings and cutting long ones', () => {
  expect(describeValue("it's")).toBe("'it''s'")
  expect(describeValue(404)).toBe('404')
  expect(describeValue(undefined)).toBe('missing')
  expect(describeValue({ a: 'x'.repeat(100) })).toHaveLength(80)
})

test('never throws on arbitrary text', () => {
  const pieces = fc.constantFrom(
    '$',
    'url',
    'statusCode',
    'request',
    'response',
    'inputs',
    'steps',
    'outputs',
    'workflows',
    'components',
    'sourceDescriptions',
    '.',
    '#',
    '/',
    '~',
    '[',
    ']',
    '0',
    'header',
    'body',
    ' ',
    '{',
    '}',
  )
  const text = fc.oneof(
    fc.string({ unit: 'binary' }),
    fc.array(pieces, { maxLength: 12 }).map((p) => p.join('')),
  )
  fc.assert(
    fc.property(text, (t) => {
      const r = parseExpression(t)
      if (!r.ok) expect(r.offset).toBeGreaterThanOrEqual(0)
      findEmbedded(t)
    }),
    { seed: 42, numRuns: 500 },
  )
})

test('gives a source description url as a value', () => {
  const withSources: ExpressionContext = {
    inputs: {},
    steps: {},
    sources: { rr: { url: '../specs/ee/population-register.yaml' } },
  }
  expect(evaluate(parsed('$sourceDescriptions.rr.url'), withSources)).toEqual({
    ok: true,
    value: '../specs/ee/population-register.yaml',
  })
})

test('gives a parameter component as its value', () => {
  const withComponents: ExpressionContext = {
    inputs: {},
    steps: {},
    components: {
      parameters: { mari: { name: 'personalCode', in: 'path', value: '48001013546' } },
    },
  }
  expect(evaluate(parsed('$components.parameters.mari'), withComponents)).toEqual({
    ok: true,
    value: '48001013546',
  })
})

test('says how to give a declared input that has no value', () => {
  const declared: ExpressionContext = { inputs: {}, steps: {}, inputNames: ['clientId'] }
  expect(evaluate(parsed('$inputs.clientId'), declared)).toMatchObject({
    ok: false,
    detail: 'input clientId has no default: pass --input clientId=…',
  })
  expect(evaluate(parsed('$inputs.other'), declared)).toMatchObject({
    ok: false,
    detail: 'no input named "other"',
  })
})
