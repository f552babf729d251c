import { afterAll, beforeAll, expect, test } from 'vitest'
import { parse as parseYaml } from 'yaml'
import type { Sandbox } from '../mocks/sandbox/index.ts'
import { loadFederation, type ServiceModel } from '../specs/federation/index.ts'
import { loadSpec, type OperationModel, type SpecModel } from '../specs/openapi/index.ts'
import { specValidator } from '../specs/openapi/validator.ts'
import { exampleRequests, requiresBearer, type ExampleRequest } from './helpers/examples.ts'
import { callAs, newSandbox, readAnswer, type Answer } from './helpers/sandbox.ts'
import { findScalar, worldSeed } from './helpers/world.ts'

// Every operation of every bundled spec, sent the spec's own examples, must answer with a status
// the operation declares and a response its spec accepts.

const federation = loadFederation()
const mocked = federation.services.filter((s) => s.provider === 'mock')
const metaservices = federation.services.filter((s) => s.provider === 'metaservice')
const specs = new Map<string, SpecModel>(
  await Promise.all(
    federation.services.map(async (s) => [s.id, await loadSpec(s.specFile)] as const),
  ),
)
const specOf = (service: ServiceModel) => specs.get(service.id) as SpecModel

/**
 * Operations whose examples name a record an earlier call creates: those calls come first, each
 * with the first of its own examples.
 */
const PREREQUISITES: Record<string, string[]> = {
  'ee-business-register getFoundingApplication': ['submitFoundingApplication'],
  'ee-e-residency issueCard': ['decideApplication'],
  'ua-diia getOfferRequestStatus': ['createOfferRequest'],
  'ua-diia consentToOfferRequest': ['createOfferRequest'],
}

/** Where a bearer-protected service hands out its session token, and the field it is in. */
const SESSIONS: Record<string, { operationId: string; field: string }> = {
  'ua-diia': { operationId: 'getSessionToken', field: 'token' },
}

type Case = { name: string; service: ServiceModel; operation: OperationModel }

const cases: Case[] = mocked.flatMap((service) =>
  specOf(service).operations.map((operation) => ({
    name: `${service.id} ${operation.operationId}`,
    service,
    operation,
  })),
)

let sandbox: Sandbox
beforeAll(async () => {
  sandbox = await newSandbox()
})
afterAll(() => sandbox?.close())

const send = async (
  serviceId: string,
  request: ExampleRequest,
  extra: Record<string, string> = {},
) => {
  const host = sandbox.services.get(serviceId)
  if (!host) throw new Error(`no mock for ${serviceId}`)
  const { method, path, headers, body } = request
  return readAnswer(
    await host.app.request(path, { method, headers: { ...headers, ...extra }, body }),
  )
}

const requestsFor = (service: ServiceModel, operation: OperationModel) =>
  exampleRequests(specOf(service), operation, (name) => findScalar(worldSeed(service.id), name))

/** A first call that must succeed for the tested one to mean anything. */
const mustSucceed = (what: string, answer: Answer): Answer => {
  if (answer.status >= 300) {
    throw new Error(`${what} answered ${answer.status}: ${answer.text}`)
  }
  return answer
}

const sessionHeaders = async (
  service: ServiceModel,
  operation: OperationModel,
): Promise<Record<string, string>> => {
  const spec = specOf(service)
  if (!requiresBearer(spec, operation)) return {}
  const session = SESSIONS[service.id]
  const tokenOperation = session && spec.operation(session.operationId)
  if (!session || !tokenOperation) throw new Error(`${service.id}: no way to get a session token`)
  const [request] = requestsFor(service, tokenOperation)
  const answer = mustSucceed(
    `${service.id} ${session.operationId}`,
    await send(service.id, request as ExampleRequest),
  )
  return { authorization: `Bearer ${findScalar(answer.body, session.field)}` }
}

/** Whether the operation declares the status, and what its spec finds wrong with the answer. */
const verdict = (spec: SpecModel, operation: OperationModel, answer: Answer) => ({
  declared: declares(operation, answer.status),
  diagnostics: specValidator(spec).validateResponse(operation, answer),
})

const declares = (operation: OperationModel, status: number) =>
  [String(status), `${String(status)[0]}XX`, 'default'].some((s) => s in operation.responses)

test.each(cases)(
  '$name answers its own examples as its spec declares',
  async ({ service, operation }) => {
    const spec = specOf(service)
    const statuses: number[] = []
    for (const request of requestsFor(service, operation)) {
      sandbox.reset()
      for (const operationId of PREREQUISITES[`${service.id} ${operation.operationId}`] ?? []) {
        const before = spec.operation(operationId) as OperationModel
        const [first] = requestsFor(service, before)
        const auth = await sessionHeaders(service, before)
        mustSucceed(operationId, await send(service.id, first as ExampleRequest, auth))
      }
      const answer = await send(service.id, request, await sessionHeaders(service, operation))
      statuses.push(answer.status)
      expect(
        verdict(spec, operation, answer),
        `${request.label} answered ${answer.status}`,
      ).toEqual({ declared: true, diagnostics: [] })
    }
    // A 404 for every example would conform too; at least one example must find what it names.
    expect(
      statuses.some((s) => s >= 200 && s < 300),
      `statuses ${statuses.join(', ')}`,
    ).toBe(true)
  },
)

// The metaservices are answered by the provider's security server, not by a mock: they are asked
// through it, by a client that holds a right on the subsystem's service.
const metaCases = metaservices.map((service) => {
  const provider = mocked.find((s) => s.subsystemKey === service.subsystemKey) as ServiceModel
  const client = federation.accessRights.find((r) => r.service === provider.key)?.client
  return { name: service.id, service, provider, client: client as string }
})

test.each(metaCases)(
  '$name answers as its metaservice spec declares',
  async ({ service, provider, client }) => {
    const spec = specOf(service)
    const operation = spec.operations[0] as OperationModel
    const query = service.code === 'getOpenAPI' ? `?serviceCode=${provider.code}` : ''
    const answer = await callAs(sandbox, { client, service: service.key, path: query })
    expect(answer.status).toBe(200)
    expect(verdict(spec, operation, answer)).toEqual({ declared: true, diagnostics: [] })
    if (service.code === 'getOpenAPI') {
      // In the format the description is stored in: YAML for every bundled spec.
      expect(typeof answer.body).toBe('string')
      expect(parseYaml(answer.body as string)).toMatchObject({
        info: { 'x-sild-service': provider.id },
      })
    } else {
      expect(answer.body).toMatchObject({
        service: expect.arrayContaining([expect.objectContaining({ service_code: provider.code })]),
      })
    }
  },
)
