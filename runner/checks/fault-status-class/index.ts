import { statusForFaultCode } from '../../../specs/protocol/index.ts'
import { onFault } from '../preconditions/index.ts'

/**
 * A fault's status follows its class (PR-REST §4.6, `statusForFaultCode`): 500 for `Server.*`,
 * 400 for the rest. X-Road 7.6.3's own codes for a missing or invalid client id
 * (`CLIENT_ID_FAULT_CODES_7_6_3`) are `Server.ClientProxy.*` and come with 500, so they pass by
 * the same rule; `expectedOutcome` accepts them where Sild's `Client.*` code is expected.
 */
export const faultStatusClass = onFault({
  scope: 'exchange',
  name: 'faultStatusClass',
  title: 'Fault status matches the fault class',
  level: 1,
  severity: 'medium',
  mandatory: true,
  appliedBy:
    'every security-server fault, e.g. a step calling from a client without an access right',
  applies: () => true,
  run: ({ exchange, fault, expect }) => {
    // Without a fault header, the status is judged against the fault the step expected.
    const code = fault?.code ?? expect?.error
    if (!exchange.response || code === undefined) return undefined
    const expected = statusForFaultCode(code)
    return exchange.response.status === expected
      ? undefined
      : `${fault ? 'fault' : 'the answer in place of fault'} ${code} came with status ${exchange.response.status}; expected ${expected} (${expected === 500 ? 'Server.* faults are 500' : 'faults other than Server.* are 400'})`
  },
})
