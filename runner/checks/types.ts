import type { Federation } from '../../specs/federation/index.ts'
import type { OperationModel, SpecModel } from '../../specs/openapi/index.ts'
import type { SpecValidator } from '../../specs/openapi/validator.ts'
import type { Exchange, Level, Protocol, Severity } from '../types.ts'

/** What the step expected from the security servers (`x-sild-expect`): a refusal, or a status. */
export type Expectation = { error?: string; status?: number }

/** A security-server fault as the client received it. */
export type ReceivedFault = {
  /** The error header's value (`X-Road-Error` or `Uxp-Error`). */
  code: string
  header: string
  body: unknown
}

/** Everything a check may look at for one exchange. Read-only. */
export type ExchangeContext = {
  exchange: Exchange
  federation: Federation
  spec: SpecModel
  operation: OperationModel
  validator: SpecValidator
  /** Protocol of the client's own instance (what its security server speaks). */
  clientProtocol: Protocol
  /** Protocol of the provider's instance. */
  providerProtocol: Protocol
  /** Path parameters and query the step sent, after runtime expressions. */
  sent: { pathParams: Record<string, string>; query: Record<string, string> }
  expect?: Expectation
  /** Present when the response is a security-server fault. */
  fault?: ReceivedFault
  /** How many success criteria (and outputs) the step had to meet. */
  criteriaCount: number
  /** Failures of the step's success criteria and outputs (empty when they held). */
  criteriaFailures: string[]
}

/** Everything a workflow-level check may look at. */
export type WorkflowContext = {
  workflowId: string
  exchanges: ReadonlyArray<ExchangeContext>
}

/** A failure message, or several; undefined or [] means the check passed. */
export type Verdict = string | string[] | undefined

type CheckMeta = {
  /** camelCase noun phrase for the property checked, e.g. `responseSchemaConformance`. */
  name: string
  title: string
  level: Level
  severity: Severity
  /** Mandatory checks decide the level; the others only weigh on the score. */
  mandatory: boolean
  /** What in a scenario applies the check: the hint a scorecard gives when it was never applied. */
  appliedBy: string
  /** Whom a failure is about: the provider side (default) or the calling client. */
  subject?: 'provider' | 'client'
}

export type ExchangeCheck = CheckMeta & {
  scope: 'exchange'
  /** Whether the check has anything to say about this exchange (not applied = not counted). */
  applies(ctx: ExchangeContext): boolean
  run(ctx: ExchangeContext): Verdict
}

export type WorkflowCheck = CheckMeta & {
  scope: 'workflow'
  applies(ctx: WorkflowContext): boolean
  run(ctx: WorkflowContext): Verdict
}

export type Check = ExchangeCheck | WorkflowCheck
