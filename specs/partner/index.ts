import { resolve } from 'node:path'
import {
  DEFAULT_FEDERATION_FILE,
  loadFederation,
  SPECS_DIR,
  type AccessRightModel,
  type Federation,
  type LoadFederationOptions,
  type Protocol,
} from '../federation/index.ts'
import federationSchema from '../federation/federation.schema.json' with { type: 'json' }
import { formats, isFormatName } from '../formats/index.ts'
import { assertMatchesSchema } from '../schema-validation/index.ts'
import {
  loadSourceFile,
  SildInputError,
  type JsonPath,
  type LoadedSource,
} from '../source-file/index.ts'
import partnerSchema from './partner.schema.json' with { type: 'json' }
import { PROFILES, profileIds, type ProfileDefinition } from './profiles.ts'

export { PROFILES, profileIds } from './profiles.ts'
export type { ProfileDefinition, TestDataField } from './profiles.ts'

/** A profile the partner claims, and the service of its own that implements it. */
export type PartnerClaim = {
  profile: ProfileDefinition
  /** The partner's service id, e.g. `md-population-register`. */
  serviceId: string
  /** `INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE` of the partner's service. */
  serviceKey: string
}

/** A loaded and validated partner file. */
export type Partner = {
  file: string
  /** The partner's instance code, e.g. `md-test`: its party in the scorecards. */
  instance: string
  protocol: Protocol
  claims: PartnerClaim[]
  /** Per claimed profile id, the inputs its scenarios run with. */
  testData: Record<string, Record<string, string | number | boolean>>
  /** Rights whose service is the partner's. */
  grants: AccessRightModel[]
  /** Rights whose client is the partner's. */
  needs: AccessRightModel[]
  /** `securityServer.url`: the partner's own security server, if it runs one. */
  securityServerUrl?: string
  /** The partner file reduced to the federation file's shape, with the partner file's locations. */
  federationSource: LoadedSource
}

const HINT = 'See specs/partner/README.md for every field of a partner file, or run: sild init CODE'

type RawService = {
  id: string
  code: string
  profile?: string
  spec?: string
  provider: string
  disabled?: string
  timeoutMs?: number
}
type RawInstance = {
  code: string
  protocol: Protocol
  securityServer: { member: string; code: string; url?: string }
  allowedFederations?: string[]
  members: Array<{
    class: string
    code: string
    subsystems?: Array<{ code: string; services?: RawService[] }>
  }>
}
type RawPartner = {
  version: string
  instances: [RawInstance]
  accessRights?: AccessRightModel[]
  testData?: Record<string, Record<string, string | number | boolean>>
}

/**
 * Loads a partner file: validates its shape, the profiles it claims, its test data (against each
 * profile's fields and identifier formats) and that every access right involves its instance.
 * Every problem is one SildInputError at file:line:column.
 * @example const partner = loadPartner('examples/partner-md/partner.yaml')
 */
export const loadPartner = (file: string): Partner => {
  const source = loadSourceFile(resolve(file))
  assertMatchesSchema(compiledSchema(), source, 'invalid partner file', HINT)
  const raw = source.value as RawPartner
  const instance = raw.instances[0]
  const claims = claimsOf(instance, source)
  const rights = raw.accessRights ?? []
  rights.forEach((right, i) => assertInvolves(instance.code, right, source, ['accessRights', i]))
  const testData = checkTestData(raw.testData ?? {}, claims, source)
  const ours = (key: string) => instanceOf(key) === instance.code.toLowerCase()
  return {
    file: source.file,
    instance: instance.code,
    protocol: instance.protocol,
    claims,
    testData,
    grants: rights.filter((r) => ours(r.service)),
    needs: rights.filter((r) => ours(r.client)),
    ...(instance.securityServer.url ? { securityServerUrl: instance.securityServer.url } : {}),
    federationSource: { file: source.file, value: toFederationShape(raw), locate: source.locate },
  }
}

/**
 * The sandbox world with the partner joined: the federation files plus the partner's instance.
 * Joining stands for the federation agreement: each instance the partner accepts accepts it too.
 */
export const loadPartnerFederation = (
  partnerOrFile: Partner | string,
  federationFiles: string[] = [DEFAULT_FEDERATION_FILE],
  options: LoadFederationOptions = {},
): { federation: Federation; partner: Partner } => {
  const partner = typeof partnerOrFile === 'string' ? loadPartner(partnerOrFile) : partnerOrFile
  const source = partner.federationSource
  const federation = loadFederation([...federationFiles, source], options)
  const raw = source.value as { instances: RawInstance[] }
  raw.instances[0]?.members.forEach((m, j) =>
    m.subsystems?.forEach((s, k) =>
      s.services?.forEach((svc, l) => {
        const claimed = partner.claims.find((c) => c.serviceId === svc.id)
        const model = federation.serviceById(svc.id)
        if (!claimed || !model) return
        const expected = resolve(SPECS_DIR, claimed.profile.spec)
        if (resolve(model.specFile) !== expected) {
          throw new SildInputError(
            `service ${svc.id} claims profile ${claimed.profile.id}, but ${claimed.profile.spec} next to the partner file shadows the bundled spec`,
            source.locate(['instances', 0, 'members', j, 'subsystems', k, 'services', l]),
            'Rename or move the local file: a profile is always checked against its bundled spec.',
          )
        }
      }),
    ),
  )
  const accepted = raw.instances[0]?.allowedFederations ?? []
  accepted.forEach((code, i) => {
    const lower = code.toLowerCase()
    if (lower === 'none') return
    const others =
      lower === 'all'
        ? federation.instances.filter((x) => x.code !== partner.instance)
        : [federation.instance(code)]
    const [first] = others
    if (!first) {
      throw new SildInputError(
        `allowedFederations names "${code}", which is no instance of the sandbox`,
        source.locate(['instances', 0, 'allowedFederations', i]),
        `Known instances: ${federation.instances.map((x) => x.code).join(', ')}`,
      )
    }
    for (const other of others) {
      if (!other || federation.acceptsFederation(other.code, partner.instance)) continue
      other.allowedFederations.push(partner.instance)
    }
  })
  return { federation, partner }
}

let combined: object | undefined

// The partner schema refers to the federation schema's definitions by its $id; the shared
// validator compiles one self-contained schema, so those references are moved inside it.
const compiledSchema = (): object => {
  if (combined) return combined
  const FED = 'urn:sild:schema:federation:v1#/$defs/'
  const INNER = '#/$defs/federation/$defs/'
  const rewrite = (node: unknown, from: string, to: string): unknown => {
    if (Array.isArray(node)) return node.map((n) => rewrite(n, from, to))
    if (node === null || typeof node !== 'object') return node
    return Object.fromEntries(
      Object.entries(node).map(([k, v]) => [
        k,
        k === '$ref' && typeof v === 'string' && v.startsWith(from)
          ? to + v.slice(from.length)
          : rewrite(v, from, to),
      ]),
    )
  }
  const { $id: _, $schema: __, ...fed } = federationSchema as Record<string, unknown>
  const partner = rewrite(partnerSchema, FED, INNER) as { $defs: Record<string, unknown> }
  combined = {
    ...partner,
    $defs: { ...partner.$defs, federation: rewrite(fed, '#/$defs/', INNER) },
  }
  return combined
}

const instanceOf = (key: string): string => (key.split('/')[0] ?? '').toLowerCase()

const claimsOf = (instance: RawInstance, source: LoadedSource): PartnerClaim[] => {
  const claims: PartnerClaim[] = []
  instance.members.forEach((m, j) =>
    m.subsystems?.forEach((s, k) =>
      s.services?.forEach((svc, l) => {
        if (svc.profile === undefined) return
        const path = ['instances', 0, 'members', j, 'subsystems', k, 'services', l, 'profile']
        const profile = PROFILES[svc.profile]
        if (!profile) {
          throw new SildInputError(
            `unknown profile "${svc.profile}"; the profiles: ${profileIds().join(', ')}`,
            source.locate(path),
            'A profile is a bundled spec with its scenarios; see sild init --list-profiles.',
          )
        }
        const twice = claims.find((c) => c.profile.id === profile.id)
        if (twice) {
          throw new SildInputError(
            `profile ${profile.id} is claimed twice (first by service ${twice.serviceId})`,
            source.locate(path),
            'One service of the partner implements each profile it claims.',
          )
        }
        claims.push({
          profile,
          serviceId: svc.id,
          serviceKey: `${instance.code}/${m.class}/${m.code}/${s.code}/${svc.code}`,
        })
      }),
    ),
  )
  return claims
}

const assertInvolves = (
  code: string,
  right: AccessRightModel,
  source: LoadedSource,
  path: JsonPath,
): void => {
  const ours = code.toLowerCase()
  if (instanceOf(right.client) === ours || instanceOf(right.service) === ours) return
  throw new SildInputError(
    `access right ${right.client} → ${right.service} involves neither side of ${code}`,
    source.locate(path),
    `A partner file declares the rights ${code} grants (the service is yours) and needs (the client is yours).`,
  )
}

const checkTestData = (
  data: NonNullable<RawPartner['testData']>,
  claims: PartnerClaim[],
  source: LoadedSource,
): Partner['testData'] => {
  for (const profileId of Object.keys(data)) {
    if (!claims.some((c) => c.profile.id === profileId)) {
      throw new SildInputError(
        `test data for profile "${profileId}", which no service of this partner claims`,
        source.locate(['testData', profileId]),
        `Claimed profiles: ${claims.map((c) => c.profile.id).join(', ') || 'none'}. Claim a profile with "profile:" on the service that implements it.`,
      )
    }
  }
  for (const { profile, serviceId } of claims) {
    const given = data[profile.id]
    const fields = Object.keys(profile.testData)
    if (!given) {
      throw new SildInputError(
        `service ${serviceId} claims profile ${profile.id} but testData has no ${profile.id} entry`,
        source.locate(['testData']),
        `Give ${fields.join(', ')}: the records your implementation holds.`,
      )
    }
    for (const [name, value] of Object.entries(given)) {
      const field = profile.testData[name]
      const path = ['testData', profile.id, name]
      if (!field) {
        throw new SildInputError(
          `unknown test-data field "${name}" for profile ${profile.id}; its fields: ${fields.join(', ')}`,
          source.locate(path),
          HINT,
        )
      }
      const problem = formatProblem(String(value), field.format)
      if (problem) {
        throw new SildInputError(
          `testData.${profile.id}.${name} ${JSON.stringify(value)} is not a valid ${field.format}: ${problem}`,
          source.locate(path),
          field.description,
        )
      }
    }
    const missing = fields.filter((f) => !(f in given))
    if (missing.length) {
      throw new SildInputError(
        `testData.${profile.id} lacks ${missing.join(', ')}`,
        source.locate(['testData', profile.id]),
        missing.map((f) => `${f}: ${profile.testData[f]?.description}`).join('\n  '),
      )
    }
  }
  return data
}

const formatProblem = (value: string, format: string | undefined): string | undefined => {
  if (format === undefined) return undefined
  if (format === 'date') {
    const valid = /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value))
    return valid ? undefined : 'write the date as YYYY-MM-DD'
  }
  if (!isFormatName(format)) return undefined
  const verdict = formats[format].validate(value)
  return verdict.valid ? undefined : verdict.reason
}

const toFederationShape = (raw: RawPartner): unknown => ({
  version: 'sild.federation/v1',
  instances: raw.instances.map((instance) => ({
    ...instance,
    members: instance.members.map((m) => ({
      ...m,
      ...(m.subsystems
        ? {
            subsystems: m.subsystems.map((s) => ({
              ...s,
              ...(s.services
                ? {
                    services: s.services.map(({ profile, ...svc }) => ({
                      ...svc,
                      spec: profile ? (PROFILES[profile] as ProfileDefinition).spec : svc.spec,
                    })),
                  }
                : {}),
            })),
          }
        : {}),
    })),
  })),
  ...(raw.accessRights ? { accessRights: raw.accessRights } : {}),
})
