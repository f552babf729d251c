import { faultCodeIn, statusForFaultCodeIn } from '../../../specs/protocol/index.ts'
import { describeOutcome } from '../internal/exchange.ts'
import { answeringVersion, describeStyle, faultCodeMatches } from '../internal/faults.ts'
import type { ExchangeCheck } from '../types.ts'
import { badIdentifierRejected } from '../bad-identifier-rejected/index.ts'
import { unauthorizedRefused } from '../unauthorized-refused/index.ts'

/**
 * The step's `x-sild-expect` came true: the security servers answered with the expected fault code
 * and/or the response has the expected status. The expected code, in either X-Road style, is
 * expected as the answering instance's declared version writes it; where a client-id fault is
 * expected, the other client-id faults are accepted with the status that goes with them.
 * Refusing a bad identifier or an unauthorised caller is hardening: the level-4 checks for those
 * own that verdict, so an expectation of it does not count again at level 3.
 */
export const expectedOutcome: ExchangeCheck = {
  scope: 'exchange',
  name: 'expectedOutcome',
  title: 'Expected outcome',
  level: 3,
  severity: 'high',
  mandatory: true,
  appliedBy:
    'a step with x-sild-expect, or a step without successCriteria (it expects a status below 400)',
  applies: (ctx) =>
    (ctx.expect?.error !== undefined || ctx.expect?.status !== undefined) &&
    !badIdentifierRejected.applies(ctx) &&
    !unauthorizedRefused.applies(ctx),
  run: (ctx) => {
    const { error, status } = ctx.expect ?? {}
    const code = ctx.fault?.code
    const got = ctx.exchange.response?.status
    const version = answeringVersion(ctx)
    const wantedCode = error === undefined ? undefined : faultCodeIn(error, version)
    const errorHeld =
      error === undefined || (code !== undefined && faultCodeMatches(error, code, version))
    const variant =
      wantedCode !== undefined && code !== undefined && code !== wantedCode && errorHeld
    const statusHeld =
      status === undefined ||
      got === status ||
      (variant && code !== undefined && got === statusForFaultCodeIn(code, version))
    if (errorHeld && statusHeld) return undefined
    const wanted = [
      wantedCode === undefined ? undefined : `fault ${wantedCode} (${describeStyle(ctx)})`,
      status === undefined ? undefined : `status ${status}`,
    ]
      .filter((part) => part !== undefined)
      .join(' with ')
    return `expected ${wanted}; got ${describeOutcome(ctx)}`
  },
}
