import { expect, test } from 'vitest'
import { REDACTED, redactHeaders, redactJson, redactText, redactUrl } from './index.ts'

test('hides credential headers, keeping the scheme of Authorization', () => {
  expect(
    redactHeaders({
      Authorization: 'Bearer abcdefgh12345',
      cookie: 'a=b',
      'x-api-key': 'k',
      accept: 'x',
    }),
  ).toEqual({
    Authorization: `Bearer ${REDACTED}`,
    cookie: REDACTED,
    'x-api-key': REDACTED,
    accept: 'x',
  })
})

test('hides secret-named JSON fields at any depth, and credentials inside strings', () => {
  expect(
    redactJson({
      token: 'abc',
      nested: { acquirerToken: 'x', keep: 1 },
      note: 'Bearer abcdefgh1234',
    }),
  ).toEqual({
    token: REDACTED,
    nested: { acquirerToken: REDACTED, keep: 1 },
    note: `Bearer ${REDACTED}`,
  })
})

test('hides JSON and form fields and JWTs in free text, and leaves prose alone', () => {
  expect(redactText('{"password":"hunter2"} a=1&access_token=xyz eyJhbGci.eyJzdWIi.sig')).toBe(
    `{"password":"${REDACTED}"} a=1&access_token=${REDACTED} ${REDACTED}`,
  )
  expect(redactText('the bearer of the card')).toBe('the bearer of the card')
})

test('hides secret query parameters in URLs', () => {
  expect(redactUrl('http://x/a?token=abc&b=1')).toBe(`http://x/a?token=${REDACTED}&b=1`)
})

test('returns a body with nothing to hide as it is, without copying it', () => {
  const body = { person: { givenName: 'Mari', documents: [{ number: 'AB0123456' }] } }
  expect(redactJson(body)).toBe(body)
})

test('hides secrets in a copy, sharing the untouched parts and leaving the original as it was', () => {
  const documents = [{ number: 'AB0123456' }]
  const body = { session: { token: 'abc123' }, documents }
  const redacted = redactJson(body) as typeof body
  expect(redacted).toEqual({ session: { token: REDACTED }, documents })
  expect(redacted.documents).toBe(documents)
  expect(body.session.token).toBe('abc123')
})
