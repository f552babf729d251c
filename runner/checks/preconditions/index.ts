import { isProviderAnswer } from '../internal/exchange.ts'
import type { ExchangeCheck, ExchangeContext } from '../types.ts'

const narrow = (
  check: ExchangeCheck,
  precondition: (ctx: ExchangeContext) => boolean,
): ExchangeCheck => ({
  ...check,
  applies: (ctx) => precondition(ctx) && check.applies(ctx),
})

/**
 * Applies the check only to the provider's own answers: an HTTP response that is not a
 * security-server fault (the contract of an OpenAPI operation says nothing about those).
 * @example export const statusCodeConformance = onProviderAnswer({ … })
 */
export const onProviderAnswer = (check: ExchangeCheck): ExchangeCheck =>
  narrow(check, isProviderAnswer)

/**
 * Applies the check only to security-server faults (`X-Road-Error` / `Uxp-Error` responses), and
 * to any answer outside 2xx where the step expects a fault: a reverse proxy's error page in place
 * of the security server's fault is then judged as the fault it should have been.
 */
export const onFault = (check: ExchangeCheck): ExchangeCheck =>
  narrow(
    check,
    ({ exchange, fault, expect }) =>
      exchange.response !== undefined &&
      (fault !== undefined ||
        (expect?.error !== undefined &&
          (exchange.response.status < 200 || exchange.response.status > 299))),
  )

/** Applies the check only when the client spoke X-Road REST to its own security server. */
export const onXroadClient = (check: ExchangeCheck): ExchangeCheck =>
  narrow(check, (ctx) => ctx.clientProtocol === 'xroad-rest')

/**
 * Applies the check only to calls through the security servers: not to a service the client
 * reaches directly over HTTPS (`access: direct`), where no security server adds or checks ids.
 */
export const throughSecurityServer = (check: ExchangeCheck): ExchangeCheck =>
  narrow(check, (ctx) => ctx.clientProtocol !== 'https')
