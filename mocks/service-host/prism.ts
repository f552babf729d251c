import type { PrismHttp } from '@stoplight/prism-http/dist/client.js'
import type { OpenApiDocument } from '../../specs/openapi/index.ts'

/** How Prism invents responses: examples first (the default), or seeded schema-driven data. */
export type PrismMockOptions = { dynamic?: boolean; seed?: string }

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

/**
 * An in-process Prism client for one bundled OpenAPI document. Prism is imported on first use:
 * it is heavy, and world-backed operations never need it.
 */
export const createPrismClient = async (
  document: OpenApiDocument,
  { dynamic = false, seed }: PrismMockOptions = {},
): Promise<PrismHttp> => {
  const [{ getHttpOperationsFromSpec }, { createClientFromOperations }] = await Promise.all([
    import('@stoplight/prism-http'),
    import('@stoplight/prism-http/dist/client.js'),
  ])
  const operations = await getHttpOperationsFromSpec(structuredClone(document))
  return createClientFromOperations(operations, {
    mock: { dynamic, ...(seed ? { seed } : {}) },
    validateRequest: true,
    validateResponse: false,
    checkSecurity: true,
    errors: false,
    upstreamProxy: undefined,
    isProxy: false,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    logger: silentLogger as any,
  } as Parameters<typeof createClientFromOperations>[1])
}
