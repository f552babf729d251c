import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'
import { loadSpec } from '../../specs/openapi/index.ts'
import { createServiceHost } from './index.ts'

const SPEC = fileURLToPath(new URL('../../specs/ee/tax-board.yaml', import.meta.url))
const NO_PEERS = { call: async () => ({ status: 500, headers: new Headers(), body: undefined }) }

const answer = async (prism?: { dynamic?: boolean; seed?: string }) => {
  const host = await createServiceHost({ spec: await loadSpec(SPEC), peers: NO_PEERS, prism })
  const reply = await host.call({
    method: 'GET',
    pathname: '/tax-debts/persons/48001013546',
    search: '',
    headers: [['accept', 'application/json']],
  })
  return { status: reply.status, body: JSON.parse(Buffer.from(reply.body).toString('utf8')) }
}

const firstExample = async (): Promise<unknown> => {
  const spec = await loadSpec(SPEC)
  const media =
    spec.document.paths['/tax-debts/persons/{personalCode}'].get.responses['200'].content[
      'application/json'
    ]
  return Object.values(media.examples as Record<string, { value: unknown }>)[0]?.value
}

test('answers an operation without a world handler from its first example', async () => {
  expect(await answer()).toEqual({ status: 200, body: await firstExample() })
})

test('generates the same answer twice from the same seed when asked to be dynamic', async () => {
  const a = await answer({ dynamic: true, seed: '7' })
  const b = await answer({ dynamic: true, seed: '7' })
  expect(a.status).toBe(200)
  expect(a).toEqual(b)
  expect(a.body).not.toEqual(await firstExample())
})

test('rejects a wrong check digit before Prism is asked, naming the format', async () => {
  const host = await createServiceHost({ spec: await loadSpec(SPEC), peers: NO_PEERS })
  const reply = await host.call({
    method: 'GET',
    pathname: '/tax-debts/persons/48001013547',
    search: '',
    headers: [],
  })
  const body = JSON.parse(Buffer.from(reply.body).toString('utf8'))
  expect(reply.status).toBe(400)
  expect(body).toMatchObject({ type: 'urn:sild:problem:invalid-identifier' })
  expect(body.detail).toMatch(/check digit/)
})

const DIIA = fileURLToPath(new URL('../../specs/ua/diia.yaml', import.meta.url))

const listBranches = async (
  host: Awaited<ReturnType<typeof createServiceHost>>,
  headers: Array<[string, string]>,
) => {
  const reply = await host.call({
    method: 'GET',
    pathname: '/api/v2/acquirers/branches',
    search: '',
    headers,
  })
  return reply.status
}

test('checks the security requirement on every spec-only call, not once', async () => {
  const host = await createServiceHost({
    spec: await loadSpec(DIIA),
    peers: NO_PEERS,
    world: false,
  })
  expect(await listBranches(host, [['authorization', 'Bearer session-1']])).toBe(200)
  expect(await listBranches(host, [])).toBe(401)
  expect(await listBranches(host, [['authorization', 'Bearer session-2']])).toBe(200)
})

test('answers each spec-only call for the media type it asks, whatever earlier calls asked', async () => {
  const host = await createServiceHost({ spec: await loadSpec(SPEC), peers: NO_PEERS })
  const call = async (accept: string) => {
    const reply = await host.call({
      method: 'GET',
      pathname: '/tax-debts/persons/48001013546',
      search: '',
      headers: [['accept', accept]],
    })
    return { status: reply.status, body: JSON.parse(Buffer.from(reply.body).toString('utf8')) }
  }
  const refused = await call('text/csv')
  expect(refused.status).toBe(406)
  expect(refused.body).toMatchObject({ status: 406, type: expect.stringMatching(/NOT_ACCEPTABLE/) })
  const first = await call('application/json')
  expect(first).toEqual({ status: 200, body: await firstExample() })
  expect(await call('application/json')).toEqual(first)
  expect((await call('text/csv')).status).toBe(406)
})

test('answers a spec-only call with a trailing slash, and the next call without one alike', async () => {
  const host = await createServiceHost({
    spec: await loadSpec(SPEC),
    peers: NO_PEERS,
    world: false,
  })
  const call = async (pathname: string) => {
    const reply = await host.call({ method: 'GET', pathname, search: '', headers: [] })
    return { status: reply.status, body: JSON.parse(Buffer.from(reply.body).toString('utf8')) }
  }
  const expected = { status: 200, body: await firstExample() }
  expect(await call('/tax-debts/persons/48001013546/')).toEqual(expected)
  expect(await call('/tax-debts/persons/48001013546')).toEqual(expected)
})
