import {
  isRequestHashFormat,
  XROAD_HEADER,
  XROAD_HEADER_DISPLAY,
} from '../../../specs/protocol/index.ts'
import { headerOf, quote } from '../internal/exchange.ts'
import { onProviderAnswer, onXroadClient } from '../preconditions/index.ts'

/**
 * The X-Road response carries X-Road-Request-Hash, which the provider security server MUST create
 * (PR-REST §4.3): base64 of a SHA-512 digest, 88 characters. UXP documents no such header
 * (`UXP_CHOICES.requestHashHeader` is null), so it is asked of X-Road clients only.
 */
export const requestHashPresent = onXroadClient(
  onProviderAnswer({
    scope: 'exchange',
    name: 'requestHashPresent',
    title: 'X-Road-Request-Hash present',
    level: 1,
    severity: 'high',
    mandatory: true,
    appliedBy: 'every answer of the provider to an X-Road client',
    applies: () => true,
    run: ({ exchange }) => {
      const value = headerOf(exchange.response?.headers, XROAD_HEADER.requestHash)
      if (value === undefined) {
        return `the response has no ${XROAD_HEADER_DISPLAY.requestHash} header; the provider security server must add one`
      }
      return isRequestHashFormat(value)
        ? undefined
        : `${XROAD_HEADER_DISPLAY.requestHash} is ${quote(value)}; expected base64 of a 64-byte SHA-512 digest (88 characters ending in "==")`
    },
  }),
)
