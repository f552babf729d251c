import { XROAD_HEADER, XROAD_HEADER_DISPLAY } from '../../../specs/protocol/index.ts'
import { headerOf, quote } from '../internal/exchange.ts'
import { onProviderAnswer, onXroadClient } from '../preconditions/index.ts'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * The X-Road response carries X-Road-Request-Id, the UUID the consumer security server assigned
 * to correlate request and response in both logs (PR-REST §4.3, PR-MESSTRANSP §3.2). UXP has none.
 */
export const requestIdPresent = onXroadClient(
  onProviderAnswer({
    scope: 'exchange',
    name: 'requestIdPresent',
    title: 'X-Road-Request-Id present',
    level: 1,
    severity: 'high',
    mandatory: true,
    appliedBy: 'every answer of the provider to an X-Road client',
    applies: () => true,
    run: ({ exchange }) => {
      const value = headerOf(exchange.response?.headers, XROAD_HEADER.requestId)
      if (value === undefined) {
        return `the response has no ${XROAD_HEADER_DISPLAY.requestId} header; expected the UUID the consumer security server assigns`
      }
      return UUID.test(value)
        ? undefined
        : `${XROAD_HEADER_DISPLAY.requestId} is ${quote(value)}; expected a UUID`
    },
  }),
)
