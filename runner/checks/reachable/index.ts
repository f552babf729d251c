import { quote } from '../internal/exchange.ts'
import { answeringVersion, faultCodeMatches, isUnreachableFault } from '../internal/faults.ts'
import type { ExchangeCheck } from '../types.ts'

/**
 * An HTTP response came back, and it is not a security server reporting that the provider could
 * not be reached (network error, timeout, no usable answer) — unless the step expected exactly
 * that fault, as the negative scenarios for a provider timeout do. Applied to the calls that
 * reached for the provider: not to a refusal the security servers made before calling it.
 */
export const reachable: ExchangeCheck = {
  scope: 'exchange',
  name: 'reachable',
  title: 'Provider reachable',
  level: 1,
  severity: 'critical',
  mandatory: true,
  appliedBy: 'every call that reaches for the provider (not one a security server refuses first)',
  // A fault a security server raises before it calls the provider (no access right, unknown
  // service) says nothing about whether the provider can be reached.
  applies: ({ exchange, fault }) =>
    exchange.response === undefined || fault === undefined || isUnreachableFault(fault.code),
  run: (ctx) => {
    const { exchange, fault, expect } = ctx
    if (!exchange.response) {
      return `no HTTP response came back: ${exchange.transportError ?? 'transport error'} (after ${exchange.durationMs} ms)`
    }
    if (!fault || !isUnreachableFault(fault.code)) return undefined
    if (
      expect?.error !== undefined &&
      faultCodeMatches(expect.error, fault.code, answeringVersion(ctx))
    )
      return undefined
    const message = readMessage(fault.body)
    return `the security server could not get an answer from the provider: ${fault.code}${message === undefined ? '' : ` ${quote(message)}`} (status ${exchange.response.status})`
  },
}

const readMessage = (body: unknown): string | undefined =>
  body !== null &&
  typeof body === 'object' &&
  typeof (body as { message?: unknown }).message === 'string'
    ? (body as { message: string }).message
    : undefined
