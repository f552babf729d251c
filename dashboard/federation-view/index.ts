import { basename } from 'node:path'
import type { Endpoint, Federation } from '../../specs/federation/index.ts'
import type { SpecModel } from '../../specs/openapi/index.ts'
import { assumed, assumedFacts } from '../../specs/protocol/facts/index.ts'
import { specTranslations } from '../../specs/translations/index.ts'
import { withTranslations, type ItemTranslations } from '../translations/index.ts'

export type ServiceView = {
  /** The texts of this item in other languages; absent ones show in English. */
  i18n?: ItemTranslations
  id: string
  key: string
  code: string
  /** `mock`, or the URL of an implementation plugged in by a partner. */
  provider: string
  title?: string
  operations: number
  disabled?: string
  /** Reached directly over HTTPS at its own address, not through a security server. */
  direct?: true
}

export type SubsystemView = {
  /** The texts of this item in other languages; absent ones show in English. */
  i18n?: ItemTranslations
  key: string
  code: string
  name: string
  services: ServiceView[]
  /** listMethods, allowedMethods and getOpenAPI, when the subsystem provides services. */
  metaservices: string[]
}

export type MemberView = {
  /** The texts of this item in other languages; absent ones show in English. */
  i18n?: ItemTranslations
  key: string
  memberClass: string
  code: string
  name: string
  subsystems: SubsystemView[]
}

export type InstanceView = {
  /** The texts of this item in other languages; absent ones show in English. */
  i18n?: ItemTranslations
  code: string
  name: string
  country?: string
  protocol: string
  /** `X-Road 7.8`, `X-Road 7.6`, or `Trembita/UXP` with its faults written as X-Road 7.6 (assumed). */
  faultStyle: string
  /** What the security-server panel must mark as assumed: each fact with its reason. */
  assumed: string[]
  securityServer: string
  allowedFederations: string[]
  members: MemberView[]
}

/** Whether the security servers of two instances let their members call each other. */
export type FederationLink = {
  a: string
  b: string
  /** `a`'s security server accepts `b` (`a` lists `b` in allowed-federations). */
  aAcceptsB: boolean
  bAcceptsA: boolean
}

export type AccessRightView = {
  client: string
  service: string
  serviceId?: string
  /** Absent: the whole service. */
  endpoints?: Endpoint[]
}

export type FederationView = {
  files: string[]
  instances: InstanceView[]
  links: FederationLink[]
  accessRights: AccessRightView[]
}

/** What the map draws: the federation file (and any partner file) as plain data. */
export const federationView = (
  federation: Federation,
  specs: Map<string, SpecModel>,
): FederationView => {
  const metaservicesOf = new Map<string, string[]>()
  for (const s of federation.services) {
    if (s.provider !== 'metaservice') continue
    metaservicesOf.set(s.subsystemKey, [...(metaservicesOf.get(s.subsystemKey) ?? []), s.code])
  }
  const instances = federation.instances.map((instance): InstanceView => ({
    code: instance.code,
    name: instance.name,
    ...withTranslations({ name: instance.names }),
    ...(instance.country ? { country: instance.country } : {}),
    protocol: instance.protocol,
    faultStyle:
      instance.protocol === 'uxp-rest'
        ? `Trembita/UXP, faults as X-Road 7.6 (${assumed('uxp-error-format').short})`
        : `X-Road ${instance.xroadVersion}`,
    assumed: [
      ...(instance.protocol === 'uxp-rest' ? assumedFacts('Trembita/UXP REST') : []),
      ...assumedFacts('Federation border'),
    ].map((fact) => assumed(fact.id).long),
    securityServer: instance.securityServer.key,
    allowedFederations: instance.allowedFederations,
    members: instance.members.map((member) => ({
      key: member.key,
      memberClass: member.memberClass,
      code: member.code,
      name: member.name,
      ...withTranslations({ name: member.names }),
      subsystems: member.subsystems.map((subsystem) => ({
        key: subsystem.key,
        code: subsystem.code,
        name: subsystem.name,
        ...withTranslations({ name: subsystem.names }),
        metaservices: metaservicesOf.get(subsystem.key) ?? [],
        // The subsystem's direct services too: not published by a security server, but there.
        services: [
          ...subsystem.services,
          ...federation.services.filter((s) => s.direct && s.subsystemKey === subsystem.key),
        ]
          .filter((s) => s.provider !== 'metaservice')
          .map((service) => {
            const spec = specs.get(service.id)
            return {
              id: service.id,
              key: service.key,
              code: service.code,
              provider: service.provider,
              ...(spec
                ? {
                    title: spec.title,
                    ...withTranslations({ title: specTranslations(spec.file).title }),
                  }
                : {}),
              operations: spec?.operations.length ?? 0,
              ...(service.disabled ? { disabled: service.disabled } : {}),
              ...(service.direct ? { direct: true as const } : {}),
            }
          }),
      })),
    })),
  }))
  const links: FederationLink[] = []
  federation.instances.forEach((a, i) => {
    for (const b of federation.instances.slice(i + 1)) {
      links.push({
        a: a.code,
        b: b.code,
        aAcceptsB: federation.acceptsFederation(a.code, b.code),
        bAcceptsA: federation.acceptsFederation(b.code, a.code),
      })
    }
  })
  return {
    files: federation.files.map((f) => basename(f)),
    instances,
    links,
    accessRights: federation.accessRights.map((right) => {
      const serviceId = federation.service(right.service)?.id
      return {
        client: right.client,
        service: right.service,
        ...(serviceId ? { serviceId } : {}),
        ...(right.endpoints ? { endpoints: right.endpoints } : {}),
      }
    }),
  }
}
