import { badIdentifierRejected } from './bad-identifier-rejected/index.ts'
import { clientHeaderWellFormed } from './client-header-well-formed/index.ts'
import { contentTypeConformance } from './content-type-conformance/index.ts'
import { crossStepConsistency } from './cross-step-consistency/index.ts'
import { errorBodyFormat } from './error-body-format/index.ts'
import { expectedOutcome } from './expected-outcome/index.ts'
import { faultStatusClass } from './fault-status-class/index.ts'
import { identifierEcho } from './identifier-echo/index.ts'
import { identifierFormatConformance } from './identifier-format-conformance/index.ts'
import { noInternalsLeaked } from './no-internals-leaked/index.ts'
import { reachable } from './reachable/index.ts'
import { requestHashPresent } from './request-hash-present/index.ts'
import { requestIdPresent } from './request-id-present/index.ts'
import { responseHeadersConformance } from './response-headers-conformance/index.ts'
import { responseIdsEchoed } from './response-ids-echoed/index.ts'
import { responseSchemaConformance } from './response-schema-conformance/index.ts'
import { statusCodeConformance } from './status-code-conformance/index.ts'
import { successCriteria } from './success-criteria/index.ts'
import { unauthorizedRefused } from './unauthorized-refused/index.ts'
import type { Check } from './types.ts'

export type {
  Check,
  ExchangeCheck,
  ExchangeContext,
  Expectation,
  ReceivedFault,
  Verdict,
  WorkflowCheck,
  WorkflowContext,
} from './types.ts'
export { onFault, onProviderAnswer, onXroadClient } from './preconditions/index.ts'

/** Every conformance check, in level order (Connected, Contract-conformant, Interoperable, Hardened). */
export const checks: readonly Check[] = [
  // 1 Connected
  reachable,
  clientHeaderWellFormed,
  responseIdsEchoed,
  requestIdPresent,
  requestHashPresent,
  errorBodyFormat,
  faultStatusClass,
  // 2 Contract-conformant
  statusCodeConformance,
  contentTypeConformance,
  responseSchemaConformance,
  responseHeadersConformance,
  identifierFormatConformance,
  // 3 Interoperable
  successCriteria,
  expectedOutcome,
  identifierEcho,
  crossStepConsistency,
  // 4 Hardened
  badIdentifierRejected,
  unauthorizedRefused,
  noInternalsLeaked,
]

/** The names scenarios use to switch checks off (`x-sild-checks: { disable: [...] }`). */
export const checkNames: readonly string[] = checks.map((check) => check.name)

const byName = new Map(checks.map((check) => [check.name, check]))

/** A check by its name, or undefined for a name no check has. */
export const checkByName = (name: string): Check | undefined => byName.get(name)
