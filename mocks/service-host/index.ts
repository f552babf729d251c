import { MAX_JSON_DEPTH, nestsDeeperThan } from '../../specs/json-depth/index.ts'
import { Hono } from 'hono'
import type { SpecModel } from '../../specs/openapi/index.ts'
import { mediaType, specValidator, type Diagnostic } from '../../specs/openapi/validator.ts'
import { problem } from '../services/problem.ts'
import type { MockResponse, Peers, ServiceMock } from '../services/types.ts'
import {
  toResponse,
  type DirectCall,
  type DirectHandler,
  type DirectReply,
} from '../sandbox/hosts.ts'
import { askPrism, hostPrism, type PrismMockOptions } from './prism.ts'

export type ServiceHostOptions<S> = {
  spec: SpecModel
  /** World-backed handlers; operations without one are answered by Prism. */
  mock?: ServiceMock<S>
  /** How this service calls other members (through its security server). */
  peers: Peers
  prism?: PrismMockOptions
  /** false: answer every operation from the spec through Prism, ignoring the world (spec-only mocks). */
  world?: boolean
}

export type ServiceHost<S> = {
  app: Hono
  /** The same answers without WHATWG Request/Response objects, for in-process callers. */
  call: DirectHandler
  /** Restores the register's seed records. */
  reset(): void
  readonly state: S | undefined
}

const NO_PEERS: Peers = {
  call: async () => {
    throw new Error('this service has no peers configured')
  },
}

/**
 * One provider information system: routes a request to its operation, validates it against the
 * spec (identifier formats included), then answers from the world handler or from Prism.
 */
export const createServiceHost = async <S>({
  spec,
  mock,
  peers = NO_PEERS,
  prism,
  world = true,
}: ServiceHostOptions<S>): Promise<ServiceHost<S>> => {
  // The request is validated below, against the same spec, before Prism sees it.
  const { client: prismClient, answers: staticAnswers } = hostPrism(spec.document, prism)
  const useWorld = world && mock !== undefined
  // Seeded on first use: a run that never reaches this register never copies its records.
  let seeded = false
  let state: S | undefined
  const current = (): S | undefined => {
    if (!seeded) {
      state = mock?.seed()
      seeded = true
    }
    return state
  }
  const app = new Hono()

  const answer = async (call: DirectCall): Promise<MockResponse | DirectReply> => {
    const headers = headerLookup(call.headers)
    const fault = parseFault(headers.get(FAULT_HEADER) ?? undefined)
    if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs))
    if (fault.status) {
      const kind = fault.status >= 500 ? 'unavailable' : 'validationFailed'
      return problem(kind, `fault injected by ${FAULT_HEADER}`)
    }
    const matched = spec.match(call.method, call.pathname)
    if (!matched) {
      return problem(
        'notFound',
        `no operation for ${call.method} ${call.pathname} in ${spec.title}`,
      )
    }
    const { operation, pathParams } = matched
    const contentType = headers.get('content-type')
    const text = call.body && call.body.byteLength > 0 ? decoder.decode(call.body) : ''
    let body: unknown
    if (text) {
      if (mediaType(contentType)?.endsWith('json')) {
        if (nestsDeeperThan(text)) {
          return problem(
            'validationFailed',
            `the request body nests deeper than ${MAX_JSON_DEPTH} levels`,
            [{ name: 'body', reason: `nested deeper than ${MAX_JSON_DEPTH} levels` }],
          )
        }
        try {
          body = JSON.parse(text)
        } catch {
          return problem('validationFailed', 'the request body is not valid JSON', [
            { name: 'body', reason: 'not valid JSON' },
          ])
        }
      } else {
        body = text
      }
    }
    const query = new URLSearchParams(call.search)
    const diagnostics = specValidator(spec).validateRequest(operation, {
      pathParams,
      query,
      headers,
      body,
      contentType,
    })
    if (diagnostics.length > 0) return rejection(diagnostics)

    const handler = useWorld ? mock?.handlers[operation.operationId] : undefined
    const state = handler ? current() : undefined
    if (handler && state !== undefined) {
      const request = {
        operationId: operation.operationId,
        method: call.method,
        path: call.pathname,
        pathParams,
        query,
        headers,
        body,
      }
      return handler(request, { state, peers })
    }
    // Examples-first answers of a validated request depend only on the operation and the media
    // types asked for, so each is worked out by Prism once. Security checks and callbacks depend
    // on more, and dynamic answers differ call to call: those always go to Prism.
    const memoKey =
      staticAnswers && !operation.secured && !operation.callbacks
        ? `${operation.operationId}\n${headers.get('accept') ?? ''}`
        : undefined
    const known = memoKey === undefined ? undefined : staticAnswers?.get(memoKey)
    if (known) return { ...known, headers: known.headers.map(([k, v]) => [k, v]) }
    // The operation matched with or without a trailing slash; Prism's router wants the path as
    // the spec writes it (GovStack's specs end theirs in one: `/config/policies/`).
    const path = asTemplated(call.pathname, operation.pathTemplate)
    const { answer: prismAnswer, raised } = await askPrism(await prismClient(), prism ?? {}, {
      url: `${path}${call.search}`,
      method: call.method,
      headers: headers.record,
      body,
    })
    const reply = toReply(prismAnswer)
    // Only answers Prism worked out are kept, never a problem it raised about this one request.
    // Accept is the caller's to choose: the cap keeps odd values from growing the memo.
    if (!raised && memoKey !== undefined && staticAnswers && staticAnswers.size < MEMO_LIMIT) {
      staticAnswers.set(memoKey, { ...reply, headers: reply.headers.map(([k, v]) => [k, v]) })
    }
    return reply
  }

  app.all('*', async function serveOperation(c) {
    const url = new URL(c.req.url)
    const body = ['GET', 'HEAD'].includes(c.req.method)
      ? undefined
      : new Uint8Array(await c.req.arrayBuffer())
    return toResponse(
      toReply(
        await answer({
          method: c.req.method,
          pathname: url.pathname,
          search: url.search,
          headers: [...c.req.raw.headers],
          body,
        }),
      ),
    )
  })

  return {
    app,
    call: async (call) => toReply(await answer(call)),
    reset: () => {
      seeded = false
      state = undefined
    },
    get state() {
      return current()
    },
  }
}

/**
 * Sandbox fault injection, honoured by every mocked service: `X-Sild-Fault: delay=3000` answers
 * late (to meet a security server's timeout), `status=503` answers with that status. It reaches
 * the mock as an ordinary header through the security servers.
 */
export const FAULT_HEADER = 'x-sild-fault'

const parseFault = (value: string | undefined): { delayMs?: number; status?: number } => {
  const out: { delayMs?: number; status?: number } = {}
  for (const part of (value ?? '').split(/[;,]/)) {
    const [key, raw] = part.split('=').map((x) => x.trim())
    const n = Number(raw)
    if (key === 'delay' && Number.isFinite(n) && n > 0) out.delayMs = Math.min(n, 60_000)
    if (key === 'status' && Number.isInteger(n) && n >= 400 && n <= 599) out.status = n
  }
  return out
}

/** The path with a trailing slash exactly when the operation's path template ends in one. */
const asTemplated = (pathname: string, template: string): string => {
  const bare = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname
  return template.length > 1 && template.endsWith('/') && bare !== '/' ? `${bare}/` : bare
}

const rejection = (diagnostics: Diagnostic[]): MockResponse => {
  const invalidParams = diagnostics.map((d) => ({ name: d.path, reason: d.message }))
  const firstFormat = diagnostics.find((d) => d.code === 'format')
  return firstFormat
    ? problem('invalidIdentifier', firstFormat.message, invalidParams)
    : problem('validationFailed', diagnostics.map((d) => d.message).join('; '), invalidParams)
}

/** Case-insensitive lookup over raw header lines, without building a WHATWG Headers object. */
const headerLookup = (lines: ReadonlyArray<readonly [string, string]>) => {
  const record: Record<string, string> = {}
  for (const [name, value] of lines) {
    const key = name.toLowerCase()
    record[key] = key in record ? `${record[key]}, ${value}` : value
  }
  return { record, get: (name: string): string | null => record[name.toLowerCase()] ?? null }
}

const MEMO_LIMIT = 512

const decoder = new TextDecoder()
const encoder = new TextEncoder()

/** A mock's answer as bytes; a remembered Prism answer is in bytes already. */
const toReply = (response: MockResponse | DirectReply): DirectReply => {
  if (response.body instanceof Uint8Array) return response as DirectReply
  const headers: Array<[string, string]> = Object.entries(response.headers ?? {}).map(([k, v]) => [
    k.toLowerCase(),
    v,
  ])
  const has = (name: string) => headers.some(([k]) => k === name)
  if (response.body === undefined || response.body === null) {
    return { status: response.status, headers, body: new Uint8Array() }
  }
  if (typeof response.body === 'string') {
    if (!has('content-type')) headers.push(['content-type', 'text/plain; charset=utf-8'])
    return { status: response.status, headers, body: encoder.encode(response.body) }
  }
  if (!has('content-type')) headers.push(['content-type', 'application/json'])
  return { status: response.status, headers, body: encoder.encode(JSON.stringify(response.body)) }
}
