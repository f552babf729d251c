import { createRequire } from 'node:module'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { expect, test } from 'vitest'
import { parseSource, SildInputError } from '../../../specs/source-file/index.ts'
import { locator } from './locator.ts'
import {
  arazzoSchemas,
  assertArazzoDocument,
  assertSildExtensions,
  compileValidators,
  prebuiltValidatorsSource,
  type Validators,
} from './schemas.ts'

const HEAD = `arazzo: 1.0.1
info: { title: t, version: '1' }
sourceDescriptions: [{ name: a, url: ./a.yaml }]
workflows:
  - workflowId: w
    steps:
      - stepId: s
`

/** The error the two schemas give for a document, as `line:column message`. */
const check = (text: string): string => {
  const { value } = parseSource(text, 'f.yaml')
  const locate = locator(text, 'f.yaml')
  try {
    assertArazzoDocument(value, locate)
    assertSildExtensions(value, locate)
    return 'ok'
  } catch (error) {
    if (!(error instanceof SildInputError)) throw error
    return `${error.location?.line}:${error.location?.column} ${error.message}`
  }
}

test('accepts a minimal document and foreign x- keys', () => {
  expect(check(`${HEAD}        operationId: x\n        x-other: 1\n`)).toBe('ok')
})

test('says a step needs exactly one target instead of a branch error', () => {
  expect(check(`${HEAD}        operationId: x\n        workflowId: w\n`)).toBe(
    '7:9 invalid Arazzo document: a step needs exactly one of operationId, operationPath or workflowId (it has operationId and workflowId) at workflows.0.steps.0',
  )
  expect(check(`${HEAD}        description: d\n`)).toBe(
    '7:9 invalid Arazzo document: a step needs exactly one of operationId, operationPath or workflowId at workflows.0.steps.0',
  )
})

test('says a goto needs a target', () => {
  expect(
    check(`${HEAD}        operationId: x\n        onSuccess: [{ name: n, type: goto }]\n`),
  ).toBe(
    '9:21 invalid Arazzo document: a goto action needs exactly one of stepId or workflowId at workflows.0.steps.0.onSuccess.0',
  )
})

test('ignores the errors of the reference form for an inline parameter', () => {
  expect(
    check(`${HEAD}        operationId: x\n        parameters: [{ name: n, value: 1 }]\n`),
  ).toBe(
    '9:22 invalid Arazzo document: missing required property "in" at workflows.0.steps.0.parameters.0',
  )
})

test('reports a misspelt property at its key with a suggestion', () => {
  expect(check(`${HEAD}        operationId: x\n        sucessCriteria: [{ condition: x }]\n`)).toBe(
    '9:9 invalid Arazzo document: unknown property "sucessCriteria" (did you mean "successCriteria"?) at workflows.0.steps.0.sucessCriteria',
  )
  expect(check(HEAD.replace('workflows:', 'workflow:'))).toBe(
    '4:1 invalid Arazzo document: unknown property "workflow" (did you mean "workflows"?) at workflow',
  )
})

test('rejects a bad enum value at the value', () => {
  expect(
    check(`${HEAD}        operationId: x\n        onFailure: [{ name: n, type: explode }]\n`),
  ).toBe(
    '9:38 invalid Arazzo document: must be one of "end", "goto", "retry" at workflows.0.steps.0.onFailure.0.type',
  )
})

test('rejects an invalid JSON Schema in inputs', () => {
  const text = HEAD.replace(
    '    steps:',
    '    inputs: { type: object, properties: { a: { type: strnig } } }\n    steps:',
  )
  expect(check(`${text}        operationId: x\n`)).toMatch(
    /^6:54 invalid Arazzo document: must be one of "array", "boolean", .* at workflows\.0\.inputs\.properties\.a\.type$/,
  )
})

test('rejects a malformed x-sild-client with its own message', () => {
  expect(check(`${HEAD}        operationId: x\n        x-sild-client: a/b/c\n`)).toBe(
    '9:24 invalid Sild extension: must be a subsystem id INSTANCE/CLASS/MEMBER/SUBSYSTEM, e.g. ee-test/GOV/70006317/eesti-ee at workflows.0.steps.0.x-sild-client',
  )
})

test('rejects an x-sild key where Sild has none', () => {
  expect(
    check(
      `${HEAD}        operationId: x\n        successCriteria: [{ condition: x, x-sild-foo: 1 }]\n`,
    ),
  ).toBe(
    '9:43 invalid Sild extension: unknown Sild extension "x-sild-foo" at workflows.0.steps.0.successCriteria.0.x-sild-foo',
  )
  expect(check(`x-sild-profile: p\n${HEAD}        operationId: x\n`)).toBe(
    '1:1 invalid Sild extension: "x-sild-profile" does not belong on the document; it goes on a workflow at x-sild-profile',
  )
})

test('says which Arazzo versions Sild reads', () => {
  expect(check(`${HEAD.replace('1.0.1', '2.0.0')}        operationId: x\n`)).toBe(
    '1:9 invalid Arazzo document: must be an Arazzo 1.0.x version such as 1.0.1 (Sild reads Arazzo 1.0 documents) at arazzo',
  )
})

test('accepts a criterion whose type is a criterion expression type object (OAI/Arazzo#336)', () => {
  expect(
    check(
      `${HEAD}        operationId: x\n        successCriteria:\n          - context: $response.body\n            condition: $[?(@.id == 1)]\n            type: { type: jsonpath, version: draft-goessner-dispatch-jsonpath-00 }\n`,
    ),
  ).toBe('ok')
})

test('still rejects a criterion expression type object with an unknown version', () => {
  expect(
    check(
      `${HEAD}        operationId: x\n        successCriteria:\n          - context: $response.body\n            condition: $.id\n            type: { type: jsonpath, version: rfc9535 }\n`,
    ),
  ).not.toBe('ok')
})

test('accepts a retry action without retryAfter (OAI/Arazzo#342)', () => {
  expect(
    check(
      `${HEAD}        operationId: x\n        onFailure:\n          - { name: again, type: retry, retryLimit: 2 }\n`,
    ),
  ).toBe('ok')
})

test('validates against schemas that are themselves valid JSON Schemas', () => {
  // The validators skip the meta-schema check at start-up: this is where it happens.
  const ajv = new Ajv2020({ strict: false })
  const { jsonSchema, arazzo, extensions } = arazzoSchemas()
  for (const schema of [...jsonSchema, arazzo, extensions]) {
    expect(ajv.validateSchema(schema), JSON.stringify(ajv.errors)).toBe(true)
  }
})

test('the validators the build compiles ahead judge as those compiled at run time', async () => {
  const module = { exports: {} }
  new Function('require', 'module', 'exports', await prebuiltValidatorsSource())(
    createRequire(import.meta.url),
    module,
    module.exports,
  )
  const prebuilt = module.exports as Validators
  const compiled = compileValidators()
  const step = `${HEAD}        operationId: x\n`
  const documents = [
    step,
    `${HEAD}        operationId: x\n        workflowId: w\n`,
    `${HEAD}        operationId: x\n        onSuccess: [{ name: n, type: goto }]\n`,
    `${HEAD}        operationId: x\n        sucessCriteria: [{ condition: x }]\n`,
    HEAD.replace('    steps:', '    inputs: { properties: { a: { type: strnig } } }\n    steps:'),
    `${HEAD}        operationId: x\n        x-sild-client: a/b/c\n`,
    `x-sild-profile: p\n${step}`,
    step.replace('1.0.1', '2.0.0'),
  ].map((text) => parseSource(text, 'f.yaml').value)
  for (const document of documents) {
    for (const which of ['arazzo', 'extensions'] as const) {
      expect(prebuilt[which](document)).toBe(compiled[which](document))
      expect(prebuilt[which].errors).toEqual(compiled[which].errors)
    }
  }
  expect(documents.filter((d) => !compiled.arazzo(d))).toHaveLength(5)
  expect(documents.filter((d) => !compiled.extensions(d))).toHaveLength(2)
})
