import { ACCESS_DENIED, faultCodeIn } from '../../../specs/protocol/index.ts'
import { describeOutcome, servicePath } from '../internal/exchange.ts'
import {
  answeringVersion,
  describeStyle,
  faultCodeMatches,
  isRaisedBeforeAccessCheck,
} from '../internal/faults.ts'
import type { ExchangeCheck, ExchangeContext } from '../types.ts'

/**
 * A direct service (`access: direct`) guards itself: an operation whose OpenAPI security
 * requirements the call does not meet (none of its credential headers sent, or one the service
 * never issued) is answered 401 Unauthorized (RFC 9110 §15.5.2), as Diia's acquirer API answers a
 * call without its session token.
 *
 * A client without an access right for the method and path (per the federation's access rights)
 * is refused with `Server.ServerProxy.AccessDenied`, as the answering instance's version writes it. Not applied to services the federation does
 * not declare (metaservices, unknown services) nor when the call was refused for a reason the
 * security servers check before access rights (client id, registration, federation, unknown
 * service): the rights were never reached. Also applied when the step expects that refusal (a
 * profile's outsider): if the federation or partner file grants the caller a right after all, the
 * probe's refusal cannot come, and that is this check's failure, not an untested level.
 */
export const unauthorizedRefused: ExchangeCheck = {
  scope: 'exchange',
  name: 'unauthorizedRefused',
  title: 'Callers without access refused',
  level: 4,
  severity: 'critical',
  mandatory: true,
  appliedBy:
    'a call without an access right or expecting AccessDenied; to a direct service, without credentials',
  applies: (ctx) => {
    const { exchange, fault } = ctx
    if (!exchange.response || (fault && isRaisedBeforeAccessCheck(fault.code))) return false
    if (ctx.clientProtocol === 'https') return withoutCredentials(ctx)
    return expectsAccessDenied(ctx) || withoutRight(ctx)
  },
  run: (ctx) => {
    if (ctx.clientProtocol === 'https') return refusedAsUnauthenticated(ctx)
    const wanted = faultCodeIn(ACCESS_DENIED.code, answeringVersion(ctx))
    if (ctx.fault?.code === wanted) return undefined
    const { client, request, service } = ctx.exchange
    const path = servicePath(ctx.exchange)
    if (!withoutRight(ctx))
      return `the step expects ${client} to be refused with ${wanted}, but the federation grants it ${request.method} ${path} on ${service}, so it got ${describeOutcome(ctx)}; grant this caller no access right (it is the probe's outsider)`
    return `${client} has no access right for ${request.method} ${path} on ${service}; expected fault ${wanted} (${describeStyle(ctx)}), got ${describeOutcome(ctx)}`
  },
}

const expectsAccessDenied = (ctx: ExchangeContext): boolean =>
  ctx.expect?.error !== undefined &&
  faultCodeMatches(
    ctx.expect.error,
    faultCodeIn(ACCESS_DENIED.code, answeringVersion(ctx)),
    answeringVersion(ctx),
  )

const withoutRight = ({ exchange, federation }: ExchangeContext): boolean => {
  const path = servicePath(exchange)
  return (
    path !== undefined &&
    federation.service(exchange.service) !== undefined &&
    !federation.allows(exchange.client, exchange.service, exchange.request.method, path)
  )
}

/** A call to a direct service's secured operation that sends none of its credential headers. */
const withoutCredentials = ({ exchange, operation }: ExchangeContext): boolean =>
  operation.secured &&
  !operation.securityHeaders.some((name) =>
    Object.keys(exchange.request.headers).some((sent) => sent.toLowerCase() === name),
  )

const refusedAsUnauthenticated = (ctx: ExchangeContext): string | undefined => {
  const { client, request, service } = ctx.exchange
  if (ctx.exchange.response?.status === 401) return undefined
  const needs = ctx.operation.securityHeaders.join(' or ')
  return `${client} called ${request.method} ${servicePath(ctx.exchange) ?? request.url} on ${service} without ${needs}; expected 401 Unauthorized, got ${describeOutcome(ctx)}`
}
