import { existsSync, realpathSync } from 'node:fs'
import { dirname, isAbsolute, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { assertMatchesSchema } from '../schema-validation/index.ts'
import { loadSourceFile, SildInputError, type LoadedSource } from '../source-file/index.ts'
import schema from './federation.schema.json' with { type: 'json' }
import { compilePathGlob } from './path-glob.ts'
import { DEFAULT_XROAD_VERSION, type XroadVersion } from '../protocol/xroad-versions/index.ts'
import { checkProviderUrl } from '../provider-url/index.ts'

export type Protocol = 'xroad-rest' | 'uxp-rest'

export type ServiceModel = {
  /** Sild's short name, e.g. `ee-population-register`. */
  id: string
  code: string
  /** Full service id: `INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE`. */
  key: string
  instance: string
  memberClass: string
  memberCode: string
  subsystemCode: string
  /** `INSTANCE/CLASS/MEMBER/SUBSYSTEM` of the provider subsystem. */
  subsystemKey: string
  specFile: string
  /**
   * `mock`, the base URL of a real implementation, or `metaservice` for the listMethods,
   * allowedMethods and getOpenAPI services every provider subsystem's security server answers.
   */
  provider: string
  disabled?: string
  timeoutMs?: number
  /** The version a UXP service is published under (the optional last part of Uxp-Service). */
  serviceVersion?: string
  /**
   * Reached directly over HTTPS at its own address, with its own authentication, not through a
   * security server (`access: direct`): no security server publishes it.
   */
  direct?: true
}

export type SubsystemModel = {
  key: string
  instance: string
  memberClass: string
  memberCode: string
  code: string
  name: string
  /** `names`: the name in other languages, by language code. */
  names?: Record<string, string>
  services: ServiceModel[]
}

export type MemberModel = {
  key: string
  instance: string
  memberClass: string
  code: string
  name: string
  /** `names`: the name in other languages, by language code. */
  names?: Record<string, string>
  subsystems: SubsystemModel[]
}

export type InstanceModel = {
  code: string
  name: string
  /** `names`: the name in other languages, by language code. */
  names?: Record<string, string>
  country?: string
  protocol: Protocol
  securityServer: {
    memberClass: string
    memberCode: string
    code: string
    key: string
    url?: string
  }
  allowedFederations: string[]
  /**
   * The X-Road release of the instance's security servers; it decides how faults are written.
   * A uxp-rest instance has 7.6, since UXP faults are assumed to follow X-Road 7.6.
   */
  xroadVersion: XroadVersion
  /** X-Road's `strict-identifier-checks` (default true). */
  strictIdentifierChecks: boolean
  /** X-Road's message-log `max-loggable-message-body-size`, in bytes. */
  maxLoggableBodyBytes: number
  members: MemberModel[]
}

/** X-Road's default `max-loggable-message-body-size`: 10 MiB (ug-syspar, message log). */
export const DEFAULT_MAX_LOGGABLE_BODY_BYTES = 10 * 1024 * 1024

export type Endpoint = { method: string; path: string }
export type AccessRightModel = { client: string; service: string; endpoints?: Endpoint[] }

/** The loaded world of instances, with the lookups the security servers and the runner need. */
export type Federation = {
  files: string[]
  instances: InstanceModel[]
  services: ServiceModel[]
  accessRights: AccessRightModel[]
  instance(code: string): InstanceModel | undefined
  member(key: string): MemberModel | undefined
  subsystem(key: string): SubsystemModel | undefined
  service(key: string): ServiceModel | undefined
  serviceById(id: string): ServiceModel | undefined
  /** Whether the client subsystem holds an access right for this method and path of the service. */
  allows(client: string, service: string, method: string, path: string): boolean
  /** The rights a client holds on a service (for allowedMethods). */
  rightsOf(client: string, service: string): AccessRightModel[]
  /** X-Road's allowed-federations: does `provider`'s security server accept clients of `client`? */
  acceptsFederation(provider: string, client: string): boolean
}

export type LoadFederationOptions = {
  /**
   * Hosts provider URLs may name besides loopback (`--allow-provider-host`); see specs/provider-url.
   * `any` for commands that read a federation without calling its providers (lint, diff, record).
   */
  providerHosts?: readonly string[] | 'any'
}

/** The bundled federation file. */
export const DEFAULT_FEDERATION_FILE = fileURLToPath(new URL('../federation.yaml', import.meta.url))

/** The folder of the bundled specs, where a service's `spec` is also looked for. */
export const SPECS_DIR = fileURLToPath(new URL('../', import.meta.url))

const HINT = 'See specs/federation/federation.schema.json for the shape of a federation file.'

type RawFile = {
  instances?: Array<{
    code: string
    name?: string
    names?: Record<string, string>
    country?: string
    protocol: Protocol
    securityServer: { member: string; code: string; url?: string }
    allowedFederations?: string[]
    xroadVersion?: XroadVersion
    strictIdentifierChecks?: boolean
    maxLoggableBodyBytes?: number
    members: Array<{
      class: string
      code: string
      name?: string
      names?: Record<string, string>
      subsystems?: Array<{
        code: string
        name?: string
        names?: Record<string, string>
        services?: Array<{
          id: string
          code: string
          spec: string
          provider: string
          disabled?: string
          timeoutMs?: number
          serviceVersion?: string
          access?: 'security-server' | 'direct'
        }>
      }>
    }>
  }>
  accessRights?: AccessRightModel[]
}

/**
 * Loads the federation file and any partner files of the same shape, validating shape and
 * references; every problem is a SildInputError with file:line:column. A file may also be given
 * already parsed (a partner file reduced to the federation's shape keeps its own locations).
 */
export const loadFederation = (
  files: Array<string | LoadedSource> = [DEFAULT_FEDERATION_FILE],
  { providerHosts = [] }: LoadFederationOptions = {},
): Federation => {
  const providerUrl = (value: string, source: LoadedSource, path: Array<string | number>) => {
    const checked = checkProviderUrl(
      value,
      providerHosts === 'any' ? { anyHost: true } : { allowHosts: providerHosts },
    )
    if (checked.ok) return checked.value
    throw new SildInputError(
      `provider URL ${JSON.stringify(value)} ${checked.error.reason}`,
      source.locate(path),
      checked.error.fix,
    )
  }
  const instances: InstanceModel[] = []
  const accessRights: AccessRightModel[] = []
  const rightSources: Array<{ source: LoadedSource; index: number }> = []
  // Where each was declared first, looked up only to report a duplicate.
  const seen = new Map<string, { source: LoadedSource; path: Array<string | number> }>()
  const claim = (kind: string, key: string, source: LoadedSource, path: Array<string | number>) => {
    const id = `${kind}:${key.toLowerCase()}`
    const first = seen.get(id)
    if (first) {
      const at = first.source.locate(first.path)
      throw new SildInputError(
        `duplicate ${kind} "${key}" (first declared at ${at.file}:${at.line}:${at.column})`,
        source.locate(path),
        `Each ${kind} must be declared once across the federation and partner files.`,
      )
    }
    seen.set(id, { source, path })
  }

  for (const file of files) {
    const source = typeof file === 'string' ? loadSourceFile(file) : file
    assertMatchesSchema(schema, source, 'invalid federation file', HINT)
    const raw = source.value as RawFile
    const folder = dirname(resolve(source.file))
    raw.instances?.forEach((inst, i) => {
      claim('instance', inst.code, source, ['instances', i, 'code'])
      if (inst.protocol === 'uxp-rest' && inst.xroadVersion !== undefined) {
        throw new SildInputError(
          `xroadVersion is for xroad-rest instances; ${inst.code} speaks uxp-rest`,
          source.locate(['instances', i, 'xroadVersion']),
          'Remove xroadVersion: a uxp-rest instance writes its faults as X-Road 7.6 does (assumed: no public source).',
        )
      }
      const [ssClass = '', ssCode = ''] = inst.securityServer.member.split('/')
      const model: InstanceModel = {
        code: inst.code,
        name: inst.name ?? inst.code,
        ...(inst.names ? { names: inst.names } : {}),
        country: inst.country,
        protocol: inst.protocol,
        securityServer: {
          memberClass: ssClass,
          memberCode: ssCode,
          code: inst.securityServer.code,
          key: `${inst.code}/${ssClass}/${ssCode}/${inst.securityServer.code}`,
          url:
            inst.securityServer.url === undefined
              ? undefined
              : providerUrl(inst.securityServer.url, source, [
                  'instances',
                  i,
                  'securityServer',
                  'url',
                ]),
        },
        allowedFederations: inst.allowedFederations ?? [],
        xroadVersion: inst.xroadVersion ?? DEFAULT_XROAD_VERSION,
        strictIdentifierChecks: inst.strictIdentifierChecks ?? true,
        maxLoggableBodyBytes: inst.maxLoggableBodyBytes ?? DEFAULT_MAX_LOGGABLE_BODY_BYTES,
        members: [],
      }
      checkRegisteredIdentifiers(inst, source, i)
      inst.members.forEach((m, j) => {
        const memberKey = `${inst.code}/${m.class}/${m.code}`
        claim('member', memberKey, source, ['instances', i, 'members', j, 'code'])
        const member: MemberModel = {
          key: memberKey,
          instance: inst.code,
          memberClass: m.class,
          code: m.code,
          name: m.name ?? m.code,
          ...(m.names ? { names: m.names } : {}),
          subsystems: [],
        }
        m.subsystems?.forEach((s, k) => {
          const subsystemKey = `${memberKey}/${s.code}`
          claim('subsystem', subsystemKey, source, ['instances', i, 'members', j, 'subsystems', k])
          const subsystem: SubsystemModel = {
            key: subsystemKey,
            instance: inst.code,
            memberClass: m.class,
            memberCode: m.code,
            code: s.code,
            name: s.name ?? s.code,
            ...(s.names ? { names: s.names } : {}),
            services: [],
          }
          s.services?.forEach((svc, l) => {
            const path = ['instances', i, 'members', j, 'subsystems', k, 'services', l]
            claim('service', `${subsystemKey}/${svc.code}`, source, [...path, 'code'])
            claim('service id', svc.id, source, [...path, 'id'])
            subsystem.services.push({
              id: svc.id,
              code: svc.code,
              key: `${subsystemKey}/${svc.code}`,
              instance: inst.code,
              memberClass: m.class,
              memberCode: m.code,
              subsystemCode: s.code,
              subsystemKey,
              specFile: resolveSpec(svc.spec, folder, source, [...path, 'spec']),
              provider:
                svc.provider === 'mock'
                  ? svc.provider
                  : providerUrl(svc.provider, source, [...path, 'provider']),
              disabled: svc.disabled,
              timeoutMs: svc.timeoutMs,
              ...(svc.serviceVersion === undefined ? {} : { serviceVersion: svc.serviceVersion }),
              ...(svc.access === 'direct' ? { direct: true as const } : {}),
            })
          })
          member.subsystems.push(subsystem)
        })
        model.members.push(member)
      })
      instances.push(model)
    })
    raw.accessRights?.forEach((right, index) => {
      accessRights.push(right)
      rightSources.push({ source, index })
    })
  }
  const names = files.map((f) => (typeof f === 'string' ? f : f.file))
  return buildFederation(names, instances, accessRights, rightSources)
}

// X-Road's strict-identifier-checks (ug-syspar, proxy-ui-api; default true for installs since
// 7.3.0) keeps registered identifiers to PR-REST §4.8's characters; Trembita codes also use '_'
// (assumed: UXP's own rule is not public). The schema already refuses : ; / \ % and controls.
const STRICT_PART: Record<Protocol, { test: RegExp; allowed: string }> = {
  'xroad-rest': { test: /^[A-Za-z0-9'()+,\-.=?]+$/, allowed: "A-Z a-z 0-9 and '()+,-.=?" },
  'uxp-rest': { test: /^[A-Za-z0-9'()+,\-.=?_]+$/, allowed: "A-Z a-z 0-9, '_' and '()+,-.=?" },
}

const checkRegisteredIdentifiers = (
  inst: NonNullable<RawFile['instances']>[number],
  source: LoadedSource,
  i: number,
): void => {
  if (inst.protocol === 'xroad-rest' && inst.strictIdentifierChecks === false) return
  const rule = STRICT_PART[inst.protocol]
  const parts: Array<[string, Array<string | number>]> = [[inst.code, ['instances', i, 'code']]]
  inst.members.forEach((m, j) => {
    const at = ['instances', i, 'members', j]
    parts.push([m.class, [...at, 'class']], [m.code, [...at, 'code']])
    m.subsystems?.forEach((sub, k) => {
      parts.push([sub.code, [...at, 'subsystems', k, 'code']])
      sub.services?.forEach((svc, l) =>
        parts.push([svc.code, [...at, 'subsystems', k, 'services', l, 'code']]),
      )
    })
  })
  const bad = parts.find(([value]) => !rule.test.test(value))
  if (bad) {
    throw new SildInputError(
      `identifier "${bad[0]}" has characters ${inst.code} does not register (allowed: ${rule.allowed})`,
      source.locate(bad[1]),
      inst.protocol === 'xroad-rest'
        ? 'Rename it, or set strictIdentifierChecks: false on the instance, as X-Road does for servers upgraded from before 7.3.0.'
        : 'Rename it with the allowed characters.',
    )
  }
}

const resolveSpec = (
  spec: string,
  folder: string,
  source: LoadedSource,
  path: Array<string | number>,
): string => {
  const file = resolve(folder, spec)
  const rel = relative(folder, file)
  if (isAbsolute(spec) || rel.startsWith('..')) {
    throw new SildInputError(
      `spec "${spec}" is outside the folder of ${source.file}`,
      source.locate(path),
      'Reference specs by a relative path inside the folder of the file that names them.',
    )
  }
  if (existsSync(file)) {
    // A symbolic link inside the folder must not lead out of it either.
    if (relative(realpathSync(folder), realpathSync(file)).startsWith('..')) {
      throw new SildInputError(
        `spec "${spec}" is outside the folder of ${source.file} (through a link)`,
        source.locate(path),
        'Reference specs by a relative path inside the folder of the file that names them.',
      )
    }
    return file
  }
  // As the schema says: a spec is looked for beside the file, then among the bundled specs.
  const bundled = resolve(SPECS_DIR, spec)
  if (!relative(SPECS_DIR, bundled).startsWith('..') && existsSync(bundled)) return bundled
  throw new SildInputError(
    `spec file not found: ${spec} (looked for ${file})`,
    source.locate(path),
    'Fix the path; it is relative to the folder of the file that names it, or to specs/.',
  )
}

const METASERVICE_SPECS: Record<string, string> = {
  listMethods: 'list-methods.yaml',
  allowedMethods: 'allowed-methods.yaml',
  getOpenAPI: 'get-openapi.yaml',
}

// The metaservices of a provider subsystem, as services whose id is their full key.
const metaservicesOf = (service: ServiceModel): ServiceModel[] =>
  Object.entries(METASERVICE_SPECS).map(([code, file]) => ({
    ...service,
    id: `${service.subsystemKey}/${code}`,
    code,
    key: `${service.subsystemKey}/${code}`,
    specFile: fileURLToPath(new URL(`../xroad/${file}`, import.meta.url)),
    provider: 'metaservice',
    disabled: undefined,
  }))

const uniqueKey = () => {
  const seen = new Set<string>()
  return (s: ServiceModel) => !seen.has(s.key) && Boolean(seen.add(s.key))
}

const buildFederation = (
  files: string[],
  instances: InstanceModel[],
  accessRights: AccessRightModel[],
  rightSources: Array<{ source: LoadedSource; index: number }>,
): Federation => {
  const instanceByCode = new Map(instances.map((i) => [i.code.toLowerCase(), i]))
  const members = new Map(instances.flatMap((i) => i.members.map((m) => [m.key, m] as const)))
  const subsystems = new Map(
    [...members.values()].flatMap((m) => m.subsystems.map((s) => [s.key, s] as const)),
  )
  const declared = [...subsystems.values()].flatMap((s) => s.services)
  // A direct service is served, but no security server publishes it: it has no service id there,
  // no metaservice lists it, and no access right can name it.
  const published = declared.filter((s) => !s.direct)
  const metaservices = published.flatMap(metaservicesOf).filter(uniqueKey())
  const services = [...declared, ...metaservices]
  const serviceByKey = new Map([...published, ...metaservices].map((s) => [s.key, s]))
  const serviceById = new Map(services.map((s) => [s.id, s]))
  for (const subsystem of subsystems.values())
    subsystem.services = subsystem.services.filter((s) => !s.direct)

  accessRights.forEach((right, n) => {
    const { source, index } = rightSources[n] as { source: LoadedSource; index: number }
    if (!subsystems.has(right.client) && !members.has(right.client)) {
      throw new SildInputError(
        `access right for unknown client "${right.client}"`,
        source.locate(['accessRights', index, 'client']),
        'A client is a declared subsystem (INSTANCE/CLASS/MEMBER/SUBSYSTEM) or member.',
      )
    }
    if (
      published.length < declared.length &&
      declared.some((s) => s.direct && s.key === right.service)
    ) {
      throw new SildInputError(
        `access right to "${right.service}", which clients reach directly (access: direct)`,
        source.locate(['accessRights', index, 'service']),
        'No security server stands before a direct service, so no access right applies to it: remove this right; the service authenticates its callers itself.',
      )
    }
    if (!serviceByKey.has(right.service)) {
      throw new SildInputError(
        `access right to unknown service "${right.service}"`,
        source.locate(['accessRights', index, 'service']),
        'A service is INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE of a declared service.',
      )
    }
  })

  const compiled = accessRights.map((right) => ({
    right,
    endpoints: right.endpoints?.map((e) => ({ method: e.method, glob: compilePathGlob(e.path) })),
  }))

  return {
    files,
    instances,
    services,
    accessRights,
    instance: (code) => instanceByCode.get(code.toLowerCase()),
    member: (key) => members.get(key),
    subsystem: (key) => subsystems.get(key),
    service: (key) => serviceByKey.get(key),
    serviceById: (id) => serviceById.get(id),
    rightsOf: (client, service) =>
      accessRights.filter((r) => r.client === client && r.service === service),
    // Metaservices need no access right: X-Road answers them for any registered client.
    allows: (client, service, method, path) =>
      serviceByKey.get(service)?.provider === 'metaservice' ||
      compiled.some(
        ({ right, endpoints }) =>
          right.client === client &&
          right.service === service &&
          (!endpoints ||
            endpoints.some(
              (e) => (e.method === '*' || e.method === method.toUpperCase()) && e.glob.test(path),
            )),
      ),
    acceptsFederation: (provider, client) => {
      if (provider.toLowerCase() === client.toLowerCase()) return true
      const allowed = (instanceByCode.get(provider.toLowerCase())?.allowedFederations ?? []).map(
        (a) => a.toLowerCase(),
      )
      if (allowed.includes('none')) return false
      return allowed.includes('all') || allowed.includes(client.toLowerCase())
    },
  }
}
