import { createHash } from 'node:crypto'
import { expect, test } from 'vitest'
import {
  computeRequestHash,
  isRequestHashFormat,
  serializeRestRequestHead,
  type RequestHashInput,
} from './index.ts'

const BODY = new TextEncoder().encode('{"personalCode":"38001085718"}')

const INPUT: RequestHashInput = {
  method: 'POST',
  pathAndQuery: '/r1/ee-test/GOV/70008440/rr/population/persons?limit=1',
  headers: [
    ['x-road-client', 'ee-test/GOV/70006317/eesti-ee'],
    ['content-type', 'application/json'],
    ['x-road-request-id', '00000000-0000-4000-8000-000000000001'],
    ['x-road-id', 'ee-test-00000000-0000-4000-8000-000000000002'],
  ],
  body: BODY,
}

const HEAD =
  'POST\r\n' +
  '/r1/ee-test/GOV/70008440/rr/population/persons?limit=1\r\n' +
  'x-road-client:ee-test/GOV/70006317/eesti-ee\r\n' +
  'content-type:application/json\r\n' +
  'x-road-request-id:00000000-0000-4000-8000-000000000001\r\n' +
  'x-road-id:ee-test-00000000-0000-4000-8000-000000000002\r\n'

const sha512 = (data: string | Uint8Array) => createHash('sha512').update(data).digest()

test('serializes the head as method, path and name:value lines, each ending in CRLF', () => {
  expect(new TextDecoder().decode(serializeRestRequestHead(INPUT))).toBe(HEAD)
})

test('hashes the head alone when there is no body', () => {
  const expected = sha512(HEAD).toString('base64')
  expect(computeRequestHash({ ...INPUT, body: undefined })).toBe(expected)
  expect(computeRequestHash({ ...INPUT, body: undefined })).toBe(
    'u2keTMVfl3z5NeuOVYthsIC2ONxi3BywkHb31CqGfTHDuZhS4drs6lCtLnynsxKDd22NiNxD6aNA7rx+zLdCbQ==',
  )
})

test('hashes the head digest followed by the body digest when there is a body (xroad-request-hash)', () => {
  const expected = sha512(Buffer.concat([sha512(HEAD), sha512(BODY)])).toString('base64')
  expect(computeRequestHash(INPUT)).toBe(expected)
  expect(computeRequestHash(INPUT)).toBe(
    'D/vckoRqugTwyLdmDuGn7K0EuGpIqcc7qEUX7MQpSoe/kthCCIwKs4zLsbjBYQhKC3EzixDczdJlXtfd0vkrMw==',
  )
})

test('treats an empty body as no body', () => {
  expect(computeRequestHash({ ...INPUT, body: new Uint8Array() })).toBe(
    computeRequestHash({ ...INPUT, body: undefined }),
  )
})

test('serializes header values as UTF-8', () => {
  const head = serializeRestRequestHead({
    method: 'GET',
    pathAndQuery: '/r1/a',
    headers: [['x-road-issue', 'ö']],
  })
  expect([...head.slice(-4)]).toEqual([0xc3, 0xb6, 0x0d, 0x0a])
})

test('yields 88 characters of base64 of 64 bytes', () => {
  const hash = computeRequestHash(INPUT)
  expect(hash).toHaveLength(88)
  expect(Buffer.from(hash, 'base64')).toHaveLength(64)
  expect(isRequestHashFormat(hash)).toBe(true)
})

test('is stable for identical input', () => {
  expect(
    computeRequestHash({ ...INPUT, headers: [...INPUT.headers], body: Uint8Array.from(BODY) }),
  ).toBe(computeRequestHash(INPUT))
})

test('changes with any change to method, path, query, headers or body', () => {
  const base = computeRequestHash(INPUT)
  const [first, second, ...rest] = INPUT.headers
  const variants: RequestHashInput[] = [
    { ...INPUT, method: 'PUT' },
    { ...INPUT, pathAndQuery: '/r1/ee-test/GOV/70008440/rr/population/person?limit=1' },
    { ...INPUT, pathAndQuery: '/r1/ee-test/GOV/70008440/rr/population/persons?limit=2' },
    { ...INPUT, pathAndQuery: '/r1/ee-test/GOV/70008440/rr/population/persons' },
    { ...INPUT, headers: [['X-Road-Client', 'ee-test/GOV/70006317/eesti-ee'], second!, ...rest] },
    { ...INPUT, headers: [['x-road-client', 'ee-test/GOV/70006317/eesti-ee2'], second!, ...rest] },
    { ...INPUT, headers: [second!, first!, ...rest] },
    { ...INPUT, headers: [...INPUT.headers, ['accept', 'application/json']] },
    { ...INPUT, body: new TextEncoder().encode('{"personalCode":"38001085719"}') },
  ]
  const hashes = variants.map(computeRequestHash)
  for (const hash of hashes) expect(hash).not.toBe(base)
  expect(new Set(hashes).size).toBe(variants.length)
})

test('recognises the request hash format', () => {
  expect(
    isRequestHashFormat(
      'yFOLGuJ0zmLhZSgwp3ooSBQbR9ejSvTc6p6FvBmcSEB2tDD6bxpjiv8sHORxqz4MMgEADH7IcARNprLfEwudNw==',
    ),
  ).toBe(true)
  expect(isRequestHashFormat('4c519cf0-0e5e-4ccf-b72b-8ed6fe289e6e')).toBe(false)
  expect(isRequestHashFormat(sha512('x').toString('base64').slice(0, 87))).toBe(false)
  expect(isRequestHashFormat(createHash('sha256').update('x').digest('base64'))).toBe(false)
})
