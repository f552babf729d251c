import { statusForFaultCodeIn } from '../../../specs/protocol/index.ts'
import { answeringVersion, describeStyle } from '../internal/faults.ts'
import { onFault } from '../preconditions/index.ts'

/**
 * A fault's status follows its class as the answering instance's X-Road version decides it
 * (`statusForFaultCodeIn`): 500 for `Server.*` (7.6) or `server.*` (7.8), 400 for the rest.
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
  run: (ctx) => {
    const { exchange, fault, expect } = ctx
    // Without a fault header, the status is judged against the fault the step expected.
    const code = fault?.code ?? expect?.error
    if (!exchange.response || code === undefined) return undefined
    const version = answeringVersion(ctx)
    const expected = statusForFaultCodeIn(code, version)
    const prefix = version === '7.8' ? 'server.*' : 'Server.*'
    return exchange.response.status === expected
      ? undefined
      : `${fault ? 'fault' : 'the answer in place of fault'} ${code} came with status ${exchange.response.status}; expected ${expected} (${expected === 500 ? `${prefix} faults are 500` : `faults other than ${prefix} are 400`}; ${describeStyle(ctx)})`
  },
})
