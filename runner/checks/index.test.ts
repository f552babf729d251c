import { expect, test } from 'vitest'
import {
  ACCESS_DENIED,
  CLIENT_ID_MISSING,
  PROVIDER_TIMEOUT,
  XROAD_HEADER,
} from '../../specs/protocol/index.ts'
import { checkByName, checkNames, checks } from './index.ts'
import {
  EE_CLIENT_WITHOUT_RIGHTS,
  INVALID_CODE,
  makeContext,
  makeWorkflow,
  OTHER_VALID_CODE,
  PERSON,
  VALID_CODE,
  type ContextInput,
} from './test-kit.ts'
import type { ExchangeContext, WorkflowContext } from './types.ts'

/** Runs the whole registry on one exchange (and on a workflow of just that exchange). */
const failingChecks = (input: ContextInput): string[] => {
  const ctx = makeContext(input)
  const workflow = makeWorkflow(ctx)
  const failed = (verdict: string | string[] | undefined) =>
    verdict !== undefined && (typeof verdict === 'string' || verdict.length > 0)
  return checks
    .filter((check) =>
      check.scope === 'exchange'
        ? check.applies(ctx) && failed(check.run(ctx))
        : check.applies(workflow) && failed(check.run(workflow)),
    )
    .map((check) => check.name)
}

const problem = (status: number, detail: string) => ({
  type: 'urn:sild:problem:test',
  title: 'Problem',
  status,
  detail,
})

test('lists every check once, in level order', () => {
  expect(new Set(checkNames).size).toBe(checks.length)
  const levels = checks.map((check) => check.level)
  expect(levels).toEqual([...levels].sort())
  expect(checkByName('responseSchemaConformance')?.level).toBe(2)
  expect(checkByName('noSuchCheck')).toBeUndefined()
})

test('names every check as a camelCase noun phrase with a title', () => {
  for (const check of checks) {
    expect(check.name).toMatch(/^[a-z][A-Za-z]+$/)
    expect(check.title.length).toBeGreaterThan(0)
  }
})

test('passes a well-behaved X-Road exchange on every check', () => {
  expect(failingChecks({})).toEqual([])
})

test('passes a well-behaved Trembita exchange without asking for a request hash', () => {
  expect(failingChecks({ protocol: 'uxp-rest' })).toEqual([])
})

const broken: Array<[string, ContextInput, string[]]> = [
  [
    'a wrong status',
    { answer: { status: 418, body: problem(418, 'I am a teapot') } },
    ['statusCodeConformance'],
  ],
  [
    'a missing required field',
    {
      answer: {
        status: 200,
        headers: { 'x-record-version': '3' },
        body: { ...PERSON, givenName: undefined },
      },
    },
    ['responseSchemaConformance'],
  ],
  [
    'a wrong identifier format in the answer',
    {
      answer: {
        status: 200,
        headers: { 'x-record-version': '3' },
        body: { ...PERSON, personalCode: INVALID_CODE },
      },
    },
    ['identifierFormatConformance'],
  ],
  [
    'a missing response header',
    { answer: { status: 200, headers: {}, body: PERSON } },
    ['responseHeadersConformance'],
  ],
  [
    'a stack trace in an error',
    {
      answer: {
        status: 500,
        body: problem(
          500,
          "TypeError: Cannot read properties of undefined (reading 'sex')\n    at toPerson (/home/sild/register/src/persons.ts:42:13)",
        ),
      },
    },
    ['noInternalsLeaked'],
  ],
  [
    'an accepted invalid identifier',
    {
      path: `/persons?personalCode=${INVALID_CODE}`,
      answer: { status: 200, body: { total: 0, items: [] } },
    },
    ['badIdentifierRejected'],
  ],
  [
    'an unreachable provider',
    { transportError: 'connect ECONNREFUSED 127.0.0.1:4010' },
    ['reachable'],
  ],
  [
    'a slow provider',
    { fault: { code: PROVIDER_TIMEOUT.code, message: PROVIDER_TIMEOUT.message } },
    ['reachable'],
  ],
  [
    'an answer about someone else',
    {
      answer: {
        status: 200,
        headers: { 'x-record-version': '3' },
        body: { ...PERSON, personalCode: OTHER_VALID_CODE },
      },
    },
    ['identifierEcho'],
  ],
  [
    'data served to a client without access',
    { client: EE_CLIENT_WITHOUT_RIGHTS },
    ['unauthorizedRefused'],
  ],
  [
    'a message id not echoed',
    {
      requestHeaders: { [XROAD_HEADER.id]: 'ee-test-client-chosen-id' },
      responseHeaders: { [XROAD_HEADER.id]: 'ee-test-another-id' },
    },
    ['responseIdsEchoed'],
  ],
  [
    'a request id that is no UUID',
    { responseHeaders: { [XROAD_HEADER.requestId]: '42' } },
    ['requestIdPresent'],
  ],
  [
    'a missing request hash',
    { responseHeaders: { [XROAD_HEADER.requestHash]: undefined } },
    ['requestHashPresent'],
  ],
  [
    'a fault with the wrong status',
    { client: EE_CLIENT_WITHOUT_RIGHTS, fault: { code: ACCESS_DENIED.code }, responseStatus: 403 },
    ['faultStatusClass'],
  ],
  [
    'a fault body without detail',
    { client: EE_CLIENT_WITHOUT_RIGHTS, fault: { code: ACCESS_DENIED.code, detail: '' } },
    ['errorBodyFormat'],
  ],
  [
    'a malformed client header',
    {
      requestHeaders: { [XROAD_HEADER.client]: 'ee-test/GOV' },
      fault: { code: 'Client.InvalidClientIdentifier', message: 'Invalid Client Id' },
    },
    ['clientHeaderWellFormed'],
  ],
  ['a failed success criterion', { criteriaFailures: ['$statusCode == 201'] }, ['successCriteria']],
  ['an expectation not met', { expect: { status: 404 } }, ['expectedOutcome']],
]

test.each(broken)('flags exactly the check for %s', (_, input, expected) => {
  expect(failingChecks(input)).toEqual(expected)
})

test('passes a refusal the step expected: no access right', () => {
  expect(
    failingChecks({
      client: EE_CLIENT_WITHOUT_RIGHTS,
      fault: { code: ACCESS_DENIED.code },
      expect: { error: ACCESS_DENIED.code, status: 500 },
    }),
  ).toEqual([])
})

test('passes a deliberately missing client header answered the X-Road way', () => {
  expect(
    failingChecks({
      requestHeaders: { [XROAD_HEADER.client]: undefined },
      fault: { code: CLIENT_ID_MISSING.code },
      expect: { error: CLIENT_ID_MISSING.code, status: 500 },
    }),
  ).toEqual([])
})

test('passes a provider timeout the step expected', () => {
  expect(
    failingChecks({
      fault: { code: PROVIDER_TIMEOUT.code, message: PROVIDER_TIMEOUT.message },
      expect: { error: PROVIDER_TIMEOUT.code },
    }),
  ).toEqual([])
})

test('flags a workflow whose registers disagree on a birth date, and nothing else', () => {
  const first = makeContext({})
  const second = makeContext({
    path: `/persons?personalCode=${VALID_CODE}`,
    answer: { status: 200, body: { total: 1, items: [{ ...PERSON, birthDate: '1980-01-09' }] } },
  })
  const exchangeFailures = (ctx: ExchangeContext) =>
    checks.filter((c) => c.scope === 'exchange' && c.applies(ctx) && hasFailures(c.run(ctx)))
  expect(exchangeFailures(first)).toEqual([])
  expect(exchangeFailures(second)).toEqual([])
  const workflow: WorkflowContext = makeWorkflow(first, second)
  expect(
    checks
      .filter((c) => c.scope === 'workflow' && c.applies(workflow) && hasFailures(c.run(workflow)))
      .map((c) => c.name),
  ).toEqual(['crossStepConsistency'])
})

const hasFailures = (verdict: string | string[] | undefined): boolean =>
  verdict !== undefined && (typeof verdict === 'string' || verdict.length > 0)
