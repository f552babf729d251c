import type { Federation, InstanceModel } from '../../../specs/federation/index.ts'
import type { SpecModel } from '../../../specs/openapi/index.ts'

/** The service codes a security server answers itself (PR-MREST); never listed as services. */
export const METASERVICES = ['listMethods', 'allowedMethods', 'getOpenAPI'] as const
export type Metaservice = (typeof METASERVICES)[number]

export const isMetaservice = (code: string): code is Metaservice =>
  (METASERVICES as readonly string[]).includes(code)

type ClientEntry = {
  id: {
    member_class: string
    member_code: string
    subsystem_code?: string
    object_type: 'MEMBER' | 'SUBSYSTEM'
    xroad_instance: string
  }
  name: string
  subsystem_name?: string
}

/** listClients (PR-META Annex C.1): members and subsystems of one instance, snake_case. */
export const listClients = (instance: InstanceModel): { member: ClientEntry[] } => ({
  member: instance.members.flatMap((m) => [
    {
      id: {
        member_class: m.memberClass,
        member_code: m.code,
        object_type: 'MEMBER' as const,
        xroad_instance: instance.code,
      },
      name: m.name,
    },
    ...m.subsystems.map((s) => ({
      id: {
        member_class: m.memberClass,
        member_code: m.code,
        subsystem_code: s.code,
        object_type: 'SUBSYSTEM' as const,
        xroad_instance: instance.code,
      },
      name: m.name,
      subsystem_name: s.name,
    })),
  ]),
})

/** The XML form of listClients, for clients that do not ask for JSON. */
export const listClientsXml = (instance: InstanceModel): string => {
  const e = escapeXml
  const ids = listClients(instance).member.map(
    ({ id, name }) =>
      `  <xrd:member>\n    <xrd:id id:objectType="${id.object_type}">\n` +
      `      <id:xRoadInstance>${e(id.xroad_instance)}</id:xRoadInstance>\n` +
      `      <id:memberClass>${e(id.member_class)}</id:memberClass>\n` +
      `      <id:memberCode>${e(id.member_code)}</id:memberCode>\n` +
      (id.subsystem_code
        ? `      <id:subsystemCode>${e(id.subsystem_code)}</id:subsystemCode>\n`
        : '') +
      `    </xrd:id>\n    <xrd:name>${e(name)}</xrd:name>\n  </xrd:member>`,
  )
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<xrd:clientList xmlns:xrd="http://x-road.eu/xsd/xroad.xsd" xmlns:id="http://x-road.eu/xsd/identifiers">\n' +
    `${ids.join('\n')}\n</xrd:clientList>\n`
  )
}

type MethodEntry = {
  member_class: string
  member_code: string
  object_type: 'SERVICE'
  service_code: string
  service_type: 'OPENAPI'
  subsystem_code: string
  xroad_instance: string
  endpoint_list: Array<{ method: string; path: string }>
}

/**
 * listMethods / allowedMethods (PR-MREST Annex B): the REST services of a provider subsystem with
 * their endpoints; allowedMethods keeps only what the client may call.
 */
export const listMethods = (
  federation: Federation,
  subsystemKey: string,
  specs: Map<string, SpecModel>,
  allowedFor?: string,
): { service: MethodEntry[] } => {
  const subsystem = federation.subsystem(subsystemKey)
  if (!subsystem) return { service: [] }
  return {
    service: subsystem.services.flatMap((service) => {
      const spec = specs.get(service.id)
      const endpoints = (spec?.operations ?? [])
        .map((o) => ({ method: o.method, path: toEndpointPath(o.pathTemplate) }))
        .filter(
          (e) =>
            !allowedFor ||
            federation.allows(allowedFor, service.key, e.method, concretePath(e.path)),
        )
      if (allowedFor && endpoints.length === 0) return []
      return [
        {
          member_class: service.memberClass,
          member_code: service.memberCode,
          object_type: 'SERVICE' as const,
          service_code: service.code,
          service_type: 'OPENAPI' as const,
          subsystem_code: service.subsystemCode,
          xroad_instance: service.instance,
          endpoint_list: endpoints,
        },
      ]
    }),
  }
}

// X-Road stores OpenAPI path parameters as `*` in its endpoints.
const toEndpointPath = (template: string): string => template.replace(/\{[^}]+\}/g, '*')

// A representative concrete path for an endpoint, to test it against the client's access globs.
const concretePath = (endpoint: string): string => endpoint.replace(/\*/g, 'x')

const escapeXml = (s: string): string => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`)
