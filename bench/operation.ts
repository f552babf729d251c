import { serviceMocks } from '../mocks/services/index.ts'

/**
 * The operation every throughput ratio measures, on every side. The sandboxes of the benchmark run
 * with spec-only mocks, so Prism answers it everywhere (`providerWork` says so): the mocked service
 * asks Prism once and remembers its examples-first answer, as it does for every user; bare Prism
 * and `prism mock` work it out on every call.
 */
export const BENCH_OPERATION = {
  serviceId: 'ee-population-register',
  operationId: 'getPerson',
  /** The provider's own path, as the service and Prism see it. */
  path: '/persons/48001013546',
  instance: 'ee-test',
  client: 'ee-test/GOV/70006317/eesti-ee',
  service: 'ee-test/GOV/70008440/rr/population',
  /** A client without an access right, for refusals. */
  refusedClient: 'ee-test/COM/14001233/kyc',
} as const

/** The X-Road REST path on the consumer's security server. */
export const securityServerPath = (op = BENCH_OPERATION): string => `/r1/${op.service}${op.path}`

export const clientHeaders = (op = BENCH_OPERATION): Record<string, string> => ({
  'x-road-client': op.client,
  accept: 'application/json',
})

export const providerHeaders: Record<string, string> = { accept: 'application/json' }

/** Whether the mocked service answers the operation from its world handler or from Prism. */
export const providerWork = (
  mocks: 'world' | 'spec' = 'spec',
  op = BENCH_OPERATION,
): 'world handler' | typeof PRISM_REMEMBERED =>
  mocks === 'world' && serviceMocks.find((m) => m.id === op.serviceId)?.handlers[op.operationId]
    ? 'world handler'
    : PRISM_REMEMBERED

const PRISM_REMEMBERED = 'prism, its examples-first answer remembered after the first call'
