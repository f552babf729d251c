import type { PrismHttp } from '@stoplight/prism-http/dist/client.js'
import type { OpenApiDocument } from '../../specs/openapi/index.ts'
import type { DirectReply } from '../sandbox/hosts.ts'
import type { MockResponse } from '../services/types.ts'

/** How Prism invents responses: examples first (the default), or seeded schema-driven data. */
export type PrismMockOptions = { dynamic?: boolean; seed?: string }

export type PrismClientOptions = PrismMockOptions & {
  /** false when the caller has validated the request against the same spec already. */
  validateRequest?: boolean
}

const noop = () => {}
// Prism wants a pino logger; Sild reports violations itself, so Prism stays silent.
const silentLogger = {
  info: noop,
  warn: noop,
  error: noop,
  debug: noop,
  trace: noop,
  fatal: noop,
  success: noop,
  child: () => silentLogger,
}

export type PrismRequest = {
  /** Path with its query string. */
  url: string
  method: string
  headers: Record<string, string>
  body?: unknown
}

/**
 * Asks Prism for one answer. Prism's client keeps the first call's Accept in its shared mock
 * settings, so each call gets its own copy; the problems Prism raises (406, no route) become
 * answers with their status, as `prism mock` would send them, and say so in `raised`.
 */
export const askPrism = async (
  client: PrismHttp,
  { dynamic = false, seed }: PrismMockOptions,
  { url, method, headers, body }: PrismRequest,
): Promise<{ answer: MockResponse; raised: boolean }> => {
  try {
    const output = await client.request(
      url,
      { method: method.toLowerCase() as 'get', headers, body },
      { mock: { dynamic, ...(seed ? { seed } : {}) } },
    )
    const out: Record<string, string> = {}
    for (const [k, v] of Object.entries(output.headers ?? {})) out[k.toLowerCase()] = String(v)
    return { answer: { status: output.status, headers: out, body: output.data }, raised: false }
  } catch (error) {
    const { status, name, message, detail } = error as {
      status?: unknown
      name?: string
      message?: string
      detail?: string
    }
    if (typeof status !== 'number') throw error
    return {
      answer: {
        status,
        headers: { 'content-type': 'application/problem+json' },
        body: { type: name, title: message, status, detail },
      },
      raised: true,
    }
  }
}

/**
 * An in-process Prism client for one bundled OpenAPI document. Prism is imported on first use:
 * it is heavy, and world-backed operations never need it.
 */
export const createPrismClient = async (
  document: OpenApiDocument,
  { dynamic = false, seed, validateRequest = true }: PrismClientOptions = {},
): Promise<PrismHttp> => {
  const [{ getHttpOperationsFromSpec }, { createClientFromOperations }] = await Promise.all([
    import('@stoplight/prism-http'),
    import('@stoplight/prism-http/dist/client.js'),
  ])
  const operations = await getHttpOperationsFromSpec(structuredClone(document))
  return createClientFromOperations(operations, {
    mock: { dynamic, ...(seed ? { seed } : {}) },
    validateRequest,
    validateResponse: false,
    checkSecurity: true,
    errors: false,
    upstreamProxy: undefined,
    isProxy: false,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    logger: silentLogger as any,
  } as Parameters<typeof createClientFromOperations>[1])
}

/**
 * Prism for a service host that validates requests itself: one client per document and settings,
 * shared by every sandbox session (Prism keeps no state between calls), and, examples-first, the
 * answers it has already worked out.
 */
export type HostPrism = {
  client(): Promise<PrismHttp>
  /** Examples-first answers by the host's key; undefined for dynamic answers, which vary. */
  answers: Map<string, DirectReply> | undefined
}

const hostPrisms = new WeakMap<OpenApiDocument, Map<string, HostPrism>>()

export const hostPrism = (document: OpenApiDocument, options: PrismMockOptions = {}): HostPrism => {
  let bySettings = hostPrisms.get(document)
  if (!bySettings) hostPrisms.set(document, (bySettings = new Map()))
  const key = options.dynamic ? `dynamic:${options.seed ?? ''}` : 'examples'
  let found = bySettings.get(key)
  if (!found) {
    let client: Promise<PrismHttp> | undefined
    found = {
      client: () =>
        (client ??= createPrismClient(document, { ...options, validateRequest: false })),
      answers: options.dynamic ? undefined : new Map(),
    }
    bySettings.set(key, found)
  }
  return found
}
