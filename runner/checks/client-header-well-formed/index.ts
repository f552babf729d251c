import {
  clientHeader,
  lastHeaderValue,
  parseClientId,
  parseUxpClientId,
  UXP_HEADER,
  UXP_HEADER_DISPLAY,
  XROAD_HEADER,
  XROAD_HEADER_DISPLAY,
  type IdentifierError,
} from '../../../specs/protocol/index.ts'
import { headerList, quote } from '../internal/exchange.ts'
import { isClientIdFault } from '../internal/faults.ts'
import type { ExchangeCheck } from '../types.ts'

/**
 * The client's own header naming it parses: `X-Road-Client` (X-Road's only client header) for
 * X-Road clients, `Uxp-Client` for Trembita clients. Not applied when the step
 * sends a malformed client id on purpose (it expects the fault for one).
 */
export const clientHeaderWellFormed: ExchangeCheck = {
  scope: 'exchange',
  name: 'clientHeaderWellFormed',
  title: 'Client header well-formed',
  level: 1,
  severity: 'high',
  mandatory: true,
  subject: 'client',
  applies: ({ expect }) => expect?.error === undefined || !isClientIdFault(expect.error),
  run: ({ exchange, clientProtocol }) => {
    const headers = headerList(exchange.request.headers)
    if (clientProtocol === 'uxp-rest') {
      const value = lastHeaderValue(headers, UXP_HEADER.client)
      const parsed = parseUxpClientId(value)
      return parsed.ok ? undefined : describe(UXP_HEADER_DISPLAY.client, value, parsed.error)
    }
    const header = clientHeader(headers)
    const parsed = parseClientId(header?.value)
    return parsed.ok
      ? undefined
      : describe(
          header === undefined || header.name === XROAD_HEADER.client
            ? XROAD_HEADER_DISPLAY.client
            : header.name,
          header?.value,
          parsed.error,
        )
  },
}

const describe = (name: string, value: string | undefined, error: IdentifierError): string =>
  value === undefined
    ? `the request has no ${name} header: ${error.hint}`
    : `${name} ${quote(value)} does not parse: ${error.message} (${error.hint})`
