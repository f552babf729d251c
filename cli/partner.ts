import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { SECURITY_SERVER_PROFILE } from '../specs/conformance/index.ts'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { stringify } from 'yaml'
import {
  DEFAULT_FEDERATION_FILE,
  type Federation,
  type ServiceModel,
} from '../specs/federation/index.ts'
import { loadPartnerFederation, type Partner, type PartnerClaim } from '../specs/partner/index.ts'
import type { Sandbox } from '../mocks/sandbox/index.ts'
import {
  consumerContext,
  fromLogRecord,
  isPartnerClientRecord,
  scoreConsumerRequest,
  type LoggedRecord,
} from '../runner/record/index.ts'
import { SildInputError } from '../specs/source-file/index.ts'
import { CLIENT_ID_MISSING, UNKNOWN_SERVICE } from '../specs/protocol/xroad-errors/index.ts'
import {
  findScenarioFiles,
  loadScenario,
  type InputOverrides,
  type Scenario,
} from '../runner/scenario/index.ts'
import type { Environment, Session } from '../runner/transport.ts'

/** The profile under which a partner's own security server is scored. */
export { SECURITY_SERVER_PROFILE }

/** Everything `--partner` changes in a run: the world, the scenarios and the transport. */
export type PartnerRun = {
  federation: Federation
  partner: Partner
  /** The partner's security server, when it runs one (flag or `securityServer.url`). */
  securityServerUrl?: string
  /** Loads the scenarios (the claimed profiles' by default) with the partner in the providers' place. */
  loadScenarios(paths: string[]): Promise<Scenario[]>
  /** Sends the partner's own clients to its own security server, when it runs one. */
  environment(env: Environment): Environment
}

/** `sild run --partner FILE [--partner-security-server URL]`. */
export const partnerRun = (opts: {
  partner: string
  federation: string
  securityServer?: string
  providerHosts?: readonly string[]
}): PartnerRun => {
  const { federation, partner } = loadPartnerFederation(opts.partner, [opts.federation], {
    providerHosts: opts.providerHosts,
  })
  const securityServerUrl = (opts.securityServer ?? partner.securityServerUrl)?.replace(/\/$/, '')
  if (securityServerUrl) {
    const instance = federation.instance(partner.instance)
    if (instance) instance.securityServer.url = securityServerUrl
  }
  return {
    federation,
    partner,
    ...(securityServerUrl ? { securityServerUrl } : {}),
    loadScenarios: async (paths) => {
      const scenarios = await loadPartnerScenarios(federation, partner, paths)
      if (securityServerUrl) scenarios.push(await securityServerProbes(federation, partner))
      return scenarios
    },
    environment: (env) =>
      securityServerUrl ? throughOwnSecurityServer(env, partner.instance, securityServerUrl) : env,
  }
}

/**
 * The federation without the partner's services that share a spec file with another service, to
 * load scenarios against: a claimed profile's service shares its reference service's spec, a
 * metaservice every subsystem's, so a scenario's source would otherwise fit two services. A
 * service with the partner's own spec stays, so a recording of its traffic can name it.
 */
export const withoutPartnerServices = (federation: Federation, partner: Partner): Federation => ({
  ...federation,
  services: federation.services.filter(
    (s) =>
      s.instance.toLowerCase() !== partner.instance.toLowerCase() ||
      (s.provider !== 'metaservice' && !partner.claims.some((c) => c.serviceId === s.id)),
  ),
})

/**
 * Loads scenarios so that every call to a claimed profile's reference service goes to the
 * partner's service instead; profile scenarios take the partner's test data as their inputs.
 */
export const loadPartnerScenarios = async (
  federation: Federation,
  partner: Partner,
  paths: string[],
): Promise<Scenario[]> => {
  // Bound to the reference services first, then swapped for the partner's.
  const reference = withoutPartnerServices(federation, partner)
  const files = paths.length
    ? findScenarioFiles(paths).map((file) => ({ file, overrides: {} as InputOverrides }))
    : partner.claims.flatMap((claim) =>
        claim.profile.scenarios.map((file) => ({
          file,
          overrides: { '*': partner.testData[claim.profile.id] ?? {} } as InputOverrides,
        })),
      )
  const scenarios: Scenario[] = []
  for (const { file, overrides } of files) {
    const scenario = await loadScenario(file, { federation: reference, inputOverrides: overrides })
    scenarios.push(retarget(scenario, federation, partner.claims))
  }
  return scenarios
}

// The partner's service as the scenario sees it: its key and instance, named by the profile it
// implements, so exchanges and scorecards read "md-test × ee-population-register".
const asProfile = (federation: Federation, claim: PartnerClaim): ServiceModel => {
  const service = federation.serviceById(claim.serviceId) as ServiceModel
  return { ...service, id: claim.profile.id }
}

const retarget = (scenario: Scenario, federation: Federation, claims: PartnerClaim[]): Scenario => {
  // A scenario may name the reference service (a profile's scenarios) or the partner's own (a
  // recording of the partner's traffic); either way the partner's service answers, as its profile.
  const swap = new Map(
    claims.flatMap((c) => {
      const view = asProfile(federation, c)
      return [
        [c.profile.reference, view],
        [c.serviceId, view],
      ] as const
    }),
  )
  const swapped = (service: ServiceModel | undefined) =>
    (service && swap.get(service.id)) ?? service
  for (const source of scenario.sources) {
    const service = swapped(source.service)
    if (service) source.service = service
  }
  for (const workflow of scenario.workflows) {
    for (const step of workflow.steps) {
      if (step.target.kind === 'operation') {
        step.target.service = swapped(step.target.service) as ServiceModel
      }
    }
  }
  return scenario
}

/**
 * Probes a partner's own security server from the outside, as a client information system of its
 * instance: a valid read of each claimed service, the same read without the client header, and a
 * service that does not exist. Written as an Arazzo scenario so the usual checks score it.
 */
export const securityServerProbes = async (
  federation: Federation,
  partner: Partner,
): Promise<Scenario> => {
  const dir = mkdtempSync(join(tmpdir(), 'sild-probes-'))
  const file = join(dir, `${SECURITY_SERVER_PROFILE}.arazzo.yaml`)
  try {
    writeFileSync(file, stringify(probeDocument(federation, partner, dir)))
    const scenario = await loadScenario(file, { federation })
    for (const source of scenario.sources) {
      if (source.service) source.service = { ...source.service, id: SECURITY_SERVER_PROFILE }
    }
    for (const workflow of scenario.workflows)
      for (const step of workflow.steps)
        if (step.target.kind === 'operation')
          step.target.service = { ...step.target.service, id: SECURITY_SERVER_PROFILE }
    return scenario
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const probeDocument = (federation: Federation, partner: Partner, dir: string) => {
  const clientHeader = partner.protocol === 'uxp-rest' ? 'Uxp-Client' : 'X-Road-Client'
  const sources = partner.claims.map((claim) => {
    const service = federation.serviceById(claim.serviceId) as ServiceModel
    return {
      name: claim.serviceId,
      url: relative(dir, resolve(service.specFile)),
      type: 'openapi',
      'x-sild-service': claim.serviceId,
    }
  })
  const workflows = partner.claims.flatMap((claim) => {
    const client = probeClient(partner, claim)
    const data = partner.testData[claim.profile.id] ?? {}
    const { probe } = claim.profile
    const service = federation.serviceById(claim.serviceId) as ServiceModel
    const operation = `$sourceDescriptions.${claim.serviceId}.${probe.operationId}`
    const parameters = [
      ...probe.pathParameters.map((name) => ({ name, in: 'path', value: String(data[name]) })),
      ...Object.entries(probe.headers ?? {}).map(([name, value]) => ({
        name,
        in: 'header',
        value,
      })),
    ]
    // The valid read sends its own message id, which the security server must echo (PR-REST §4.3
    // for X-Road-Id; Uxp-QueryID for Trembita) rather than replace.
    const messageId = {
      name: partner.protocol === 'uxp-rest' ? 'Uxp-QueryID' : 'X-Road-Id',
      in: 'header',
      value: `sild-probe-${claim.serviceId}`,
    }
    const base = {
      'x-sild-client': client,
      'x-sild-profile': SECURITY_SERVER_PROFILE,
    }
    const id = claim.serviceId.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())
    return [
      {
        workflowId: `${id}Read`,
        summary: `A valid read of ${claim.serviceKey} through ${partner.instance}'s own security server`,
        ...base,
        steps: [
          {
            stepId: 'read',
            operationId: operation,
            parameters: [...parameters, messageId],
            successCriteria: [{ condition: '$statusCode == 200' }],
          },
        ],
      },
      {
        workflowId: `${id}WithoutClientHeader`,
        summary: `The same read without ${clientHeader} is refused with ${CLIENT_ID_MISSING.code}`,
        ...base,
        steps: [
          {
            stepId: 'read',
            operationId: operation,
            parameters,
            'x-sild-call': { omitHeaders: [clientHeader] },
            // As the partner's declared X-Road version writes it: the checks follow that version.
            'x-sild-expect': { error: CLIENT_ID_MISSING.code, status: CLIENT_ID_MISSING.status },
          },
        ],
      },
      {
        workflowId: `${id}UnknownService`,
        summary: 'A service code the security server does not know is refused with UnknownService',
        ...base,
        steps: [
          {
            stepId: 'read',
            operationId: operation,
            parameters,
            'x-sild-call': { service: `${service.subsystemKey}/sildNoSuchService` },
            'x-sild-expect': { error: UNKNOWN_SERVICE.code, status: UNKNOWN_SERVICE.status },
          },
        ],
      },
    ]
  })
  return {
    arazzo: '1.0.1',
    info: {
      title: `The security server of ${partner.instance}, probed from the outside`,
      version: '1.0.0',
    },
    sourceDescriptions: sources,
    workflows,
  }
}

// Any subsystem of the partner that holds a right on the service; X-Road clients of an instance
// are what its own security server serves.
const probeClient = (partner: Partner, claim: PartnerClaim): string => {
  const right = [...partner.grants, ...partner.needs].find(
    (r) =>
      r.service === claim.serviceKey &&
      r.client.toLowerCase().startsWith(`${partner.instance.toLowerCase()}/`),
  )
  if (!right) {
    throw new SildInputError(
      `--partner-security-server: no subsystem of ${partner.instance} holds a right on ${claim.serviceKey}, so Sild has no client to probe your security server with`,
      undefined,
      `Add to accessRights in ${partner.file}: { client: ${partner.instance}/CLASS/MEMBER/SUBSYSTEM, service: ${claim.serviceKey} }`,
    )
  }
  return right.client
}

/** The partner's clients speak to the partner's own security server over HTTP. */
export const throughOwnSecurityServer = (
  env: Environment,
  instance: string,
  url: string,
): Environment => {
  const own = instance.toLowerCase()
  const wrap = (session: Session): Session => ({
    ...session,
    transport: {
      ...session.transport,
      securityServerUrl: (code) =>
        code.toLowerCase() === own ? url : session.transport.securityServerUrl(code),
      fetch: (target, init) =>
        target.startsWith(`${url}/`) ? fetch(target, init) : session.transport.fetch(target, init),
    },
  })
  const sessions = new Map<Session, Session>()
  return {
    ...env,
    openSession: async () => {
      const inner = await env.openSession()
      const outer = wrap(inner)
      sessions.set(outer, inner)
      return outer
    },
    closeSession: async (session) => {
      const inner = sessions.get(session) ?? session
      sessions.delete(session)
      await env.closeSession(inner)
    },
  }
}

/** `sild serve --partner FILE`: the world with the partner joined, for the sandbox to serve. */
export const servePartner = (opts: {
  partner?: string
  federation?: string
  allowProviderHost?: readonly string[]
}): { federationModel: Federation; instance: string; partner: Partner } | undefined => {
  if (!opts.partner) return undefined
  const { federation, partner } = loadPartnerFederation(
    opts.partner,
    [opts.federation ?? DEFAULT_FEDERATION_FILE],
    { providerHosts: opts.allowProviderHost },
  )
  return { federationModel: federation, instance: partner.instance, partner }
}

/**
 * Scores each request of the partner's clients as its security server logs it, and writes one
 * line per request: the consumer role, live. Returns the unsubscribe.
 */
export const watchPartnerClients = (
  sandbox: Sandbox,
  instance: string,
  write: (line: string) => void = (line) => void process.stdout.write(line),
): (() => void) => {
  let queue = Promise.resolve()
  let n = 0
  return sandbox.log.subscribe((record) => {
    if (!isPartnerClientRecord(record, instance)) return
    const exchange = fromLogRecord(record as LoggedRecord, `log ${instance}#${record.seq}`)
    if (!exchange) return
    queue = queue.then(async () => {
      const ctx = await consumerContext(exchange, sandbox.federation, instance)
      const stepId = `request${++n}`
      const { outcomes, failures } = scoreConsumerRequest(ctx, {
        scenario: `consumer-${instance}`,
        workflowId: ctx.service?.id ?? 'unknown-service',
        stepId,
      })
      const mark = failures.length ? '✗' : '✓'
      const head = `${mark} ${instance} client ${exchange.client ?? '(unreadable)'} ${exchange.method} ${exchange.service ?? ''}${exchange.path} → ${exchange.status}${exchange.fault ? ` ${exchange.fault.code}` : ''} (${outcomes.length - failures.length}/${outcomes.length} checks)`
      write(
        [head, ...failures.map((f) => `    ${f.check} [level ${f.level}]: ${f.message}`), ''].join(
          '\n',
        ),
      )
    })
  })
}
