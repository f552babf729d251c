import type { ServiceModel } from '../../specs/federation/index.ts'
import type { OperationModel, SpecModel } from '../../specs/openapi/index.ts'
import type { JsonPath, SourceLocation } from '../../specs/source-file/index.ts'

/** The JSON path of an element in its scenario file; `Scenario.locate(path)` turns it into file:line:column. */
export type ElementPath = Array<string | number>

/**
 * A loaded, validated and resolved Arazzo 1.0.x scenario: every source is bound to a federation
 * service and its OpenAPI document, every step to its operation or workflow, and every
 * `$components` reference is replaced by the component it names. Runtime expressions stay
 * strings; the executor evaluates them.
 */
export type Scenario = {
  /** Absolute path of the scenario file. */
  file: string
  /** SHA-256 (hex) of the file's bytes, so a report can say exactly which scenario ran. */
  digest: string
  /** `info.title`. */
  title: string
  /** `info.description`. */
  description?: string
  /** `info.x-sild-i18n`: the title and description in other languages. */
  translations?: Translations
  /** `info.version`. */
  version: string
  sources: Source[]
  /** In file order. */
  workflows: Workflow[]
  /** The raw `components` object (inputs, parameters, successActions, failureActions), already resolved into the steps. */
  components: Record<string, unknown>
  /** file:line:column of the element at `path` (or of its nearest existing ancestor). */
  locate(path: JsonPath): SourceLocation
}

/** A `sourceDescriptions` entry. */
export type Source = {
  name: string
  /** `type`, or `openapi` when the file leaves it out. */
  type: 'openapi' | 'arazzo'
  /** The `url` as written in the scenario. */
  url: string
  /** Absolute path of the file the url names. */
  file: string
  /** The federation service an `openapi` source is bound to (by `x-sild-service` or by spec file). */
  service?: ServiceModel
  /** The OpenAPI document of an `openapi` source. */
  spec?: SpecModel
  path: ElementPath
}

/** Sild's `x-sild-checks`: checks switched off by name (the check registry's names). */
export type ChecksOptions = { disable?: string[] }

/**
 * Sild's `x-sild-expect` on a step: the step expects the security server (or provider) to refuse
 * the call. A step with `expect` passes when the refusal comes as described.
 */
export type Expectation = {
  /** X-Road / UXP fault code, e.g. `Server.ServerProxy.AccessDenied`. */
  error?: string
  /** HTTP status of the refusal. */
  status?: number
}

/**
 * Sild's `x-sild-call` on a step: the request departs from the protocol on purpose (negative
 * paths): another service key in the URL or Uxp-Service, protocol headers left out, raw headers
 * sent as given (after the protocol ones, so they win).
 */
export type CallOverride = {
  service?: string
  omitHeaders?: string[]
  headers?: Record<string, string>
}

/**
 * Sild's `x-sild-i18n`: an item's texts in other languages, by language code, then by the field
 * they translate (`{ uk: { description: '…' } }`).
 */
export type Translations = Record<string, Record<string, string>>

export type Workflow = {
  workflowId: string
  summary?: string
  description?: string
  /** `x-sild-i18n`: the summary and description in other languages. */
  translations?: Translations
  /** The calling subsystem `INSTANCE/CLASS/MEMBER/SUBSYSTEM`: `x-sild-client`, or a literal client header parameter of the workflow. */
  client?: string
  /** `x-sild-profile`: the conformance profile this workflow exercises. */
  profile?: string
  /** `x-sild-checks` of the workflow (its steps carry the union with their own). */
  checks?: ChecksOptions
  /** The `inputs` JSON Schema (2020-12) with `$ref`s to `#/components/inputs/…` inlined. */
  inputsSchema?: Record<string, unknown>
  /**
   * The input values to run with: the `default` of each property of the inputs schema (where
   * scenarios keep their world data), replaced by `inputOverrides` (`'*'` first, then this
   * workflow's own).
   */
  inputDefaults: Record<string, unknown>
  /** The names of the inputs the workflow declares (properties of its inputs schema). */
  inputNames: string[]
  /** Workflows (of this scenario) that must complete before this one runs. */
  dependsOn: string[]
  /** The workflow-level `parameters`, with `$components` references resolved. */
  parameters: Parameter[]
  steps: Step[]
  /** Output name → runtime expression. */
  outputs: Record<string, string>
  successActions: Action[]
  failureActions: Action[]
  path: ElementPath
}

/** What a step calls: an operation of a source, or another workflow of this scenario. */
export type StepTarget =
  | {
      kind: 'operation'
      source: Source
      operationId: string
      service: ServiceModel
      spec: SpecModel
      operation: OperationModel
    }
  | { kind: 'workflow'; workflowId: string }

export type Step = {
  stepId: string
  description?: string
  /** `x-sild-i18n`: the description in other languages. */
  translations?: Translations
  /**
   * The calling subsystem: the step's `x-sild-client`, else its workflow's, else the subsystem
   * a literal `X-Road-Client` / `Uxp-Client` header parameter names. Absent when only a client
   * header written as an expression (or malformed on purpose) names it; the runner then reads the
   * header when the step runs.
   */
  client?: string
  target: StepTarget
  /**
   * The parameters to send: the workflow's parameters that the operation declares, overridden by
   * the step's own (same `in` and `name`). For a workflow step: the called workflow's inputs.
   */
  parameters: Parameter[]
  requestBody?: RequestBody
  successCriteria: Criterion[]
  onSuccess: Action[]
  onFailure: Action[]
  /** Output name → runtime expression. */
  outputs: Record<string, string>
  /** `x-sild-expect`. */
  expect?: Expectation
  /** `x-sild-call`: deliberate departures from the protocol, for negative paths. */
  call?: CallOverride
  /** `x-sild-checks` of the workflow and of the step, merged. */
  checks?: ChecksOptions
  path: ElementPath
}

/** A parameter after `$components.parameters.*` resolution; `value` is a constant or a runtime expression string. */
export type Parameter = {
  name: string
  /** Always set for operation steps; absent for workflow steps (the value is an input of the called workflow). */
  in?: 'path' | 'query' | 'header' | 'cookie'
  value: unknown
  /** The parameter object the value comes from: in the step, or in components when used unchanged. */
  path: ElementPath
}

export type RequestBody = {
  contentType?: string
  /** Any JSON value; strings may be runtime expressions or embed `{$…}`. */
  payload?: unknown
  /** Arazzo payload replacements: JSON pointer `target` in the payload, `value` (constant or expression). */
  replacements?: Array<{ target: string; value: unknown }>
}

/** Arazzo's criterion expression type object (`{ type: jsonpath, version: draft-goessner-dispatch-jsonpath-00 }`). */
export type CriterionExpressionType = { type: 'jsonpath' | 'xpath'; version: string }

export type Criterion = {
  condition: string
  /** Runtime expression the condition applies to; required for `regex`, `jsonpath` and `xpath`. */
  context?: string
  /** Absent means `simple`. */
  type?: 'simple' | 'regex' | 'jsonpath' | 'xpath' | CriterionExpressionType
  path: ElementPath
}

/** A success or failure action after `$components.*Actions.*` resolution. */
export type Action = {
  name: string
  /** `retry` only appears among failure actions. */
  type: 'end' | 'goto' | 'retry'
  /** A step of the same workflow (checked at load time). */
  stepId?: string
  /** A workflow of this scenario (checked at load time). */
  workflowId?: string
  /** Seconds. */
  retryAfter?: number
  retryLimit?: number
  /** All must hold for the action to apply; empty means always. */
  criteria: Criterion[]
  path: ElementPath
}
