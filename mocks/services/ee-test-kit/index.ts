import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import type { MockRequest, MockResponse, PeerCall, Peers, ServiceMock } from '../types.ts'

/** What a test gives for a request; the rest is filled as the engine would. */
export type RequestInit = {
  pathParams?: Record<string, string>
  query?: Record<string, string>
  headers?: Record<string, string>
  body?: unknown
}

/** Peers that answer from a function and remember every call, in order. */
export type FakePeers = Peers & { calls: PeerCall[] }

/** A peer answer for tests: the status and JSON body another service gives. */
export type FakeAnswer = { status: number; body?: unknown }

export const fakePeers = (
  answer: (call: PeerCall) => FakeAnswer | undefined = () => undefined,
): FakePeers => {
  const calls: PeerCall[] = []
  return {
    calls,
    async call(request) {
      calls.push(request)
      const { status, body } = answer(request) ?? {
        status: 404,
        body: { type: 'urn:sild:problem:not-found', title: 'Not found', status: 404 },
      }
      return { status, headers: new Headers({ 'content-type': 'application/json' }), body }
    },
  }
}

/** Calls a mock's handler for `operationId` directly, as the engine would after validation. */
export const invoke = async <S>(
  mock: ServiceMock<S>,
  state: S,
  operationId: string,
  init: RequestInit = {},
  peers: Peers = fakePeers(),
): Promise<MockResponse> => {
  const handler = mock.handlers[operationId]
  if (!handler) throw new Error(`${mock.id} has no handler for ${operationId}`)
  const request: MockRequest = {
    operationId,
    method: 'GET',
    path: '/',
    pathParams: init.pathParams ?? {},
    query: new URLSearchParams(init.query),
    headers: new Headers(init.headers),
    body: init.body,
  }
  return handler(request, { state, peers })
}

type CastPerson = {
  id: string
  givenName: string
  familyName: string
  sex: 'M' | 'F'
  birthDate: string
  citizenship: string
  personalCode?: string
  unzr?: string
  deceased?: string
  eResident?: { personalCode?: string; status: string }
}
type CastCompany = {
  id: string
  country: string
  name: string
  registryCode?: string
  status: string
  founded?: string
  deleted?: string
  people: Record<string, string[]>
}

/** The shared story every register's seed is derived from (mocks/world/cast.yaml). */
export const cast = parse(
  readFileSync(new URL('../../world/cast.yaml', import.meta.url), 'utf8'),
) as { people: CastPerson[]; companies: CastCompany[] }
