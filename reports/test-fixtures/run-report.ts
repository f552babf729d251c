import { scoreRun } from '../../runner/scoring/index.ts'
import type {
  CheckFailure,
  CheckOutcome,
  Exchange,
  Level,
  RunReport,
  ScenarioResult,
  Severity,
  StepResult,
} from '../../runner/types.ts'

// A representative report, shaped as the runner writes one: five scenarios across both
// instances with passing, failing, errored and skipped steps, an expected and an unexpected
// security-server fault, a provider that is down, secrets to redact and markup in a body.

const KYC = 'ee-test/COM/14001233/kyc'
const PORTAL = 'ee-test/GOV/70006317/eesti-ee'
const E_RESIDENCY_CLIENT = 'ee-test/GOV/70008747/e-residency'
const EMTA = 'ee-test/GOV/70000349/emta'
const EDR = 'SEVDEIR-TEST/GOV/00015622/EDR/LegalEntities_v1'
const DIIA = 'SEVDEIR-TEST/GOV/43220851/DIIA/Diia_v1'
const DPS = 'SEVDEIR-TEST/GOV/43005393/DPS/TaxService_v1'
const E_RESIDENCY = 'ee-test/GOV/70008747/e-residency/e-residency'
const EE_SS = 'http://ee-test.ss.sild.test'

type CheckSpec = [check: string, level: Level, severity: Severity, mandatory: boolean]

const CHECKS: Record<string, CheckSpec> = {
  reachable: ['reachable', 1, 'critical', true],
  clientHeaderWellFormed: ['clientHeaderWellFormed', 1, 'high', true],
  responseIdsEchoed: ['responseIdsEchoed', 1, 'high', true],
  requestHashPresent: ['requestHashPresent', 1, 'high', true],
  errorBodyFormat: ['errorBodyFormat', 1, 'high', true],
  faultStatusClass: ['faultStatusClass', 1, 'medium', true],
  statusCodeConformance: ['statusCodeConformance', 2, 'high', true],
  responseSchemaConformance: ['responseSchemaConformance', 2, 'high', true],
  identifierFormatConformance: ['identifierFormatConformance', 2, 'high', true],
  successCriteria: ['successCriteria', 3, 'high', true],
  expectedOutcome: ['expectedOutcome', 3, 'high', true],
  crossStepConsistency: ['crossStepConsistency', 3, 'medium', false],
  unauthorizedRefused: ['unauthorizedRefused', 4, 'critical', true],
  noInternalsLeaked: ['noInternalsLeaked', 4, 'high', true],
}

const TITLES: Record<string, string> = {
  reachable: 'The service answers',
  clientHeaderWellFormed: 'The client header names a registered subsystem',
  responseIdsEchoed: 'The response echoes the client, service and message ids',
  requestHashPresent: 'The response carries the request hash',
  errorBodyFormat: 'Faults use the {type, message, detail} body',
  faultStatusClass: 'Client.* faults are 4xx, Server.* faults 5xx',
  statusCodeConformance: 'The status code is declared for the operation',
  responseSchemaConformance: 'The response body matches the schema',
  identifierFormatConformance: 'Identifiers use their named formats',
  successCriteria: "The step's success criteria hold",
  expectedOutcome: 'The step gets the outcome it expects',
  crossStepConsistency: 'The same entity reads the same across steps',
  unauthorizedRefused: 'A caller without the access right is refused',
  noInternalsLeaked: 'No stack traces or secrets leak',
}

type Where = { scenario: string; workflowId: string; stepId?: string; exchange?: Exchange }

/** Outcomes of checks on one subject; a name followed by a message is a failure. */
const judge = (
  where: Where,
  party: string,
  profile: string,
  results: Array<string | [string, string]>,
): { outcomes: CheckOutcome[]; failures: CheckFailure[] } => {
  const outcomes: CheckOutcome[] = []
  const failures: CheckFailure[] = []
  for (const r of results) {
    const [name, message] = typeof r === 'string' ? [r, undefined] : r
    const [check, level, severity, mandatory] = CHECKS[name] as CheckSpec
    outcomes.push({
      check,
      level,
      severity,
      mandatory,
      passed: message === undefined,
      ...(message !== undefined ? { message } : {}),
      party: party === 'client' ? (where.exchange?.client.split('/')[0] ?? '') : party,
      profile,
    })
    if (message !== undefined)
      failures.push({
        check,
        title: TITLES[name] as string,
        message,
        severity,
        level,
        scenario: where.scenario,
        workflowId: where.workflowId,
        ...(where.stepId ? { stepId: where.stepId } : {}),
        ...(where.exchange
          ? { exchangeId: where.exchange.id, operationId: where.exchange.operationId }
          : {}),
      })
  }
  return { outcomes, failures }
}

const hops = (client: string, service: string): Exchange['hops'] => {
  const from = client.split('/')[0] as string
  const to = service.split('/')[0] as string
  const protocolOf = (instance: string) => (instance === 'ee-test' ? 'xroad-rest' : 'uxp-rest')
  return [
    { from: client, to: `${from} security server`, protocol: protocolOf(from) },
    ...(from === to
      ? []
      : [
          {
            from: `${from} security server`,
            to: `${to} security server`,
            protocol: 'transport' as const,
          },
        ]),
    { from: `${to} security server`, to: service, protocol: protocolOf(to) },
  ]
}

const xroadRequestHeaders = (client: string) => ({
  'x-road-client': client,
  accept: 'application/json',
})

const xroadResponseHeaders = (client: string, service: string, id: string) => ({
  'content-type': 'application/json',
  'x-road-client': client,
  'x-road-service': service,
  'x-road-id': id,
  'x-road-request-hash': 'Vq0kC6Bq1pX0mR2m7wq0s1mU0bYxGqHqS3u7yJ9mZ8g=',
})

const step = (s: Omit<StepResult, 'attempts' | 'outputs'> & Partial<StepResult>): StepResult => ({
  attempts: 1,
  outputs: {},
  ...s,
})

const bankChecksCounterparty = (): ScenarioResult => {
  const where = { scenario: 'bank-checks-ua-counterparty', workflowId: 'checkCounterparty' }
  const profile = 'ua-legal-entities-register'
  const find: Exchange = {
    id: 'bank-checks-ua-counterparty/checkCounterparty/findCompany#1',
    client: KYC,
    service: EDR,
    serviceId: profile,
    operationId: 'findLegalEntities',
    protocol: 'xroad-rest',
    request: {
      method: 'GET',
      url: `${EE_SS}/r1/${EDR}/legal-entities?edrpou=14360570`,
      headers: xroadRequestHeaders(KYC),
    },
    response: {
      status: 200,
      headers: xroadResponseHeaders(KYC, EDR, 'a1f0c6de-0d1e-4c55-9d07-3f1c2a0b7e11'),
      body: { items: [{ edrpou: '14360570', name: 'АТ КБ "ПРИВАТБАНК"', status: 'registered' }] },
    },
    durationMs: 18.4,
    hops: hops(KYC, EDR),
    logRefs: ['ee-test#41', 'SEVDEIR-TEST#17'],
  }
  const details: Exchange = {
    ...find,
    id: 'bank-checks-ua-counterparty/checkCounterparty/getCompanyDetails#1',
    operationId: 'getLegalEntity',
    request: {
      method: 'GET',
      url: `${EE_SS}/r1/${EDR}/legal-entities/14360570`,
      headers: xroadRequestHeaders(KYC),
    },
    response: {
      status: 200,
      headers: xroadResponseHeaders(KYC, EDR, 'b2e1d7ef-1e2f-4d66-8e18-4a2d3b1c8f22'),
      body: {
        edrpou: '1436057',
        name: 'ТОВ "Ромашка" <script>alert(1)</script>',
        status: 'registered',
      },
    },
    durationMs: 21.7,
    logRefs: ['ee-test#42', 'SEVDEIR-TEST#18'],
  }
  const findJudged = judge(
    { ...where, stepId: 'findCompany', exchange: find },
    'SEVDEIR-TEST',
    profile,
    [
      'reachable',
      'responseIdsEchoed',
      'requestHashPresent',
      'statusCodeConformance',
      'responseSchemaConformance',
      'successCriteria',
    ],
  )
  const clientJudged = judge(
    { ...where, stepId: 'findCompany', exchange: find },
    'client',
    profile,
    ['clientHeaderWellFormed'],
  )
  const detailsJudged = judge(
    { ...where, stepId: 'getCompanyDetails', exchange: details },
    'SEVDEIR-TEST',
    profile,
    [
      'reachable',
      'responseIdsEchoed',
      'requestHashPresent',
      'statusCodeConformance',
      ['responseSchemaConformance', 'response body at /edrpou: must match format "ua-edrpou"'],
      [
        'identifierFormatConformance',
        '/edrpou "1436057" is not a valid ua-edrpou: an EDRPOU code has 8 digits',
      ],
      'successCriteria',
    ],
  )
  const workflowJudged = judge(where, 'SEVDEIR-TEST', profile, [
    [
      'crossStepConsistency',
      'edrpou differs between steps: findCompany returned "14360570", getCompanyDetails returned "1436057"',
    ],
  ])
  return {
    id: 'bank-checks-ua-counterparty',
    file: 'scenarios/bank-checks-ua-counterparty.arazzo.yaml',
    title: 'An Estonian bank checks a Ukrainian counterparty in ЄДР',
    digest: '3b1f6c0e5a9d4e2f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f',
    state: 'fail',
    workflows: [
      {
        workflowId: 'checkCounterparty',
        summary: 'Find the company by EDRPOU, then read its record',
        profile,
        client: KYC,
        state: 'fail',
        steps: [
          step({
            stepId: 'findCompany',
            workflowId: 'checkCounterparty',
            state: 'pass',
            exchange: find,
            outcomes: [...findJudged.outcomes, ...clientJudged.outcomes],
            failures: [],
            outputs: { edrpou: '14360570' },
          }),
          step({
            stepId: 'getCompanyDetails',
            workflowId: 'checkCounterparty',
            state: 'fail',
            exchange: details,
            ...detailsJudged,
          }),
        ],
        ...workflowJudged,
        outputs: {},
      },
    ],
    durationMs: 52,
  }
}

const eResidencyApplication = (): ScenarioResult => {
  const where = { scenario: 'e-residency-application', workflowId: 'applyForEResidency' }
  const share: Exchange = {
    id: 'e-residency-application/applyForEResidency/requestPassport#1',
    client: E_RESIDENCY_CLIENT,
    service: DIIA,
    serviceId: 'ua-diia',
    operationId: 'createSharingRequest',
    protocol: 'xroad-rest',
    request: {
      method: 'POST',
      url: `${EE_SS}/r1/${DIIA}/sharing-requests`,
      headers: {
        ...xroadRequestHeaders(E_RESIDENCY_CLIENT),
        'content-type': 'application/json',
        authorization: 'Bearer diia-partner-secret-7f3a9c',
      },
      body: { documentType: 'internal-passport', rnokpp: '3184710691' },
    },
    response: {
      status: 201,
      headers: {
        ...xroadResponseHeaders(E_RESIDENCY_CLIENT, DIIA, 'c3f2e8a0-2f30-4e77-9f29-5b3e4c2d9a33'),
        'set-cookie': 'session=ab12cd34; HttpOnly',
      },
      body: {
        requestId: 'SR-2026-0007',
        deeplink: 'https://diia.sild.test/share/SR-2026-0007',
        accessToken: 'diia-access-token-5b8e2d',
      },
    },
    durationMs: 25.2,
    hops: hops(E_RESIDENCY_CLIENT, DIIA),
    logRefs: ['ee-test#43', 'SEVDEIR-TEST#19'],
  }
  const apply: Exchange = {
    id: 'e-residency-application/applyForEResidency/submitApplication#1',
    client: PORTAL,
    service: E_RESIDENCY,
    serviceId: 'ee-e-residency',
    operationId: 'submitApplication',
    protocol: 'xroad-rest',
    request: {
      method: 'POST',
      url: `${EE_SS}/r1/${E_RESIDENCY}/applications`,
      headers: { ...xroadRequestHeaders(PORTAL), 'content-type': 'application/json' },
      body: {
        applicant: { rnokpp: '3184710691', givenName: 'Оксана', familyName: 'Коваленко' },
        passportSharingRequest: 'SR-2026-0007',
      },
    },
    response: {
      status: 201,
      headers: xroadResponseHeaders(PORTAL, E_RESIDENCY, 'd4a3f9b1-3a41-4f88-8a3a-6c4f5d3eab44'),
      body: { applicationId: 'ER-2026-0001', status: 'submitted' },
    },
    durationMs: 31.9,
    hops: hops(PORTAL, E_RESIDENCY),
    logRefs: ['ee-test#44', 'ee-test#45'],
  }
  const status: Exchange = {
    ...apply,
    id: 'e-residency-application/applyForEResidency/checkStatus#1',
    operationId: 'getApplication',
    request: {
      method: 'GET',
      url: `${EE_SS}/r1/${E_RESIDENCY}/applications/ER-2026-0001`,
      headers: xroadRequestHeaders(PORTAL),
    },
    response: {
      status: 200,
      headers: xroadResponseHeaders(PORTAL, E_RESIDENCY, 'e5b4a0c2-4b52-4a99-9b4b-7d5a6e4fbc55'),
      body: { applicationId: 'ER-2026-0001', status: 'approved' },
    },
    durationMs: 9.3,
    logRefs: ['ee-test#46', 'ee-test#47'],
  }
  const passing = [
    'reachable',
    'responseIdsEchoed',
    'requestHashPresent',
    'statusCodeConformance',
    'responseSchemaConformance',
    'successCriteria',
  ]
  const steps: StepResult[] = [
    ['requestPassport', share, 'SEVDEIR-TEST', 'ua-diia'] as const,
    ['submitApplication', apply, 'ee-test', 'ee-e-residency'] as const,
    ['checkStatus', status, 'ee-test', 'ee-e-residency'] as const,
  ].map(([stepId, exchange, party, profile]) => {
    const provider = judge({ ...where, stepId, exchange }, party, profile, passing)
    const client = judge({ ...where, stepId, exchange }, 'client', profile, [
      'clientHeaderWellFormed',
    ])
    return step({
      stepId,
      workflowId: where.workflowId,
      state: 'pass',
      exchange,
      outcomes: [...provider.outcomes, ...client.outcomes],
      failures: [],
    })
  })
  return {
    id: 'e-residency-application',
    file: 'scenarios/e-residency-application.arazzo.yaml',
    title: 'A Ukrainian citizen shares a passport from Diia and applies for e-Residency',
    description: 'Oksana shares her passport from Diia; the e-Residency programme checks it.',
    digest: '9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b',
    state: 'pass',
    workflows: [
      {
        workflowId: 'applyForEResidency',
        profile: 'ee-e-residency',
        state: 'pass',
        steps,
        ...judge(where, 'SEVDEIR-TEST', 'ee-e-residency', ['crossStepConsistency']),
        outputs: { applicationId: 'ER-2026-0001' },
      },
    ],
    durationMs: 73,
  }
}

const noAccessRight = (): ScenarioResult => {
  const where = {
    scenario: 'negative-no-access-right',
    workflowId: 'callWithoutAccessRight',
    stepId: 'readTaxDebt',
  }
  const exchange: Exchange = {
    id: 'negative-no-access-right/callWithoutAccessRight/readTaxDebt#1',
    client: PORTAL,
    service: DPS,
    serviceId: 'ua-tax-service',
    operationId: 'getTaxDebt',
    protocol: 'xroad-rest',
    request: {
      method: 'GET',
      url: `${EE_SS}/r1/${DPS}/taxpayers/3184710691/debt`,
      headers: xroadRequestHeaders(PORTAL),
    },
    response: {
      status: 500,
      headers: {
        'content-type': 'application/json',
        'x-road-error': 'Server.ServerProxy.AccessDenied',
      },
      body: {
        type: 'Server.ServerProxy.AccessDenied',
        message: `Request is not allowed: ${PORTAL} has no access right to ${DPS}`,
        detail: '6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d',
      },
    },
    durationMs: 6.1,
    hops: hops(PORTAL, DPS),
    logRefs: ['ee-test#48', 'SEVDEIR-TEST#20'],
  }
  const judged = judge({ ...where, exchange }, 'SEVDEIR-TEST', 'ua-tax-service', [
    'reachable',
    'errorBodyFormat',
    'faultStatusClass',
    'expectedOutcome',
    'unauthorizedRefused',
  ])
  return {
    id: 'negative-no-access-right',
    file: 'scenarios/negative-no-access-right.arazzo.yaml',
    title: 'A caller without the access right is refused',
    digest: '1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f809',
    state: 'pass',
    workflows: [
      {
        workflowId: 'callWithoutAccessRight',
        profile: 'ua-tax-service',
        client: PORTAL,
        state: 'pass',
        steps: [
          step({
            stepId: where.stepId,
            workflowId: where.workflowId,
            state: 'pass',
            exchange,
            ...judged,
          }),
        ],
        outcomes: [],
        failures: [],
        outputs: {},
      },
    ],
    durationMs: 11,
  }
}

const serviceDiscovery = (): ScenarioResult => {
  const where = { scenario: 'service-discovery', workflowId: 'discoverServices' }
  const list: Exchange = {
    id: 'service-discovery/discoverServices/listMethods#1',
    client: KYC,
    service: 'SEVDEIR-TEST/GOV/00015622/EDR/listMethods',
    serviceId: 'xroad-list-methods',
    operationId: 'listMethods',
    protocol: 'xroad-rest',
    request: {
      method: 'GET',
      url: `${EE_SS}/r1/SEVDEIR-TEST/GOV/00015622/EDR/listMethods`,
      headers: xroadRequestHeaders(KYC),
    },
    response: {
      status: 200,
      headers: xroadResponseHeaders(
        KYC,
        'SEVDEIR-TEST/GOV/00015622/EDR/listMethods',
        'f6c5b1d3-5c63-4baa-8c5c-8e6b7f5acd66',
      ),
      body: { service: [{ serviceCode: 'LegalEntities_v1', serviceType: 'OPENAPI' }] },
    },
    durationMs: 4.8,
    hops: hops(KYC, 'SEVDEIR-TEST/GOV/00015622/EDR/listMethods'),
    logRefs: ['ee-test#49', 'SEVDEIR-TEST#21'],
  }
  const openapi: Exchange = {
    id: 'service-discovery/discoverServices/getOpenApi#1',
    client: KYC,
    service: 'SEVDEIR-TEST/GOV/00015622/EDR/getOpenAPI',
    serviceId: 'xroad-get-openapi',
    operationId: 'getOpenAPI',
    protocol: 'xroad-rest',
    request: {
      method: 'GET',
      url: `${EE_SS}/r1/SEVDEIR-TEST/GOV/00015622/EDR/getOpenAPI?serviceCode=LegalEntities_v1`,
      headers: xroadRequestHeaders(KYC),
    },
    transportError: 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:4411',
    durationMs: 2.2,
    hops: hops(KYC, 'SEVDEIR-TEST/GOV/00015622/EDR/getOpenAPI'),
    logRefs: [],
  }
  const listJudged = judge(
    { ...where, stepId: 'listMethods', exchange: list },
    'SEVDEIR-TEST',
    'xroad-list-methods',
    ['reachable', 'statusCodeConformance', 'responseSchemaConformance'],
  )
  const openapiJudged = judge(
    { ...where, stepId: 'getOpenApi', exchange: openapi },
    'SEVDEIR-TEST',
    'xroad-get-openapi',
    [['reachable', 'no response: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:4411']],
  )
  return {
    id: 'service-discovery',
    file: 'scenarios/service-discovery.arazzo.yaml',
    title: 'Service discovery through the metaservices',
    digest: '5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e',
    state: 'fail',
    workflows: [
      {
        workflowId: 'discoverServices',
        client: KYC,
        state: 'fail',
        steps: [
          step({
            stepId: 'listMethods',
            workflowId: where.workflowId,
            state: 'pass',
            exchange: list,
            ...listJudged,
          }),
          step({
            stepId: 'getOpenApi',
            workflowId: where.workflowId,
            state: 'fail',
            exchange: openapi,
            ...openapiJudged,
            message: 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:4411',
          }),
        ],
        outcomes: [],
        failures: [],
        outputs: {},
      },
    ],
    durationMs: 9,
  }
}

const taxResidencyExchange = (): ScenarioResult => {
  const where = { scenario: 'tax-residency-exchange', workflowId: 'exchangeCertificates' }
  const request: Exchange = {
    id: 'tax-residency-exchange/exchangeCertificates/requestCertificate#1',
    client: EMTA,
    service: DPS,
    serviceId: 'ua-tax-service',
    operationId: 'requestResidencyCertificate',
    protocol: 'xroad-rest',
    request: {
      method: 'POST',
      url: `${EE_SS}/r1/${DPS}/residency-certificates`,
      headers: { ...xroadRequestHeaders(EMTA), 'content-type': 'application/json' },
      body: { rnokpp: '3184710691', year: 2025, purpose: "Double taxation: O'Brien & Co" },
    },
    response: {
      status: 500,
      headers: {
        'content-type': 'application/json',
        'x-road-error': 'Server.ServerProxy.ServiceFailed',
      },
      body: {
        type: 'Server.ServerProxy.ServiceFailed',
        message:
          'Service responded with an error: java.lang.NullPointerException\n\tat ua.gov.tax.CertificateController.issue(CertificateController.java:88)',
        detail: '7b6c5d4e-3f2a-4b1c-8d9e-0f1a2b3c4d5e',
      },
    },
    durationMs: 40.5,
    hops: hops(EMTA, DPS),
    logRefs: ['ee-test#50', 'SEVDEIR-TEST#22'],
  }
  const judged = judge(
    { ...where, stepId: 'requestCertificate', exchange: request },
    'SEVDEIR-TEST',
    'ua-tax-service',
    [
      'reachable',
      'errorBodyFormat',
      'faultStatusClass',
      [
        'statusCodeConformance',
        'status 500 is not declared for requestResidencyCertificate (declared: 201, 400, 404)',
      ],
      [
        'noInternalsLeaked',
        'the response reveals a stack trace: "java.lang.NullPointerException at ua.gov.tax.CertificateController.issue"',
      ],
      ['successCriteria', '$statusCode == 201 did not hold: $statusCode is 500'],
    ],
  )
  return {
    id: 'tax-residency-exchange',
    file: 'scenarios/tax-residency-exchange.arazzo.yaml',
    title: 'The two tax authorities exchange tax-residency certificates',
    digest: 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00',
    state: 'error',
    workflows: [
      {
        workflowId: 'exchangeCertificates',
        summary: 'EMTA asks the State Tax Service for a residency certificate',
        profile: 'ua-tax-service',
        client: EMTA,
        state: 'error',
        steps: [
          step({
            stepId: 'requestCertificate',
            workflowId: where.workflowId,
            state: 'fail',
            exchange: request,
            ...judged,
          }),
          step({
            stepId: 'confirmReceipt',
            workflowId: where.workflowId,
            state: 'error',
            outcomes: [],
            failures: [],
            message:
              '$steps.requestCertificate.outputs.certificateId is undefined: requestCertificate produced no output certificateId',
          }),
          step({
            stepId: 'archiveCertificate',
            workflowId: where.workflowId,
            state: 'skip',
            outcomes: [],
            failures: [],
            message: 'skipped: the workflow ended at confirmReceipt',
          }),
        ],
        outcomes: [],
        failures: [],
        outputs: {},
      },
    ],
    durationMs: 47,
  }
}

/** A fresh copy of the representative report: tests may change it freely. */
export const sampleRunReport = (): RunReport => {
  const scenarios = [
    bankChecksCounterparty(),
    eResidencyApplication(),
    noAccessRight(),
    serviceDiscovery(),
    taxResidencyExchange(),
  ]
  return {
    schema: 'sild.report/v1',
    sild: { version: '0.1.0' },
    specsDigest: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    seed: 1,
    mode: 'inproc',
    startedAt: '2026-03-02T09:00:00.000Z',
    complete: true,
    durationMs: 204,
    scenarios,
    scorecards: scoreRun(scenarios),
    summary: {
      scenarios: { pass: 2, fail: 2, skip: 0, error: 1 },
      steps: { pass: 6, fail: 3, skip: 1, error: 1 },
      checks: { passed: 45, failed: 7 },
      failures: 7,
    },
  }
}

/**
 * The report as though an implementation had answered wherever Sild's own mocks or security
 * servers did, at a stand-in address for each mocked service: what a certificate may state.
 */
export const answeredByImplementations = (report: RunReport): RunReport => ({
  ...report,
  providers: (report.providers ?? []).map((p) =>
    p.url === 'mock' ? { ...p, url: `https://${p.service}.implementation.example` } : p,
  ),
  scorecards: report.scorecards.map(({ answeredBySild: _sandbox, ...card }) => card),
})

/**
 * The report as though every level it left untested had been tested and failed, and answered by
 * implementations (see answeredByImplementations): what the tests of certificate signing and
 * rendering certify, since a sample run tests too little to be certified. Every level the report
 * reached stays as it is.
 */
export const asIfTested = (report: RunReport): RunReport => {
  const answered = answeredByImplementations(report)
  return {
    ...answered,
    scorecards: answered.scorecards.map((card) => ({
      ...card,
      levels: card.levels.map((v) =>
        v.state === 'not-tested' ? { ...v, state: 'blocked' as const, untested: [] } : v,
      ),
    })),
  }
}
