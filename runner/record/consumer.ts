import type { Federation, ServiceModel } from '../../specs/federation/index.ts'
import { loadSpec, type OperationModel, type SpecModel } from '../../specs/openapi/index.ts'
import { specValidator } from '../../specs/openapi/validator.ts'
import {
  ACCESS_DENIED,
  CLIENT_DROPPED_HEADERS,
  CLIENT_ID_FAULT_CODES_SPEC,
  faultCodeIn,
  CLIENT_ID_INVALID,
  CLIENT_ID_MISSING,
  CLIENT_PROXY_UNKNOWN_MEMBER,
  INVALID_IDENTIFIER,
  MISSING_HEADER_FIELD,
  PROVIDER_ADDRESS_NOT_FOUND,
  UNKNOWN_SERVICE,
  XROAD_HEADER,
  parseR1Path,
  UXP_HEADER,
  UXP_HEADER_DISPLAY,
  uxpServicePath,
} from '../../specs/protocol/index.ts'
import { clientHeaderWellFormed } from '../checks/client-header-well-formed/index.ts'
import type { ExchangeContext } from '../checks/types.ts'
import { scoreRun, type ProfileRequirements } from '../scoring/index.ts'
import type {
  CheckFailure,
  CheckOutcome,
  Exchange,
  Level,
  Protocol,
  RunReport,
  ScenarioResult,
  Severity,
  StepResult,
  StepState,
  WorkflowResult,
} from '../types.ts'
import type { RecordedExchange } from './logged.ts'

/** What a consumer check sees: one request a partner's client sent, and how it went. */
export type ConsumerContext = {
  exchange: RecordedExchange
  federation: Federation
  /** The partner's instance: its clients are the ones scored. */
  instance: string
  clientProtocol: Protocol
  service?: ServiceModel
  spec?: SpecModel
  operation?: OperationModel
  pathParams?: Record<string, string>
}

export type ConsumerCheck = {
  name: string
  title: string
  level: Level
  severity: Severity
  mandatory: boolean
  applies(ctx: ConsumerContext): boolean
  run(ctx: ConsumerContext): string | undefined
}

// The faults a security server raises for a client id it cannot read.
const CLIENT_ID_FAULT_CODES: ReadonlySet<string> = new Set([
  CLIENT_ID_MISSING.code,
  CLIENT_ID_INVALID.code,
  INVALID_IDENTIFIER.code,
  ...CLIENT_ID_FAULT_CODES_SPEC,
])

// Logged in the logging server's X-Road version; compared in the catalogue's (7.6) spelling.
const faultOf = (ctx: ConsumerContext) => {
  const code = ctx.exchange.fault?.code
  return code === undefined ? undefined : faultCodeIn(code, '7.6')
}
const parsedClient = (ctx: ConsumerContext) =>
  ctx.exchange.client !== undefined && !CLIENT_ID_FAULT_CODES.has(faultOf(ctx) ?? '')
const headerProblem = (ctx: ConsumerContext): string | undefined => {
  const verdict = clientHeaderWellFormed.run({
    exchange: { request: { headers: ctx.exchange.requestHeaders } },
    clientProtocol: ctx.clientProtocol,
  } as unknown as ExchangeContext)
  return Array.isArray(verdict) ? verdict.join('; ') || undefined : verdict
}
const servicePath = (ctx: ConsumerContext) => ctx.exchange.path.split('?')[0] ?? ''
const headerOf = (ctx: ConsumerContext, name: string) =>
  Object.entries(ctx.exchange.requestHeaders).find(([k]) => k.toLowerCase() === name)?.[1]

/**
 * The checks of a partner's client, read from the message log of its own security server: the
 * protocol (level 1), the contract of the service called (2), the rights and purposes it uses (3).
 */
export const consumerChecks: readonly ConsumerCheck[] = [
  {
    name: clientHeaderWellFormed.name,
    title: clientHeaderWellFormed.title,
    level: 1,
    severity: 'high',
    mandatory: true,
    applies: () => true,
    run: (ctx) => {
      const problem = headerProblem(ctx)
      if (problem) return problem
      const code = faultOf(ctx)
      return code === CLIENT_ID_MISSING.code || code === CLIENT_ID_INVALID.code
        ? `refused with ${code}: ${ctx.exchange.fault?.message ?? ''}`
        : undefined
    },
  },
  {
    name: 'clientRegistered',
    title: 'Client is a subsystem of its instance',
    level: 1,
    severity: 'high',
    mandatory: true,
    applies: parsedClient,
    run: (ctx) => {
      const client = ctx.exchange.client as string
      const ours = client.split('/')[0]?.toLowerCase() === ctx.instance.toLowerCase()
      if (
        faultOf(ctx) === CLIENT_PROXY_UNKNOWN_MEMBER.code ||
        !ours ||
        !ctx.federation.subsystem(client)
      ) {
        return `the request names client ${client}, which is no subsystem of ${ctx.instance} in the partner file`
      }
      return undefined
    },
  },
  {
    name: 'protocolRequestWellFormed',
    title: 'Request well-formed for the protocol',
    level: 1,
    severity: 'high',
    mandatory: true,
    applies: (ctx) => headerProblem(ctx) === undefined,
    run: (ctx) => {
      const code = faultOf(ctx)
      if (!code || !code.startsWith('Client.')) return undefined
      if (code === CLIENT_ID_MISSING.code || code === CLIENT_ID_INVALID.code) return undefined
      // A missing declaration of purpose is purposeDeclared's finding, at its own level.
      if (code === MISSING_HEADER_FIELD.code && !headerOf(ctx, UXP_HEADER.purposeIds))
        return undefined
      return `the security server refused the request with ${code}: ${ctx.exchange.fault?.message ?? ''}`
    },
  },
  {
    name: 'serviceKnown',
    title: 'Calls a service that exists',
    level: 2,
    severity: 'high',
    mandatory: true,
    applies: (ctx) =>
      parsedClient(ctx) &&
      (ctx.exchange.service !== undefined ||
        [UNKNOWN_SERVICE.code, PROVIDER_ADDRESS_NOT_FOUND.code].includes(faultOf(ctx) ?? '')),
    run: (ctx) =>
      ctx.service && faultOf(ctx) !== UNKNOWN_SERVICE.code
        ? undefined
        : `no service ${ctx.exchange.service ?? ctx.exchange.path} in the federation (${faultOf(ctx) ?? 'unknown'})`,
  },
  {
    name: 'requestContractConformance',
    title: 'Request valid against the spec',
    level: 2,
    severity: 'high',
    mandatory: true,
    applies: (ctx) => ctx.service !== undefined && ctx.spec !== undefined,
    run: (ctx) => {
      if (!ctx.operation) {
        return `${ctx.exchange.method} ${servicePath(ctx)} is no operation of ${ctx.service?.id}`
      }
      const [, query = ''] = ctx.exchange.path.split('?')
      let body: unknown = ctx.exchange.requestBody
      const contentType = headerOf(ctx, 'content-type') ?? null
      if (typeof body === 'string' && /json/i.test(contentType ?? 'json')) {
        try {
          body = JSON.parse(body)
        } catch {
          return `the request body is not JSON: ${JSON.stringify(String(body).slice(0, 80))}`
        }
      }
      const diagnostics = specValidator(ctx.spec as SpecModel)
        .validateRequest(ctx.operation, {
          pathParams: ctx.pathParams ?? {},
          query: new URLSearchParams(query),
          headers: new Headers(ctx.exchange.requestHeaders),
          body,
          contentType,
        })
        .filter((d) => d.severity === 'error')
      return diagnostics.length
        ? `${ctx.operation.operationId}: ${diagnostics.map((d) => d.message).join('; ')}`
        : undefined
    },
  },
  {
    name: 'accessRightHeld',
    title: 'Uses only rights it holds',
    level: 3,
    severity: 'high',
    mandatory: true,
    applies: (ctx) => ctx.service !== undefined && parsedClient(ctx),
    run: (ctx) => {
      const { client, method } = ctx.exchange
      const key = ctx.service?.key as string
      const held = ctx.federation.allows(client as string, key, method, servicePath(ctx))
      if (held && faultOf(ctx) !== ACCESS_DENIED.code) return undefined
      return `${client} holds no right for ${method} ${servicePath(ctx)} on ${key}; declare it among the rights the partner needs, once the provider grants it`
    },
  },
  {
    name: 'purposeDeclared',
    title: 'Declares a purpose for personal data',
    level: 3,
    severity: 'medium',
    mandatory: true,
    applies: (ctx) =>
      ctx.operation?.personalData === true &&
      ctx.federation.instance(ctx.service?.instance ?? '')?.protocol === 'uxp-rest',
    run: (ctx) =>
      headerOf(ctx, UXP_HEADER.purposeIds)?.trim()
        ? undefined
        : `${ctx.operation?.operationId} returns personal data from Trembita; send ${UXP_HEADER_DISPLAY.purposeIds} with the declared purpose`,
  },
]

const CONSUMER_REQUIREMENTS: ProfileRequirements = {
  required: consumerChecks
    .filter((check) => check.mandatory)
    .map((check) => ({
      check: check.name,
      level: check.level,
      appliedBy: "a request of the partner's clients in the message log",
    })),
  notApplicable: [],
}

/** What a consumer scorecard must see applied: every mandatory consumer check. */
const consumerRequirements = (): ProfileRequirements => CONSUMER_REQUIREMENTS

/** The profile a client's requests to a service are scored under: `consumer:SERVICE-ID`. */
export const consumerProfile = (service: ServiceModel | undefined): string =>
  `consumer:${service?.id ?? 'unknown-service'}`

/**
 * A request the security server refused before reading it (a bad client header) is logged with
 * its raw target; the service it addressed is still read from it, so it counts for that service.
 */
const addressed = (exchange: RecordedExchange): RecordedExchange => {
  if (exchange.service !== undefined) return exchange
  const [pathname = '', query] = exchange.path.split('?')
  const suffix = query === undefined ? '' : `?${query}`
  if (pathname.startsWith('/r1/')) {
    const parsed = parseR1Path(pathname, { charset: 'lenient' })
    if (!parsed.ok) return exchange
    const id = parsed.value.serviceId
    return {
      ...exchange,
      service: `${id.instance}/${id.memberClass}/${id.memberCode}/${id.subsystemCode}/${id.serviceCode}`,
      path: `${parsed.value.servicePath}${suffix}`,
    }
  }
  const service = Object.entries(exchange.requestHeaders).find(
    ([name]) => name.toLowerCase() === UXP_HEADER.service,
  )?.[1]
  const servicePath = uxpServicePath(pathname)
  return service && servicePath !== undefined
    ? { ...exchange, service, path: `${servicePath}${suffix}` }
    : exchange
}

/** The context of one logged request: the service, spec and operation it names. */
export const consumerContext = async (
  recorded: RecordedExchange,
  federation: Federation,
  instance: string,
): Promise<ConsumerContext> => {
  const exchange = addressed(recorded)
  const service = exchange.service ? federation.service(exchange.service) : undefined
  const ctx: ConsumerContext = {
    exchange,
    federation,
    instance,
    clientProtocol: federation.instance(instance)?.protocol ?? exchange.protocol,
    ...(service ? { service } : {}),
  }
  if (!service) return ctx
  const spec = await loadSpec(service.specFile)
  const match = spec.match(exchange.method, exchange.path.split('?')[0] ?? '')
  return {
    ...ctx,
    spec,
    ...(match ? { operation: match.operation, pathParams: match.pathParams } : {}),
  }
}

/** Every consumer check that applies to the request, with its verdict. */
export const scoreConsumerRequest = (
  ctx: ConsumerContext,
  where: { scenario: string; workflowId: string; stepId: string },
): { outcomes: CheckOutcome[]; failures: CheckFailure[] } => {
  const outcomes: CheckOutcome[] = []
  const failures: CheckFailure[] = []
  const profile = consumerProfile(ctx.service)
  for (const check of consumerChecks) {
    if (!check.applies(ctx)) continue
    const message = check.run(ctx)
    outcomes.push({
      check: check.name,
      level: check.level,
      severity: check.severity,
      mandatory: check.mandatory,
      passed: message === undefined,
      ...(message === undefined ? {} : { message }),
      party: ctx.instance,
      profile,
    })
    if (message !== undefined) {
      failures.push({
        check: check.name,
        title: check.title,
        message,
        severity: check.severity,
        level: check.level,
        ...where,
        exchangeId: `${where.scenario}/${where.stepId}`,
        ...(ctx.operation ? { operationId: ctx.operation.operationId } : {}),
      })
    }
  }
  return { outcomes, failures }
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'

/**
 * The request as the client sent it: the log holds it as the consumer security server passed it
 * on, with X-Road-Request-Id (and -Hash) of its own and an `{instance}-{uuid}` X-Road-Id when the
 * client sent none. A curl that repeats those would send headers the server replaces anyway.
 */
const clientSentHeaders = (headers: Record<string, string>, instance: string) => {
  const generatedId = new RegExp(
    `^${instance.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-${UUID}$`,
    'i',
  )
  return Object.fromEntries(
    Object.entries(headers).filter(
      ([name, value]) =>
        !CLIENT_DROPPED_HEADERS.includes(name.toLowerCase()) &&
        !(name.toLowerCase() === XROAD_HEADER.id && generatedId.test(value)),
    ),
  )
}

/** The logged request as the runner's Exchange, so every report format can show it. */
export const asExchange = (ctx: ConsumerContext, id: string): Exchange => {
  const { exchange: e } = ctx
  const host = `http://${ctx.instance.toLowerCase()}.ss.sild.test`
  const url =
    e.service === undefined
      ? `${host}${e.path}`
      : ctx.clientProtocol === 'uxp-rest'
        ? `${host}/restapi${e.path}`
        : `${host}/r1/${e.service}${e.path}`
  const parse = (text: string | undefined, type: string | undefined) => {
    if (text === undefined || !type || !/json/i.test(type)) return text
    try {
      return JSON.parse(text) as unknown
    } catch {
      return text
    }
  }
  const responseHeaders = { ...e.responseHeaders }
  if (e.fault)
    responseHeaders[ctx.clientProtocol === 'uxp-rest' ? 'uxp-error' : 'x-road-error'] = e.fault.code
  const responseBody = e.fault
    ? { type: e.fault.code, message: e.fault.message ?? '' }
    : parse(e.responseBody, e.responseHeaders['content-type'])
  const requestBody = parse(e.requestBody, e.requestHeaders['content-type'])
  return {
    id,
    client: e.client ?? '(unreadable)',
    service: e.service ?? '(unknown)',
    serviceId: ctx.service?.id ?? '(unknown)',
    operationId: ctx.operation?.operationId ?? '',
    protocol: ctx.clientProtocol,
    request: {
      method: e.method,
      url,
      headers: clientSentHeaders(e.requestHeaders, ctx.instance),
      ...(requestBody !== undefined ? { body: requestBody } : {}),
    },
    response: {
      status: e.status,
      headers: responseHeaders,
      ...(responseBody !== undefined ? { body: responseBody } : {}),
    },
    durationMs: 0,
    hops: [
      {
        from: e.client ?? ctx.instance,
        to: `${ctx.instance} security server`,
        protocol: ctx.clientProtocol,
      },
    ],
    logRefs: [e.origin],
  }
}

/** The requests of a partner's clients in a message log: those its own security server took in. */
export const isPartnerClientRecord = (
  record: { kind?: string; instance?: string; roles?: string[] },
  instance: string,
): boolean =>
  record.kind === 'exchange' &&
  record.instance?.toLowerCase() === instance.toLowerCase() &&
  (record.roles ?? []).includes('consumer')

export type ConsumerReportOptions = {
  federation: Federation
  instance: string
  /** The log file read, for the report's scenario entry. */
  file: string
  digest: string
  version: string
  specsDigest: string
  /** When the first request was logged (ISO 8601). */
  startedAt: string
}

/**
 * A `sild.report/v1` report of a partner's client requests: one workflow per service called, one
 * step per request, scored per partner × `consumer:SERVICE`. Every report format renders it.
 */
export const consumerReport = async (
  exchanges: readonly RecordedExchange[],
  opts: ConsumerReportOptions,
): Promise<RunReport> => {
  const scenarioId = `consumer-${opts.instance}`
  const workflows = new Map<string, WorkflowResult>()
  let n = 0
  for (const exchange of exchanges) {
    const ctx = await consumerContext(exchange, opts.federation, opts.instance)
    const workflowId = ctx.service?.id ?? 'unknown-service'
    const stepId = `request${++n}`
    const { outcomes, failures } = scoreConsumerRequest(ctx, {
      scenario: scenarioId,
      workflowId,
      stepId,
    })
    const step: StepResult = {
      stepId,
      workflowId,
      state: failures.length ? 'fail' : 'pass',
      description: `${exchange.origin}: ${exchange.method} ${exchange.path} → ${exchange.status}${exchange.fault ? ` ${exchange.fault.code}` : ''}`,
      attempts: 1,
      exchange: asExchange(ctx, `${scenarioId}/${workflowId}/${stepId}#1`),
      outcomes,
      failures,
      outputs: {},
    }
    const workflow = workflows.get(workflowId) ?? {
      workflowId,
      summary: `Requests of ${opts.instance}'s clients to ${ctx.service?.key ?? 'services Sild does not know'}`,
      profile: consumerProfile(ctx.service),
      state: 'pass' as StepState,
      steps: [],
      outcomes: [],
      failures: [],
      outputs: {},
    }
    workflow.steps.push(step)
    if (step.state === 'fail') workflow.state = 'fail'
    workflows.set(workflowId, workflow)
  }
  const list = [...workflows.values()]
  const scenario: ScenarioResult = {
    id: scenarioId,
    file: opts.file,
    title: `Requests of ${opts.instance}'s clients, from the message log`,
    digest: opts.digest,
    state: list.some((w) => w.state === 'fail') ? 'fail' : 'pass',
    workflows: list,
    durationMs: 0,
  }
  const steps = list.flatMap((w) => w.steps)
  const outcomes = steps.flatMap((s) => s.outcomes)
  const count = (state: StepState) => steps.filter((s) => s.state === state).length
  return {
    schema: 'sild.report/v1',
    sild: { version: opts.version },
    specsDigest: opts.specsDigest,
    seed: 1,
    mode: 'http',
    complete: true,
    startedAt: opts.startedAt,
    durationMs: 0,
    scenarios: [scenario],
    scorecards: scoreRun([scenario], { requirements: consumerRequirements }),
    summary: {
      scenarios: {
        pass: scenario.state === 'pass' ? 1 : 0,
        fail: scenario.state === 'fail' ? 1 : 0,
        skip: 0,
        error: 0,
      },
      steps: { pass: count('pass'), fail: count('fail'), skip: 0, error: 0 },
      checks: {
        passed: outcomes.filter((o) => o.passed).length,
        failed: outcomes.filter((o) => !o.passed).length,
      },
      failures: steps.reduce((sum, s) => sum + s.failures.length, 0),
    },
  }
}
