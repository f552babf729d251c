// Builders for the checks' unit tests: exchanges as the runner records them, against a tiny
// in-memory spec and the bundled federation. Faults are rendered with specs/protocol, so the
// tests see exactly what the security servers send.
import { loadFederation } from '../../specs/federation/index.ts'
import { indexSpec, type OpenApiDocument } from '../../specs/openapi/index.ts'
import { specValidator } from '../../specs/openapi/validator.ts'
import {
  computeRequestHash,
  formatServiceId,
  parseServiceId,
  renderUxpError,
  renderXroadError,
  UXP_CHOICES,
  UXP_HEADER,
  XROAD_HEADER,
} from '../../specs/protocol/index.ts'
import type { Exchange, Protocol } from '../types.ts'
import { servicePath } from './internal/exchange.ts'
import type {
  Check,
  ExchangeCheck,
  ExchangeContext,
  Expectation,
  WorkflowCheck,
  WorkflowContext,
} from './types.ts'

export const EE_CLIENT = 'ee-test/GOV/70006317/eesti-ee'
/** A registered subsystem with no access right to the population register. */
export const EE_CLIENT_WITHOUT_RIGHTS = 'ee-test/COM/14001233/kyc'
export const EE_POPULATION = 'ee-test/GOV/70008440/rr/population'
export const UA_CLIENT = 'SEVDEIR-TEST/GOV/43220851/DIIA'
/** A client of FI-TEST, which runs X-Road 7.6. */
export const FI_CLIENT = 'FI-TEST/GOV/1234567-1/client'
export const UA_DEMOGRAPHIC = 'SEVDEIR-TEST/GOV/37508470/EDDR/DemographicRegister_v1'

export const VALID_CODE = '38001085718'
/** VALID_CODE with a wrong check digit. */
export const INVALID_CODE = '38001085719'
export const OTHER_VALID_CODE = '48001013546'

export const REQUEST_ID = '0b5e9d0e-3c47-4f6a-9a4e-6a1c2f0e7d11'
export const MESSAGE_ID = 'ee-test-2d1f8c3a-5b6e-4d7f-8a9b-0c1d2e3f4a5b'
export const QUERY_ID = '7a0c4e21-9d3b-4c5f-b6a7-1e2d3c4b5a69'
export const FAULT_DETAIL = 'f4e3d2c1-b0a9-4877-8665-544332211000'

const problem = { $ref: '#/components/responses/Problem' }

/** The tiny register every check test calls: persons by personal code, and a search. */
export const TEST_DOCUMENT: OpenApiDocument = {
  openapi: '3.1.0',
  info: { title: 'Test register', version: '1.0.0', 'x-sild-service': 'test-register' },
  paths: {
    '/persons': {
      get: {
        operationId: 'searchPersons',
        parameters: [
          { name: 'personalCode', in: 'query', schema: { $ref: '#/components/schemas/Code' } },
          { name: 'givenName', in: 'query', schema: { type: 'string' } },
        ],
        responses: {
          '200': {
            description: 'Matches',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['total', 'items'],
                  properties: {
                    total: { type: 'integer' },
                    items: { type: 'array', items: { $ref: '#/components/schemas/Person' } },
                  },
                },
              },
            },
          },
          '400': problem,
        },
      },
    },
    '/persons/{personalCode}': {
      get: {
        operationId: 'getPerson',
        parameters: [{ $ref: '#/components/parameters/PersonalCode' }],
        responses: {
          '200': {
            description: 'The person',
            headers: {
              'X-Record-Version': { required: true, schema: { type: 'integer', minimum: 1 } },
            },
            content: {
              'application/json': { schema: { $ref: '#/components/schemas/Person' } },
            },
          },
          '400': problem,
          '404': problem,
          '500': problem,
        },
      },
    },
  },
  components: {
    parameters: {
      PersonalCode: {
        name: 'personalCode',
        in: 'path',
        required: true,
        schema: { $ref: '#/components/schemas/Code' },
      },
    },
    responses: {
      Problem: {
        description: 'A problem',
        content: {
          'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
        },
      },
    },
    schemas: {
      Code: { type: 'string', format: 'ee-personal-code' },
      Person: {
        type: 'object',
        required: ['personalCode', 'givenName', 'birthDate'],
        properties: {
          personalCode: { $ref: '#/components/schemas/Code' },
          givenName: { type: 'string' },
          birthDate: { type: 'string', format: 'date' },
          sex: { type: 'string', enum: ['M', 'F'] },
          mother: {
            type: 'object',
            properties: {
              personalCode: { $ref: '#/components/schemas/Code' },
              birthDate: { type: 'string', format: 'date' },
              sex: { type: 'string', enum: ['M', 'F'] },
            },
          },
        },
      },
      Problem: {
        type: 'object',
        required: ['type', 'title', 'status'],
        properties: {
          type: { type: 'string' },
          title: { type: 'string' },
          status: { type: 'integer' },
          detail: { type: 'string' },
        },
      },
    },
  },
}

export const testSpec = indexSpec('test-register.openapi.json', TEST_DOCUMENT)
export const testValidator = specValidator(testSpec)
export const federation = loadFederation()

/** A person as the test register answers: VALID_CODE, born 1980-01-08, male. */
export const PERSON = {
  personalCode: VALID_CODE,
  givenName: 'Jaan',
  birthDate: '1980-01-08',
  sex: 'M',
}

export type ExchangeInput = {
  /** The exchange id, `scenario/workflow/step#attempt`. */
  id?: string
  /** The protocol the client speaks to its own security server. */
  protocol?: Protocol
  client?: string
  service?: string
  method?: string
  /** Provider path with the query, e.g. `/persons/38001085718`. */
  path?: string
  /** Added to the default request headers; `undefined` removes one. */
  requestHeaders?: Record<string, string | undefined>
  /** What came back: the provider's answer (the security servers add their headers), … */
  answer?: { status: number; headers?: Record<string, string>; body?: unknown }
  /** …a security-server fault, rendered as specs/protocol renders it, … */
  fault?: { code: string; message?: string; detail?: string }
  /** …or nothing at all. */
  transportError?: string
  /** Applied to the response last; `undefined` removes a header. */
  responseHeaders?: Record<string, string | undefined>
  /** Replaces the response body as received. */
  responseBody?: unknown
  /** Replaces the response status as received. */
  responseStatus?: number
}

export type ContextInput = ExchangeInput & {
  operationId?: string
  expect?: Expectation
  criteriaFailures?: string[]
  criteriaCount?: number
}

const patch = (
  base: Record<string, string>,
  changes: Record<string, string | undefined> = {},
): Record<string, string> => {
  const out = { ...base }
  for (const [name, value] of Object.entries(changes)) {
    const key = name.toLowerCase()
    if (value === undefined) delete out[key]
    else out[key] = value
  }
  return out
}

const isJson = (contentType: string | undefined): boolean =>
  contentType !== undefined && /[/+]json\b/i.test(contentType)

/** An exchange as the runner records it. Defaults: an Estonian client reads VALID_CODE, 200. */
export const makeExchange = (input: ExchangeInput = {}): Exchange => {
  const {
    protocol = 'xroad-rest',
    client = protocol === 'xroad-rest' ? EE_CLIENT : UA_CLIENT,
    service = protocol === 'xroad-rest' ? EE_POPULATION : UA_DEMOGRAPHIC,
    method = 'GET',
    path = `/persons/${VALID_CODE}`,
  } = input
  const serviceId = parseServiceId(service, { charset: 'lenient' })
  if (!serviceId.ok) throw new Error(`test-kit: bad service ${service}`)
  const url =
    protocol === 'xroad-rest'
      ? `http://ss.ee-test.sild.test/r1/${formatServiceId(serviceId.value)}${path}`
      : `http://ss.sevdeir-test.sild.test/restapi${path}`
  const requestHeaders = patch(
    protocol === 'xroad-rest'
      ? { [XROAD_HEADER.client]: client, accept: 'application/json' }
      : { [UXP_HEADER.client]: client, [UXP_HEADER.service]: service, accept: 'application/json' },
    input.requestHeaders,
  )
  const exchange: Exchange = {
    id: input.id ?? 'test/workflow/step#1',
    client,
    service,
    serviceId: 'test-register',
    operationId: '',
    protocol,
    request: { method, url, headers: requestHeaders },
    durationMs: 12,
    hops: [],
    logRefs: [],
  }
  if (input.transportError !== undefined)
    return { ...exchange, transportError: input.transportError }

  let status: number
  let headers: Record<string, string>
  let body: unknown
  if (input.fault) {
    const fault = {
      type: input.fault.code,
      message: input.fault.message ?? 'Test fault',
      detail: input.fault.detail ?? FAULT_DETAIL,
    }
    // As the client's own security server writes it: in its instance's X-Road version.
    const version = federation.instance(client.split('/')[0] ?? '')?.xroadVersion
    const rendered =
      protocol === 'xroad-rest'
        ? renderXroadError(fault, requestHeaders.accept, version)
        : renderUxpError(fault, requestHeaders.accept)
    status = rendered.status
    headers = { ...rendered.headers }
    body = isJson(headers['content-type']) ? JSON.parse(rendered.body) : rendered.body
  } else {
    const answer = input.answer ?? {
      status: 200,
      headers: { 'x-record-version': '3' },
      body: PERSON,
    }
    status = answer.status
    const contentType: Record<string, string> =
      answer.body === undefined
        ? {}
        : { 'content-type': answer.status >= 400 ? 'application/problem+json' : 'application/json' }
    const ids: Record<string, string> =
      protocol === 'xroad-rest'
        ? {
            [XROAD_HEADER.id]: requestHeaders[XROAD_HEADER.id] ?? MESSAGE_ID,
            [XROAD_HEADER.client]: client,
            [XROAD_HEADER.service]: service,
            [XROAD_HEADER.requestId]: REQUEST_ID,
            [XROAD_HEADER.requestHash]: computeRequestHash({
              method,
              pathAndQuery: new URL(url).pathname,
              headers: [],
            }),
          }
        : {
            [UXP_HEADER.client]: client,
            [UXP_HEADER.service]: service,
            [UXP_HEADER.queryId]: requestHeaders[UXP_HEADER.queryId] ?? QUERY_ID,
          }
    headers = patch({ ...contentType, ...ids }, answer.headers)
    body = answer.body
  }
  return {
    ...exchange,
    response: {
      status: input.responseStatus ?? status,
      headers: patch(headers, input.responseHeaders),
      body: 'responseBody' in input ? input.responseBody : body,
    },
  }
}

/** The context the runner hands each check for one exchange. */
export const makeContext = (input: ContextInput = {}): ExchangeContext => {
  const exchange = makeExchange(input)
  const url = new URL(exchange.request.url)
  const path = servicePath(exchange) ?? ''
  const matched = testSpec.match(exchange.request.method, path)
  const operation =
    (input.operationId === undefined ? undefined : testSpec.operation(input.operationId)) ??
    matched?.operation
  if (!operation) throw new Error(`test-kit: no operation for ${exchange.request.method} ${path}`)
  exchange.operationId = operation.operationId
  const errorHeader =
    exchange.protocol === 'xroad-rest' ? XROAD_HEADER.error : UXP_CHOICES.errorHeader
  const code = exchange.response?.headers[errorHeader]
  const providerInstance = exchange.service.split('/')[0] ?? ''
  return {
    exchange,
    federation,
    spec: testSpec,
    operation,
    validator: testValidator,
    clientProtocol: exchange.protocol,
    providerProtocol: federation.instance(providerInstance)?.protocol ?? 'xroad-rest',
    sent: {
      pathParams: matched?.pathParams ?? {},
      query: Object.fromEntries(url.searchParams),
    },
    ...(input.expect ? { expect: input.expect } : {}),
    ...(code === undefined
      ? {}
      : {
          fault: {
            code,
            header: errorHeader,
            body: exchange.response?.body,
          },
        }),
    criteriaFailures: input.criteriaFailures ?? [],
    criteriaCount:
      input.criteriaCount ?? (input.criteriaFailures?.length ? input.criteriaFailures.length : 1),
  }
}

export const makeWorkflow = (...exchanges: ExchangeContext[]): WorkflowContext => ({
  workflowId: 'test-workflow',
  exchanges,
})

/** The check's failure messages, or 'not applied' when it has nothing to say about the subject. */
export function outcomeOf(check: ExchangeCheck, ctx: ExchangeContext): string[] | 'not applied'
export function outcomeOf(check: WorkflowCheck, ctx: WorkflowContext): string[] | 'not applied'
export function outcomeOf(
  check: Check,
  ctx: ExchangeContext | WorkflowContext,
): string[] | 'not applied' {
  const c = check as {
    applies(ctx: unknown): boolean
    run(ctx: unknown): string | string[] | undefined
  }
  if (!c.applies(ctx)) return 'not applied'
  const verdict = c.run(ctx)
  return verdict === undefined ? [] : typeof verdict === 'string' ? [verdict] : verdict
}
