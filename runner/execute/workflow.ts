import type { Federation } from '../../specs/federation/index.ts'
import { specValidator } from '../../specs/openapi/validator.ts'
import { faultCodeIn } from '../../specs/protocol/xroad-versions/index.ts'
import { METASERVICES_PROFILE } from '../../specs/conformance/index.ts'
import type { ExchangeContext, ReceivedFault } from '../checks/types.ts'
import { evaluateCriterion } from '../criteria/index.ts'
import { resolveValue, type ExpressionContext } from '../expressions/index.ts'
import type { RunnerListener } from '../events.ts'
import type { Action, Criterion, Scenario, Step, Workflow } from '../scenario/types.ts'
import { CLIENT_HEADER } from '../scenario/index.ts'
import type { Environment, Session } from '../transport.ts'
import type { CheckFailure, CheckOutcome, Exchange, StepResult, WorkflowResult } from '../types.ts'
import { applyChecks, ownFailure } from './apply-checks.ts'
import { sendExchange } from './exchange.ts'
import { redactExchange, secretsOf } from './redact-exchange.ts'
import { redactValuesDeep, secretSchemaValues } from '../../specs/redaction/index.ts'
import { buildPayload } from './payload.ts'
import { buildRequest, type ResolvedParameter } from './request.ts'

export type ScenarioRun = {
  scenario: Scenario
  scenarioId: string
  federation: Federation
  session: Session
  env: Environment
  listener: RunnerListener
  /** Provider timeout the runner waits for, per exchange. */
  timeoutMs: number
  /** Upper bound on an Arazzo `retryAfter` wait, in ms. */
  maxRetryDelayMs: number
  /** Results of workflows already run in this scenario (dependsOn, workflow steps). */
  done: Map<string, WorkflowResult>
  inputsOf: Map<string, Record<string, unknown>>
  /** Values of inputs marked secret (see `scenarioSecrets`), hidden in everything recorded. */
  secrets: Set<string>
  /** Workflow outputs as resolved, for the expressions of later steps (results keep them redacted). */
  outputsOf: Map<string, Record<string, unknown>>
}

/** The values of every workflow's inputs that its schema marks secret, as the scenario starts. */
export const scenarioSecrets = (scenario: Scenario): Set<string> =>
  new Set(scenario.workflows.flatMap((w) => secretSchemaValues(w.inputsSchema, w.inputDefaults)))

/** What a step's record hides by value: the credentials it sent and the scenario's secret inputs. */
const secretsFor = (run: ScenarioRun, exchange: Exchange): string[] => [
  ...secretsOf(exchange),
  ...run.secrets,
]

// A guard against goto loops: no workflow runs more steps than this.
const MAX_STEP_RUNS = 500

/** Runs one workflow of a scenario with the given inputs, step by step, following Arazzo's actions. */
export const runWorkflow = async (
  run: ScenarioRun,
  workflow: Workflow,
  inputs: Record<string, unknown>,
): Promise<WorkflowResult> => {
  run.inputsOf.set(workflow.workflowId, inputs)
  for (const value of secretSchemaValues(workflow.inputsSchema, inputs)) run.secrets.add(value)
  const result: WorkflowResult = {
    workflowId: workflow.workflowId,
    ...(workflow.summary ? { summary: workflow.summary } : {}),
    ...(workflow.profile ? { profile: workflow.profile } : {}),
    ...(workflow.client ? { client: workflow.client } : {}),
    state: 'pass',
    steps: [],
    outcomes: [],
    failures: [],
    outputs: {},
  }
  for (const dependency of workflow.dependsOn) {
    const before = await runDependency(run, dependency)
    if (before.state !== 'pass') {
      result.state = 'skip'
      result.message = `skipped: the workflow it depends on, ${dependency}, did not pass`
      run.done.set(workflow.workflowId, result)
      return result
    }
  }
  const stepOutputs: Record<string, { outputs: Record<string, unknown> }> = {}
  const contexts: ExchangeContext[] = []
  const attempts = new Map<string, number>()
  let index = 0
  let runs = 0
  let ended = false
  while (index < workflow.steps.length && !ended) {
    if (++runs > MAX_STEP_RUNS) {
      result.state = 'error'
      result.message = `stopped after ${MAX_STEP_RUNS} step runs: the onSuccess/onFailure actions loop`
      break
    }
    const step = workflow.steps[index] as Step
    const attempt = (attempts.get(step.stepId) ?? 0) + 1
    attempts.set(step.stepId, attempt)
    const outcome = await runStep(run, workflow, step, inputs, stepOutputs, attempt)
    stepOutputs[step.stepId] = { outputs: outcome.outputs ?? outcome.result.outputs }
    if (outcome.context) contexts.push(outcome.context)
    const actions = outcome.success
      ? withInherited(step.onSuccess, workflow.successActions)
      : withInherited(step.onFailure, workflow.failureActions)
    const action = chooseAction(actions, outcome.expressionContext, attempt)
    const willRetry = action?.type === 'retry'
    if (!willRetry) {
      result.steps.push(outcome.result)
      run.listener.onStepResult?.({ id: run.scenarioId }, workflow, outcome.result)
    }
    if (!action) {
      if (!outcome.success) ended = true
      else index++
      continue
    }
    if (action.type === 'end') ended = true
    else if (action.type === 'retry') {
      await delay(
        retryDelayMs(action, outcome.result.exchange?.response?.headers, run.maxRetryDelayMs),
      )
      if (action.workflowId) {
        const target = run.scenario.workflows.find(
          (w) => w.workflowId === action.workflowId,
        ) as Workflow
        await runWorkflow(run, target, run.inputsOf.get(target.workflowId) ?? target.inputDefaults)
      }
      if (action.stepId) index = stepIndex(workflow, action.stepId)
    } else if (action.type === 'goto') {
      if (action.workflowId) {
        const target = run.scenario.workflows.find(
          (w) => w.workflowId === action.workflowId,
        ) as Workflow
        await runWorkflow(run, target, run.inputsOf.get(target.workflowId) ?? target.inputDefaults)
        ended = true
      } else if (action.stepId) index = stepIndex(workflow, action.stepId)
    }
  }
  finishWorkflow(run, workflow, result, contexts, inputs, stepOutputs)
  run.done.set(workflow.workflowId, result)
  run.listener.onWorkflowEnd?.({ id: run.scenarioId }, result)
  return result
}

const runDependency = async (run: ScenarioRun, workflowId: string): Promise<WorkflowResult> => {
  const existing = run.done.get(workflowId)
  if (existing) return existing
  const workflow = run.scenario.workflows.find((w) => w.workflowId === workflowId) as Workflow
  return runWorkflow(run, workflow, workflow.inputDefaults)
}

const stepIndex = (workflow: Workflow, stepId: string): number =>
  workflow.steps.findIndex((s) => s.stepId === stepId)

const delay = (ms: number) => (ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve())

/**
 * The first action whose criteria hold; a retry whose limit is spent is passed over, so the next
 * matching action runs (Arazzo 1.0.1, Failure Action Object). Without `retryLimit` a step is
 * retried once.
 */
const chooseAction = (
  actions: Action[],
  ctx: ExpressionContext,
  attempt: number,
): Action | undefined =>
  actions.find(
    (a) =>
      (a.type !== 'retry' || attempt <= (a.retryLimit ?? 1)) &&
      a.criteria.every((c) => evaluateCriterion(toCriterion(c), ctx).ok),
  )

/** The step's own actions, then the workflow's that the step does not override by name. */
export const withInherited = (own: Action[], inherited: Action[]): Action[] => [
  ...own,
  ...inherited.filter((a) => !own.some((o) => o.name === a.name)),
]

/**
 * How long to wait before a retry: the action's `retryAfter` or the response's HTTP
 * `Retry-After` (seconds or an HTTP date), whichever is longer, but never more than `capMs`.
 */
export const retryDelayMs = (
  action: Pick<Action, 'retryAfter'>,
  headers: Record<string, string> | undefined,
  capMs: number,
  now: () => number = Date.now,
): number => {
  const header = headers
    ? Object.entries(headers).find(([k]) => k.toLowerCase() === 'retry-after')?.[1]
    : undefined
  let fromHeader = 0
  if (header !== undefined) {
    const trimmed = header.trim()
    if (/^\d+$/.test(trimmed)) fromHeader = Number(trimmed) * 1000
    else {
      const date = Date.parse(trimmed)
      if (!Number.isNaN(date)) fromHeader = Math.max(0, date - now())
    }
  }
  return Math.min(Math.max((action.retryAfter ?? 0) * 1000, fromHeader), capMs)
}

const toCriterion = (c: Criterion) => ({ condition: c.condition, context: c.context, type: c.type })

type StepOutcome = {
  result: StepResult
  /** The step's outputs as resolved; `result` holds them with secrets hidden. */
  outputs?: Record<string, unknown>
  success: boolean
  expressionContext: ExpressionContext
  context?: ExchangeContext
}

const runStep = async (
  run: ScenarioRun,
  workflow: Workflow,
  step: Step,
  inputs: Record<string, unknown>,
  steps: Record<string, { outputs: Record<string, unknown> }>,
  attempt: number,
): Promise<StepOutcome> => {
  const base: StepResult = {
    stepId: step.stepId,
    workflowId: workflow.workflowId,
    state: 'pass',
    ...(step.description ? { description: step.description } : {}),
    attempts: attempt,
    outcomes: [],
    failures: [],
    outputs: {},
  }
  const workflows = Object.fromEntries(
    [...run.done.entries()].map(([id, w]) => [
      id,
      { inputs: run.inputsOf.get(id), outputs: run.outputsOf.get(id) ?? w.outputs },
    ]),
  )
  const ctx: ExpressionContext = {
    inputs,
    steps,
    workflows,
    components: run.scenario.components as ExpressionContext['components'],
    sources: Object.fromEntries(run.scenario.sources.map((s) => [s.name, { url: s.url }])),
    inputNames: workflow.inputNames,
  }
  const error = (message: string): StepOutcome => ({
    result: { ...base, state: 'error', message },
    success: false,
    expressionContext: ctx,
  })
  const where = (path: Array<string | number>) => {
    const at = run.scenario.locate(path)
    return `${at.line}:${at.column}`
  }

  const parameters: ResolvedParameter[] = []
  for (const p of step.parameters) {
    const resolved = resolveValue(p.value, ctx)
    if (!resolved.ok)
      return error(`parameter ${p.name} (line ${where(p.path)}): ${resolved.message}`)
    if (step.target.kind === 'operation')
      parameters.push({ name: p.name, in: p.in ?? 'query', value: resolved.value })
    else parameters.push({ name: p.name, in: 'query', value: resolved.value })
  }

  if (step.target.kind === 'workflow') {
    const targetId = step.target.workflowId
    const target = run.scenario.workflows.find((w) => w.workflowId === targetId) as Workflow
    const sub = await runWorkflow(run, target, {
      ...target.inputDefaults,
      ...Object.fromEntries(parameters.map((p) => [p.name, p.value])),
    })
    const subCtx: ExpressionContext = {
      ...ctx,
      outputs: run.outputsOf.get(targetId) ?? sub.outputs,
    }
    const criteria = evaluateAll(step.successCriteria, subCtx)
    const outputs = resolveOutputs(step.outputs, subCtx)
    const failed = sub.state !== 'pass' || criteria.length > 0 || outputs.failures.length > 0
    return {
      result: redactValuesDeep(
        {
          ...base,
          state: failed ? 'fail' : 'pass',
          outputs: outputs.values,
          ...(failed
            ? {
                message: [
                  `workflow ${targetId}: ${sub.state}`,
                  ...criteria,
                  ...outputs.failures,
                ].join('; '),
              }
            : {}),
        },
        run.secrets,
      ),
      outputs: outputs.values,
      success: !failed,
      expressionContext: subCtx,
    }
  }

  const { service, operation, spec } = step.target
  // A direct service's caller is whoever holds its credentials; a scenario may name it or not.
  const client =
    callingSubsystem(run.federation, step, parameters) ??
    (service.direct ? DIRECT_CLIENT : undefined)
  if (!client) return error(`step ${step.stepId} names no calling subsystem`)
  const clientInstance = client.split('/')[0] ?? ''
  // A direct service is called at its own address; the others through the client's security server.
  const protocol = service.direct ? 'https' : run.env.protocolOf(clientInstance)
  const providerProtocol = service.direct ? 'https' : run.env.protocolOf(service.instance)
  const ssUrl = service.direct
    ? run.session.transport.directServiceUrl?.(service.id)
    : run.session.transport.securityServerUrl(clientInstance)
  if (!protocol || !providerProtocol || !ssUrl) {
    return error(
      service.direct
        ? `${service.id} is reached directly, and this run serves no address for it`
        : `no security server for instance ${clientInstance} in this run`,
    )
  }
  let body: { contentType?: string; value: unknown } | undefined
  if (step.requestBody) {
    const payload = buildPayload(step.requestBody, ctx)
    if (!payload.ok) return error(`request body (line ${where(step.path)}): ${payload.message}`)
    body = { contentType: payload.contentType, value: payload.value }
  }
  const request = buildRequest({
    protocol,
    securityServerUrl: ssUrl,
    client,
    service,
    operation,
    parameters,
    body,
    call: step.call,
  })
  if ('error' in request) return error(request.error)

  const exchange = await sendExchange(run.session.transport, request, {
    id: `${run.scenarioId}/${workflow.workflowId}/${step.stepId}#${attempt}`,
    client,
    service: service.key,
    serviceId: service.id,
    operationId: operation.operationId,
    protocol,
    providerProtocol,
    timeoutMs: run.timeoutMs,
  })
  const responseCtx: ExpressionContext = {
    ...ctx,
    url: request.url,
    method: request.method,
    statusCode: exchange.response?.status,
    request: {
      headers: request.headers,
      query: new URLSearchParams(request.query),
      path: request.pathParams,
      body: request.bodyValue,
    },
    response: exchange.response
      ? { headers: exchange.response.headers, body: exchange.response.body }
      : undefined,
  }
  const criteriaFailures = exchange.response ? evaluateAll(step.successCriteria, responseCtx) : []
  const outputs = exchange.response
    ? resolveOutputs(step.outputs, responseCtx)
    : { values: {}, failures: [] }
  const fault = faultOf(exchange, protocol)
  const context: ExchangeContext = {
    exchange,
    federation: run.federation,
    spec,
    operation,
    validator: specValidator(spec),
    clientProtocol: protocol,
    providerProtocol,
    sent: { pathParams: request.pathParams, query: request.query },
    ...(step.expect ? { expect: step.expect } : {}),
    ...(fault ? { fault } : {}),
    criteriaCount: step.successCriteria.length + Object.keys(step.outputs).length,
    criteriaFailures: [...criteriaFailures, ...outputs.failures],
  }
  const place = {
    scenario: run.scenarioId,
    workflowId: workflow.workflowId,
    stepId: step.stepId,
    profile: profileOf(service),
  }
  const { outcomes, failures } = applyChecks(context, {
    ...place,
    disabled: step.checks?.disable ?? [],
  })
  const expectationMet = step.expect ? meetsExpectation(exchange, fault, step.expect) : true
  const success =
    exchange.response !== undefined &&
    criteriaFailures.length === 0 &&
    expectationMet &&
    (step.successCriteria.length > 0 || step.expect !== undefined || exchange.response.status < 400)
  if (!success && !outcomes.some((o) => !o.passed)) {
    const owned = ownFailure(context, place)
    outcomes.push(owned.outcome)
    failures.push(owned.failure)
  }
  const state = exchange.transportError ? 'fail' : failures.length > 0 || !success ? 'fail' : 'pass'
  return {
    // The credentials the step sent, by value, in everything recorded about it (messages too).
    result: redactValuesDeep(
      {
        ...base,
        state,
        exchange: redactExchange(exchange),
        outcomes,
        failures,
        outputs: outputs.values,
        ...(exchange.transportError ? { message: exchange.transportError } : {}),
      },
      secretsFor(run, exchange),
    ),
    outputs: outputs.values,
    success,
    expressionContext: responseCtx,
    context,
  }
}

/**
 * Who calls: the subsystem a client header parameter names (it wins over x-sild-client), else the
 * step's x-sild-client, else whatever the header says, read for its instance only (a malformed
 * client header is sent as written through the security server of the instance it names).
 */
const callingSubsystem = (
  federation: Federation,
  step: Step,
  parameters: ResolvedParameter[],
): string | undefined => {
  const header = parameters.findLast((p) => p.in === 'header' && CLIENT_HEADER.test(p.name))
  const named = typeof header?.value === 'string' ? header.value : undefined
  if (named && federation.subsystem(named)) return named
  return step.client ?? named
}

/** The contract a call exercises: its service, or X-Road's metaservices protocol for those. */
const profileOf = (service: { id: string; provider: string }): string =>
  service.provider === 'metaservice' ? METASERVICES_PROFILE : service.id

/** The caller of a direct service when the scenario names none. */
const DIRECT_CLIENT = 'HTTPS client'

const evaluateAll = (criteria: Criterion[], ctx: ExpressionContext): string[] =>
  criteria.flatMap((c) => {
    const r = evaluateCriterion(toCriterion(c), ctx)
    return r.ok ? [] : [r.message]
  })

const resolveOutputs = (outputs: Record<string, string>, ctx: ExpressionContext) => {
  const values: Record<string, unknown> = {}
  const failures: string[] = []
  for (const [name, expression] of Object.entries(outputs)) {
    const r = resolveValue(expression, ctx)
    if (r.ok) values[name] = r.value
    else failures.push(`output ${name}: ${r.message}`)
  }
  return { values, failures }
}

const faultOf = (exchange: Exchange, protocol: string): ReceivedFault | undefined => {
  const headers = exchange.response?.headers
  // No security server answers a direct call, so nothing in its answer is a security-server fault.
  if (!headers || protocol === 'https') return undefined
  const header = protocol === 'uxp-rest' ? 'uxp-error' : 'x-road-error'
  const code = headers[header]
  return code ? { code, header, body: exchange.response?.body } : undefined
}

const meetsExpectation = (
  exchange: Exchange,
  fault: ReceivedFault | undefined,
  expect: { error?: string; status?: number },
): boolean =>
  exchange.response !== undefined &&
  // Either X-Road style names the same fault here; expectedOutcome checks the answering style.
  (expect.error === undefined ||
    (fault !== undefined && faultCodeIn(fault.code, '7.6') === faultCodeIn(expect.error, '7.6'))) &&
  (expect.status === undefined || exchange.response.status === expect.status)

const finishWorkflow = (
  run: ScenarioRun,
  workflow: Workflow,
  result: WorkflowResult,
  contexts: ExchangeContext[],
  inputs: Record<string, unknown>,
  steps: Record<string, { outputs: Record<string, unknown> }>,
) => {
  const { outcomes, failures } = applyChecks(
    { workflowId: workflow.workflowId, exchanges: contexts },
    {
      scenario: run.scenarioId,
      workflowId: workflow.workflowId,
      profile: workflow.profile ?? contexts[0]?.exchange.serviceId ?? workflow.workflowId,
      disabled: workflow.checks?.disable ?? [],
    },
  )
  result.outcomes = outcomes
  result.failures = failures
  const outputs = resolveOutputs(workflow.outputs, { inputs, steps })
  run.outputsOf.set(workflow.workflowId, outputs.values)
  result.outputs = outputs.values
  if (outputs.failures.length) {
    result.message = [result.message, ...outputs.failures].filter(Boolean).join('; ')
  }
  if (run.secrets.size) {
    const { outcomes, failures, outputs, message } = redactValuesDeep(
      {
        outcomes: result.outcomes,
        failures: result.failures,
        outputs: result.outputs,
        message: result.message,
      },
      run.secrets,
    )
    Object.assign(result, { outcomes, failures, outputs }, message === undefined ? {} : { message })
  }
  if (result.state === 'pass') {
    if (result.steps.some((s) => s.state === 'error')) result.state = 'error'
    else if (
      result.steps.some((s) => s.state === 'fail') ||
      failures.length ||
      outputs.failures.length
    )
      result.state = 'fail'
    else if (result.steps.length < workflow.steps.length && !result.steps.length)
      result.state = 'skip'
  }
}

export type { CheckFailure, CheckOutcome }
