import { expect, test } from 'vitest'
import { indexSpec } from '../../../specs/openapi/index.ts'
import { specValidator } from '../../../specs/openapi/validator.ts'
import { ACCESS_DENIED } from '../../../specs/protocol/index.ts'
import { EE_CLIENT_WITHOUT_RIGHTS, INVALID_CODE, makeContext, outcomeOf } from '../test-kit.ts'
import { badIdentifierRejected } from './index.ts'

const problem = (status: number) => ({ type: 'urn:test', title: 'Bad', status })

test('is not applied when every identifier sent is valid', () => {
  expect(outcomeOf(badIdentifierRejected, makeContext())).toBe('not applied')
})

test('passes a 400 for a path identifier with a wrong check digit', () => {
  const ctx = makeContext({
    path: `/persons/${INVALID_CODE}`,
    answer: { status: 400, body: problem(400) },
  })
  expect(outcomeOf(badIdentifierRejected, ctx)).toEqual([])
})

test('fails a provider that serves an invalid query identifier', () => {
  const ctx = makeContext({
    path: `/persons?personalCode=${INVALID_CODE}`,
    answer: { status: 200, body: { total: 0, items: [] } },
  })
  expect(outcomeOf(badIdentifierRejected, ctx)).toEqual([
    'sent query parameter personalCode "38001085719" (ee-personal-code: check digit 9 does not match (expected 8)) and got status 200; expected 400',
  ])
})

test('fails a provider that crashes on an invalid path identifier', () => {
  const ctx = makeContext({
    path: `/persons/${INVALID_CODE}`,
    answer: { status: 500, body: problem(500) },
  })
  expect(outcomeOf(badIdentifierRejected, ctx)).toEqual([
    expect.stringContaining('got status 500; expected 400'),
  ])
})

test('is not applied when a security server refused the call first', () => {
  const ctx = makeContext({
    client: EE_CLIENT_WITHOUT_RIGHTS,
    path: `/persons/${INVALID_CODE}`,
    fault: { code: ACCESS_DENIED.code },
  })
  expect(outcomeOf(badIdentifierRejected, ctx)).toBe('not applied')
})

const bodySpec = indexSpec('body.openapi.json', {
  openapi: '3.1.0',
  info: { title: 'body', version: '1' },
  paths: {
    '/consents': {
      post: {
        operationId: 'consent',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: { unzr: { type: 'string', format: 'ua-unzr' } },
              },
            },
          },
        },
        responses: { '202': { description: 'ok' }, '400': { description: 'bad' } },
      },
    },
  },
})

const withBody = (body: unknown, status: number) => {
  const ctx = makeContext({ answer: { status } })
  const operation = bodySpec.operation('consent')!
  ctx.exchange.request.body = body
  ctx.exchange.request.headers['content-type'] = 'application/json'
  return { ...ctx, spec: bodySpec, operation, validator: specValidator(bodySpec) }
}

test('applies to an invalid identifier in the request body and passes its 400', () => {
  const ctx = withBody({ unzr: '19900314-00235' }, 400)
  expect(badIdentifierRejected.applies(ctx)).toBe(true)
  expect(badIdentifierRejected.run(ctx)).toBeUndefined()
})

test('fails a provider that accepts an invalid identifier in the request body', () => {
  const ctx = withBody({ unzr: '19900314-00235' }, 202)
  expect(badIdentifierRejected.run(ctx)).toMatch(
    /body field \/unzr "19900314-00235" \(ua-unzr: check digit/,
  )
  expect(badIdentifierRejected.applies(withBody({ unzr: '19900314-00234' }, 202))).toBe(false)
})
