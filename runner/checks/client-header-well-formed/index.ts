import {
  clientHeader,
  lastHeaderValue,
  parseClientId,
  parseUxpClientId,
  UXP_HEADER,
  UXP_HEADER_DISPLAY,
  XROAD_HEADER_DISPLAY,
  type IdentifierError,
} from '../../../specs/protocol/index.ts'
import { headerList, quote } from '../internal/exchange.ts'
import { isClientRefusal } from '../internal/faults.ts'
import { throughSecurityServer } from '../preconditions/index.ts'
import type { ExchangeCheck } from '../types.ts'

/**
 * The client's own header naming it parses: `X-Road-Client` (X-Road's only client header) for
 * X-Road clients, `Uxp-Client` for Trembita clients. Not applied when the step
 * sends a malformed or unknown client id on purpose (it expects its client to be refused), nor to
 * a direct service's calls, which name no client in a header.
 */
export const clientHeaderWellFormed: ExchangeCheck = throughSecurityServer({
  scope: 'exchange',
  name: 'clientHeaderWellFormed',
  title: 'Client header well-formed',
  level: 1,
  severity: 'high',
  mandatory: true,
  appliedBy: 'every call: the client header the calling information system sent',
  subject: 'client',
  applies: ({ expect }) => expect?.error === undefined || !isClientRefusal(expect.error),
  run: ({ exchange, clientProtocol, federation }) => {
    const headers = headerList(exchange.request.headers)
    if (clientProtocol === 'uxp-rest') {
      const value = lastHeaderValue(headers, UXP_HEADER.client)
      const parsed = parseUxpClientId(value)
      return parsed.ok ? undefined : describe(UXP_HEADER_DISPLAY.client, value, parsed.error)
    }
    // PR-REST §4.8's characters bind a client only where its instance has strict-identifier-checks
    // (the message-log scorer runs this check without a federation: strict, the default).
    const header = clientHeader(headers)
    const named = parseClientId(header?.value, { charset: 'lenient' })
    const instance = named.ok ? federation?.instance(named.value.instance) : undefined
    const strict = instance?.strictIdentifierChecks !== false
    const parsed = parseClientId(header?.value, { charset: strict ? 'pr-rest' : 'lenient' })
    if (parsed.ok) return undefined
    const problem = describe(XROAD_HEADER_DISPLAY.client, header?.value, parsed.error)
    return parsed.error.code === 'InvalidCharacters'
      ? `${problem}; ${instance?.code ?? 'the instance'} has strict-identifier-checks`
      : problem
  },
})

const describe = (name: string, value: string | undefined, error: IdentifierError): string =>
  value === undefined
    ? `the request has no ${name} header: ${error.hint}`
    : `${name} ${quote(value)} does not parse: ${error.message} (${error.hint})`
