import { expect, test } from 'vitest'
import { redactHeaders, redactJson, redactUrl } from '../../specs/redaction/index.ts'
import { isUnreachableUrl, reproduceCurl } from './redact.ts'

test('redacts authorization, cookies and token headers, keeping the scheme', () => {
  expect(
    redactHeaders({
      Authorization: 'Bearer abc.def',
      cookie: 'sid=1',
      'x-api-key': 'k',
      'x-auth-token': 't',
      'x-road-client': 'ee-test/GOV/1/a',
    }),
  ).toEqual({
    Authorization: 'Bearer [REDACTED]',
    cookie: '[REDACTED]',
    'x-api-key': '[REDACTED]',
    'x-auth-token': '[REDACTED]',
    'x-road-client': 'ee-test/GOV/1/a',
  })
})

test('redacts secret-looking members at any depth of a JSON body', () => {
  expect(
    redactJson({
      user: { password: 'p', passportNumber: 'FX123' },
      items: [{ access_token: 'a', refreshToken: 'r' }],
      clientSecret: 's',
    }),
  ).toEqual({
    user: { password: '[REDACTED]', passportNumber: 'FX123' },
    items: [{ access_token: '[REDACTED]', refreshToken: '[REDACTED]' }],
    clientSecret: '[REDACTED]',
  })
})

test('masks credentials inside a text body', () => {
  expect(redactJson('sent Authorization: Bearer eyJhbGc.x.y to upstream')).toBe(
    'sent Authorization: Bearer [REDACTED] to upstream',
  )
})

test('redacts secret query parameters of a URL', () => {
  expect(redactUrl('http://h/p?code=1&access_token=abc&api_key=k')).toBe(
    'http://h/p?code=1&access_token=[REDACTED]&api_key=[REDACTED]',
  )
})

test('builds a curl without the secrets', () => {
  expect(
    reproduceCurl({
      method: 'POST',
      url: 'http://h/x',
      headers: { authorization: 'Basic dXNlcjpwYXNz' },
      body: { token: 't', name: 'n' },
    }),
  ).toBe(
    `curl -sS -i -X POST 'http://h/x' -H 'authorization: Basic [REDACTED]' --data-raw '{"token":"[REDACTED]","name":"n"}'`,
  )
})

test('knows a .test host cannot be called by hand', () => {
  expect(isUnreachableUrl('http://ee-test.ss.sild.test/r1/x')).toBe(true)
  expect(isUnreachableUrl('http://127.0.0.1:4410/r1/x')).toBe(false)
})
