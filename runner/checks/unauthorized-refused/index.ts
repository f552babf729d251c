import { ACCESS_DENIED, faultCodeIn } from '../../../specs/protocol/index.ts'
import { describeOutcome, servicePath } from '../internal/exchange.ts'
import { answeringVersion, describeStyle, isRaisedBeforeAccessCheck } from '../internal/faults.ts'
import type { ExchangeCheck } from '../types.ts'

/**
 * A client without an access right for the method and path (per the federation's access rights)
 * is refused with `Server.ServerProxy.AccessDenied`, as the answering instance's version writes it. Not applied to services the federation does
 * not declare (metaservices, unknown services) nor when the call was refused for a reason the
 * security servers check before access rights (client id, registration, federation, unknown
 * service): the rights were never reached.
 */
export const unauthorizedRefused: ExchangeCheck = {
  scope: 'exchange',
  name: 'unauthorizedRefused',
  title: 'Callers without access refused',
  level: 4,
  severity: 'critical',
  mandatory: true,
  applies: (ctx) => {
    const { exchange, fault, federation } = ctx
    if (!exchange.response || (fault && isRaisedBeforeAccessCheck(fault.code))) return false
    const path = servicePath(exchange)
    return (
      path !== undefined &&
      federation.service(exchange.service) !== undefined &&
      !federation.allows(exchange.client, exchange.service, exchange.request.method, path)
    )
  },
  run: (ctx) => {
    const wanted = faultCodeIn(ACCESS_DENIED.code, answeringVersion(ctx))
    return ctx.fault?.code === wanted
      ? undefined
      : `${ctx.exchange.client} has no access right for ${ctx.exchange.request.method} ${servicePath(ctx.exchange)} on ${ctx.exchange.service}; expected fault ${wanted} (${describeStyle(ctx)}), got ${describeOutcome(ctx)}`
  },
}
