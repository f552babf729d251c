import { expect, test } from 'vitest'
import {
  describeServiceId,
  parseClientId,
  parseR1Path,
  type IdentifierError,
} from '../xroad-identifiers/index.ts'
import {
  ACCESS_DENIED,
  CLIENT_ID_MISSING,
  FEDERATION_NOT_ALLOWED,
  SERVICE_DISABLED,
  SERVICE_TYPE,
  XROAD_FAULTS,
  errorMediaType,
  identifierFault,
  renderXroadError,
  statusForFaultCode,
  xroadFault,
} from './index.ts'

const DETAIL = '9bc95b6e-2f1d-4a41-a7e6-11eda7d734d5'

test('answers Server.* faults with 500 and all others with 400', () => {
  expect(statusForFaultCode('Server.ServerProxy.AccessDenied')).toBe(500)
  expect(statusForFaultCode('Server.ClientProxy.InvalidClientIdentifier')).toBe(500)
  expect(statusForFaultCode('Client.BadRequest')).toBe(400)
  expect(statusForFaultCode('Signer.KeyNotFound')).toBe(400)
})

test('derives every catalogued status from the fault class', () => {
  for (const template of Object.values(XROAD_FAULTS)) {
    expect(template.code).toMatch(/^(Client|Server\.ClientProxy|Server\.ServerProxy)\.[A-Z]/)
    expect(template.status).toBe(template.code.startsWith('Client.') ? 400 : 500)
  }
})

test('fills the message template and keeps the given detail', () => {
  const service = {
    instance: 'ee-test',
    memberClass: 'GOV',
    memberCode: '70008440',
    subsystemCode: 'rr',
    serviceCode: 'population',
  }
  expect(xroadFault(ACCESS_DENIED, DETAIL, describeServiceId(service))).toEqual({
    type: 'Server.ServerProxy.AccessDenied',
    message: 'Request is not allowed: SERVICE:ee-test/GOV/70008440/rr/population',
    detail: DETAIL,
  })
  expect(
    xroadFault(SERVICE_DISABLED, DETAIL, 'SERVICE:a/b/c/d/e', 'maintenance 100%').message,
  ).toBe('Service SERVICE:a/b/c/d/e is disabled: maintenance 100%')
  expect(xroadFault(FEDERATION_NOT_ALLOWED, DETAIL, 'FI-TEST').message).toBe(
    'InternalError: Shared params for instance identifier FI-TEST not found',
  )
})

test('throws when a template gets the wrong number of arguments', () => {
  expect(() => xroadFault(ACCESS_DENIED, DETAIL)).toThrow(/needs more/)
  expect(() => xroadFault(SERVICE_TYPE, DETAIL, 'extra')).toThrow(/takes 0/)
})

test('renders JSON by default with the X-Road-Error header and a charset', () => {
  const fault = xroadFault(ACCESS_DENIED, DETAIL, 'SERVICE:a/b/c/d/e')
  for (const accept of [
    null,
    undefined,
    '',
    '*/*',
    'application/json;charset=utf-8',
    'foobarbaz',
    'text/xml-patch+xml',
  ]) {
    const rendered = renderXroadError(fault, accept)
    expect(rendered.status).toBe(500)
    expect(rendered.headers).toEqual({
      'content-type': 'application/json;charset=utf-8',
      'x-road-error': 'Server.ServerProxy.AccessDenied',
    })
    expect(JSON.parse(rendered.body)).toEqual(fault)
  }
})

test('chooses XML for the first listed XML type, ignoring q-values, as X-Road 7.6.3 does', () => {
  const cases: Array<[string, string]> = [
    ['text/xml', 'text/xml'],
    ['application/xml', 'application/xml'],
    ['text/*', 'text/xml'],
    ['application/xml; q=0.2', 'application/xml'],
    ['application/xml, text/xml', 'application/xml'],
    ['text/xml, application/xml', 'text/xml'],
    ['application/json, TEXT/XML', 'text/xml'],
  ]
  for (const [accept, mediaType] of cases) {
    expect(errorMediaType(accept)).toBe(mediaType)
    expect(
      renderXroadError(xroadFault(CLIENT_ID_MISSING, DETAIL), accept).headers['content-type'],
    ).toBe(`${mediaType};charset=utf-8`)
  }
})

test('renders the XML error element', () => {
  const rendered = renderXroadError(xroadFault(CLIENT_ID_MISSING, DETAIL), 'text/xml')
  expect(rendered.status).toBe(500)
  expect(rendered.body).toBe(
    '<?xml version="1.0" encoding="UTF-8" standalone="no"?><error>' +
      '<type>Server.ClientProxy.InvalidClientIdentifier</type>' +
      '<message>The client identifier is missing</message>' +
      `<detail>${DETAIL}</detail></error>`,
  )
})

test('renders a fault in the style of the answering X-Road version', () => {
  const fault = xroadFault(CLIENT_ID_MISSING, DETAIL)
  const seven8 = renderXroadError(fault, null, '7.8')
  expect(seven8.status).toBe(500)
  expect(seven8.headers['x-road-error']).toBe('server.clientproxy.invalid_client_identifier')
  expect(JSON.parse(seven8.body)).toEqual({
    type: 'server.clientproxy.invalid_client_identifier',
    message: 'The client identifier is missing',
    detail: DETAIL,
  })
  expect(renderXroadError(fault, null, '7.6').headers['x-road-error']).toBe(
    'Server.ClientProxy.InvalidClientIdentifier',
  )
})

test('escapes markup and drops characters XML cannot carry', () => {
  const fault = {
    type: 'Client.BadRequest',
    message: 'bad <script>alert("&")</script>\u0001',
    detail: DETAIL,
  }
  const xml = renderXroadError(fault, 'application/xml').body
  expect(xml).toContain('<message>bad &lt;script&gt;alert("&amp;")&lt;/script&gt;\uFFFD</message>')
  expect(xml).not.toContain('<script>')
  expect(JSON.parse(renderXroadError(fault, null).body).message).toBe(fault.message)
})

test('maps identifier errors to faults as 7.6.3 raises them', () => {
  const fault = (error: IdentifierError) => identifierFault(error, DETAIL)
  const missing = parseClientId(undefined)
  const wrongCount = parseClientId('ee-test/GOV')
  const badChars = parseClientId('ee-test/GOV/70006317/a%20b')
  const shortPath = parseR1Path('/r1/invalid')
  const version = parseR1Path('/r2/a/b/c/d/e')
  if (missing.ok || wrongCount.ok || badChars.ok || shortPath.ok || version.ok)
    throw new Error('expected errors')

  expect(fault(missing.error)).toEqual({
    type: 'Server.ClientProxy.InvalidClientIdentifier',
    message: 'The client identifier is missing',
    detail: DETAIL,
  })
  expect(fault(wrongCount.error)).toMatchObject({
    type: 'Server.ClientProxy.InternalError',
    message: 'Invalid Client Id',
  })
  expect(fault(shortPath.error)).toMatchObject({
    type: 'Server.ClientProxy.InternalError',
    message: 'Invalid request URI',
  })
  expect(fault(badChars.error).type).toBe('Client.BadRequest')
  expect(fault(version.error)).toMatchObject({
    type: 'Client.InvalidProtocolVersion',
    message: 'Unsupported protocol version 2',
  })
  expect(renderXroadError(fault(badChars.error), null).status).toBe(400)
})
