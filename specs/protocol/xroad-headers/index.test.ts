import { expect, test } from 'vitest'
import {
  XROAD_HEADER,
  XROAD_HEADER_DISPLAY,
  clientHeader,
  consumerRequestHeaders,
  headerValues,
  isFilteredHeader,
  lastHeaderValue,
  providerResponseHeaders,
  toHeaderList,
  type HeaderList,
} from './index.ts'

test('names every header in lower case and in its PR-REST display form', () => {
  for (const [key, name] of Object.entries(XROAD_HEADER)) {
    expect(XROAD_HEADER_DISPLAY[key as keyof typeof XROAD_HEADER].toLowerCase()).toBe(name)
  }
  expect(XROAD_HEADER_DISPLAY.userId).toBe('X-Road-UserId')
})

test('takes the last of duplicated headers from a raw list, ignoring name case', () => {
  const headers: HeaderList = [
    ['X-Road-Client', 'EE/GOV/1/first'],
    ['accept', 'application/json'],
    ['x-road-client', 'EE/GOV/2/last'],
  ]
  expect(lastHeaderValue(headers, 'X-ROAD-CLIENT')).toBe('EE/GOV/2/last')
  expect(headerValues(headers, 'x-road-client')).toEqual(['EE/GOV/1/first', 'EE/GOV/2/last'])
  expect(lastHeaderValue(headers, 'x-road-id')).toBeUndefined()
})

test('splits joined duplicates of identifier headers in a Headers object', () => {
  const headers = new Headers()
  headers.append('X-Road-Client', 'EE/GOV/1/first')
  headers.append('X-Road-Client', 'EE/GOV/2/last')
  expect(lastHeaderValue(headers, 'x-road-client')).toBe('EE/GOV/2/last')
})

test('keeps a comma inside a single identifier value', () => {
  const headers = new Headers({ 'X-Road-Client': 'EE/COM/a,b/sub' })
  expect(lastHeaderValue(headers, 'X-Road-Client')).toBe('EE/COM/a,b/sub')
})

test('returns free-text headers of a Headers object as joined', () => {
  const headers = new Headers()
  headers.append('X-Road-Issue', 'case 12, part 1')
  expect(lastHeaderValue(headers, 'X-Road-Issue')).toBe('case 12, part 1')
})

test('reads X-Road-Client beside a GovStack header', () => {
  const headers: HeaderList = [
    ['Information-Mediator-Client', 'eGovStack/GOV/90000009/digitalregistries'],
    ['X-Road-Client', 'EE/GOV/1/sub'],
  ]
  expect(clientHeader(headers)).toEqual({ name: 'x-road-client', value: 'EE/GOV/1/sub' })
})

test('does not read the GovStack client headers: X-Road has only X-Road-Client', () => {
  expect(
    clientHeader([['Information-Mediator-Client', 'eGovStack/GOV/90000009/dr']]),
  ).toBeUndefined()
  expect(clientHeader(new Headers({ 'X-GovStack-Client': 'eGovStack/GOV/1/x' }))).toBeUndefined()
  expect(clientHeader([['accept', '*/*']])).toBeUndefined()
})

test('filters hop-by-hop headers, Host, User-Agent, Server, Content-Length and Expect', () => {
  for (const name of [
    'Connection',
    'Keep-Alive',
    'Proxy-Authenticate',
    'Proxy-Authorization',
    'TE',
    'Trailer',
    'Transfer-Encoding',
    'Upgrade',
    'Host',
    'User-Agent',
    'Server',
    'Content-Length',
    'Expect',
  ]) {
    expect(isFilteredHeader(name)).toBe(true)
  }
  for (const name of ['Authorization', 'X-Powered-By', 'Content-Type', 'Accept', 'Cache-Control']) {
    expect(isFilteredHeader(name)).toBe(false)
  }
})

test('builds the forwarded request headers as the consumer SS does', () => {
  const forwarded = consumerRequestHeaders(
    [
      ['Host', 'ss.ee-test'],
      ['X-Road-Client', 'ee-test/GOV/70006317/eesti-ee'],
      ['X-Road-Request-Id', 'forged'],
      ['x-road-request-hash', 'forged'],
      ['Authorization', 'Bearer abc'],
      ['Content-Length', '2'],
      ['Accept', 'a'],
      ['Accept', 'b'],
    ],
    { requestId: 'rid', messageId: 'ee-test-mid' },
  )
  expect(forwarded).toEqual([
    ['X-Road-Client', 'ee-test/GOV/70006317/eesti-ee'],
    ['Authorization', 'Bearer abc'],
    ['Accept', 'a'],
    ['Accept', 'b'],
    ['x-road-request-id', 'rid'],
    ['x-road-id', 'ee-test-mid'],
  ])
})

test('keeps the client message id instead of generating one', () => {
  const forwarded = consumerRequestHeaders([['X-Road-Id', 'client-id']], {
    requestId: 'rid',
    messageId: 'gen',
  })
  expect(forwarded).toEqual([
    ['X-Road-Id', 'client-id'],
    ['x-road-request-id', 'rid'],
  ])
})

test('builds the response headers as the provider SS does', () => {
  const headers = providerResponseHeaders(
    [
      ['Content-Type', 'application/json'],
      ['X-Road-Id', 'forged'],
      ['X-Road-Client', 'forged'],
      ['X-Road-Request-Hash', 'forged'],
      ['Transfer-Encoding', 'chunked'],
      ['X-Powered-By', 'mock'],
    ],
    {
      messageId: 'mid',
      client: {
        instance: 'ee-test',
        memberClass: 'GOV',
        memberCode: '70006317',
        subsystemCode: 'eesti-ee',
      },
      service: {
        instance: 'ee-test',
        memberClass: 'GOV',
        memberCode: '70008440',
        subsystemCode: 'rr',
        serviceCode: 'a/b',
      },
      requestId: 'rid',
      requestHash: 'hash',
    },
  )
  expect(headers).toEqual([
    ['Content-Type', 'application/json'],
    ['X-Powered-By', 'mock'],
    ['x-road-id', 'mid'],
    ['x-road-client', 'ee-test/GOV/70006317/eesti-ee'],
    ['x-road-service', 'ee-test/GOV/70008440/rr/a%2Fb'],
    ['x-road-request-id', 'rid'],
    ['x-road-request-hash', 'hash'],
  ])
})

test('turns a Headers object into a raw list', () => {
  expect(toHeaderList(new Headers({ B: '2', a: '1' }))).toEqual([
    ['a', '1'],
    ['b', '2'],
  ])
})
