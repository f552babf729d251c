import { expect, test } from 'vitest'
import type { ExchangeLogEntry } from './record.ts'
import { REDACTED, redactEntry, redactText } from './redact.ts'

const base: ExchangeLogEntry = {
  kind: 'exchange',
  securityServer: 'ss1.ee-test',
  instance: 'ee-test',
}
const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIzODAwMTA4NTcxOCJ9.c2lnbmF0dXJlLXZhbHVl'

test('redacts credential headers whatever their case', () => {
  const out = redactEntry({
    ...base,
    requestHeaders: {
      authorization: 'Basic dXNlcjpwYXNz',
      'Proxy-Authorization': 'Bearer proxy-secret-1',
      Cookie: 'session=abc',
      'X-Road-Client': 'ee-test/GOV/70000001/sild-client',
    },
    responseHeaders: { 'set-cookie': 'session=def; HttpOnly', 'Content-Type': 'application/json' },
  })
  expect(out.requestHeaders).toEqual({
    authorization: `Basic ${REDACTED}`,
    'Proxy-Authorization': `Bearer ${REDACTED}`,
    Cookie: REDACTED,
    'X-Road-Client': 'ee-test/GOV/70000001/sild-client',
  })
  expect(out.responseHeaders).toEqual({
    'set-cookie': REDACTED,
    'Content-Type': 'application/json',
  })
})

test('redacts headers named like a token, secret or API key', () => {
  const out = redactEntry({
    ...base,
    requestHeaders: { 'X-Api-Key': 'k1', 'X-CSRF-Token': 't1', 'X-Client-Secret': 's1' },
  })
  expect(Object.values(out.requestHeaders ?? {})).toEqual([REDACTED, REDACTED, REDACTED])
})

test('redacts token, password and secret fields in JSON bodies at any depth', () => {
  const body = JSON.stringify({
    acquirerToken: 'acq-123',
    nested: { access_token: 'at-456', password: 'hunter2', clientSecret: 'cs-789', pin: 42 },
    tokenType: 'Bearer',
    user: { apiKey: 1234 },
  })
  const out = JSON.parse(redactEntry({ ...base, requestBody: body }).requestBody as string)
  expect(out).toEqual({
    acquirerToken: REDACTED,
    nested: { access_token: REDACTED, password: REDACTED, clientSecret: REDACTED, pin: 42 },
    tokenType: 'Bearer',
    user: { apiKey: REDACTED },
  })
})

test('redacts bearer tokens and JWTs anywhere in a body', () => {
  const out = redactEntry({
    ...base,
    responseBody: `{"note":"call with Bearer abcdefgh12345678","document":"${jwt}"}`,
  })
  expect(JSON.parse(out.responseBody as string)).toEqual({
    note: `call with Bearer ${REDACTED}`,
    document: REDACTED,
  })
})

test('redacts secret form fields and query parameters, keeping JSON strings closed', () => {
  expect(redactText('user=mari&password=hunter2&lang=et')).toBe(
    `user=mari&password=${REDACTED}&lang=et`,
  )
  const out = redactEntry({
    ...base,
    path: '/documents?token=abc123&id=7',
    responseBody: '{"url":"/d?token=x1"}',
  })
  expect(out.path).toBe(`/documents?token=${REDACTED}&id=7`)
  expect(JSON.parse(out.responseBody as string)).toEqual({ url: `/d?token=${REDACTED}` })
})

test('keeps text without secrets unchanged', () => {
  const body = '{"givenName":"Mari","note":"bearer of the residence card"}'
  expect(redactText(body)).toBe(body)
})

test('clears bodies, path and query when body logging is off', () => {
  const out = redactEntry(
    {
      ...base,
      method: 'POST',
      path: '/applications',
      query: 'x=1',
      requestBody: '{}',
      responseBody: '{}',
      status: 201,
    },
    { bodyLogging: false },
  )
  expect(out).toEqual({ ...base, method: 'POST', status: 201 })
})

test('does not change the entry it is given', () => {
  const entry = { ...base, requestHeaders: { Authorization: 'Bearer abcdefgh12345678' } }
  redactEntry(entry)
  expect(entry.requestHeaders.Authorization).toBe('Bearer abcdefgh12345678')
})
