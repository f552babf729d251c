import { expect, test } from 'vitest'
import { INVALID_CODE, makeContext, outcomeOf, PERSON } from '../test-kit.ts'
import { responseSchemaConformance } from './index.ts'

const answer = (body: unknown) =>
  makeContext({ answer: { status: 200, headers: { 'x-record-version': '1' }, body } })

test('passes a body valid against the schema', () => {
  expect(outcomeOf(responseSchemaConformance, makeContext())).toEqual([])
})

test('groups every violation into one failure', () => {
  const ctx = answer({ ...PERSON, givenName: undefined, birthDate: '1980-13-45', sex: 'X' })
  expect(outcomeOf(responseSchemaConformance, ctx)).toEqual([
    [
      'Response violates the schema of getPerson 200 (3 violations):',
      '  - body/givenName is required',
      '  - body/birthDate: must be a valid date',
      '  - body/sex: "X" is not one of "M", "F"',
    ].join('\n'),
  ])
})

test('leaves an identifier with a wrong check digit to identifierFormatConformance', () => {
  expect(
    outcomeOf(responseSchemaConformance, answer({ ...PERSON, personalCode: INVALID_CODE })),
  ).toEqual([])
})

test('validates error bodies against their declared schema too', () => {
  const ctx = makeContext({ answer: { status: 404, body: { title: 'Not found' } } })
  expect(outcomeOf(responseSchemaConformance, ctx)).toEqual([
    expect.stringMatching(/getPerson 404 \(2 violations\):\n {2}- body\/type is required/),
  ])
})

test('names the value sent and the allowed ones when an enum is violated', () => {
  const ctx = answer({ ...PERSON, mother: { sex: 'female' } })
  expect(outcomeOf(responseSchemaConformance, ctx)).toEqual([
    expect.stringContaining('  - body/mother/sex: "female" is not one of "M", "F"'),
  ])
})

test('says a body that is not JSON under a JSON content type is not JSON, quoting its start', () => {
  const html = `<html><head><title>502 Bad Gateway</title></head><body>${'x'.repeat(200)}</body></html>`
  const ctx = makeContext({
    answer: { status: 200, headers: { 'x-record-version': '1' } },
    responseHeaders: { 'content-type': 'application/json; charset=utf-8' },
    responseBody: html,
  })
  expect(outcomeOf(responseSchemaConformance, ctx)).toEqual([
    [
      'Response violates the schema of getPerson 200 (1 violation):',
      '  - body is not JSON although content-type is application/json: "<html><head><title>502 Bad Gateway</title></head><body>xxxxx…"',
    ].join('\n'),
  ])
})

test('still holds an error answer sent as text to the documented error shape when it is JSON', () => {
  const ctx = makeContext({
    answer: { status: 404 },
    responseHeaders: { 'content-type': 'text/plain' },
    responseBody: '{"title":"Not found","status":"404"}',
  })
  expect(outcomeOf(responseSchemaConformance, ctx)).toEqual([
    [
      'Response violates the schema of getPerson 404 (2 violations):',
      '  - body/type is required',
      '  - body/status must be integer',
    ].join('\n'),
  ])
})

test('passes an error answer sent as text/html whose JSON has the documented shape', () => {
  const ctx = makeContext({
    answer: { status: 404 },
    responseHeaders: { 'content-type': 'text/html' },
    responseBody: '{"type":"urn:test","title":"Not found","status":404}',
  })
  expect(outcomeOf(responseSchemaConformance, ctx)).toEqual([])
})

test('leaves an error answer sent as text that is not JSON to contentTypeConformance', () => {
  const ctx = makeContext({
    answer: { status: 500 },
    responseHeaders: { 'content-type': 'text/html' },
    responseBody: '<html><body>Internal Server Error</body></html>',
  })
  expect(outcomeOf(responseSchemaConformance, ctx)).toEqual([])
})
