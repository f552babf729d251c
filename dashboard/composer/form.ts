import type { Federation, ServiceModel } from '../../specs/federation/index.ts'
import {
  derefLocal,
  resolvePointer,
  type OpenApiDocument,
  type OperationModel,
  type SpecModel,
} from '../../specs/openapi/index.ts'
import { UXP_HEADER_DISPLAY } from '../../specs/protocol/uxp/index.ts'
import { specTranslations, type SpecTranslations } from '../../specs/translations/index.ts'
import { withTranslations, type ItemTranslations } from '../translations/index.ts'

/** One input of the request composer: a parameter of the operation, or a header it needs. */
export type FieldForm = {
  name: string
  in: 'path' | 'query' | 'header' | 'cookie'
  required: boolean
  description?: string
  /** The spec's first example (or default), as text. */
  example?: string
  type?: string
  enum?: string[]
  /** A credential: shown in a password-style input and redacted in the curl. */
  secret?: boolean
  /** `description` in other languages. */
  i18n?: ItemTranslations
}

export type OperationForm = {
  operationId: string
  method: string
  path: string
  summary?: string
  /** `summary` in other languages. */
  i18n?: ItemTranslations
  personalData: boolean
  fields: FieldForm[]
  body?: { contentType: string; required: boolean; example?: string }
}

/** A subsystem that could call the service, and which operations its access rights cover. */
export type ClientChoice = {
  key: string
  name: string
  member: string
  /** `name` and `member` in other languages. */
  i18n?: ItemTranslations
  instance: string
  /** operationIds the provider's security server lets this client call. */
  allowed: string[]
}

export type ServiceForm = {
  id: string
  key: string
  title: string
  /** `title` in other languages. */
  i18n?: ItemTranslations
  instance: string
  protocol: string
  provider: string
  operations: OperationForm[]
  clients: ClientChoice[]
  /** The first client with an access right, so the first call succeeds. */
  defaultClient?: string
}

/** Who or what from the world can fill a form: identifiers keyed by the parameter names. */
export type WorldSample = {
  id: string
  kind: 'person' | 'company'
  label: string
  country?: string
  story?: string
  values: Record<string, string>
}

// A purpose id for Trembita's personal-data monitoring: the sandbox accepts any declared id.
const WORKSHOP_PURPOSE = 'sild-workshop-demo'

const asText = (value: unknown): string | undefined =>
  value === undefined || value === null
    ? undefined
    : typeof value === 'string'
      ? value
      : JSON.stringify(value)

const firstExample = (node: OpenApiDocument | undefined): unknown => {
  if (!node) return undefined
  if (node.examples && typeof node.examples === 'object' && !Array.isArray(node.examples)) {
    const first = Object.values(node.examples)[0] as OpenApiDocument | undefined
    if (first && 'value' in first) return first.value
  }
  if ('example' in node) return node.example
  return undefined
}

const schemaExample = (schema: OpenApiDocument | undefined): unknown => {
  if (!schema) return undefined
  if (Array.isArray(schema.examples) && schema.examples.length) return schema.examples[0]
  if ('example' in schema) return schema.example
  if ('default' in schema) return schema.default
  if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[0]
  return undefined
}

const rawParameters = (document: OpenApiDocument, operation: OperationModel) => {
  const op = resolvePointer(document, operation.pointer) ?? {}
  const itemPointer = operation.pointer.slice(0, operation.pointer.lastIndexOf('/'))
  const item = resolvePointer(document, itemPointer) ?? {}
  const merged = new Map<string, OpenApiDocument>()
  for (const [list, base] of [
    [item.parameters, `${itemPointer}/parameters`],
    [op.parameters, `${operation.pointer}/parameters`],
  ] as const) {
    ;(Array.isArray(list) ? list : []).forEach((p, i) => {
      const { value } = derefLocal(document, p, `${base}/${i}`)
      if (value?.name && value.in) merged.set(`${value.in}:${value.name}`, value)
    })
  }
  return [...merged.values()]
}

const fieldOf = (
  document: OpenApiDocument,
  raw: OpenApiDocument,
  translations: SpecTranslations,
): FieldForm => {
  const schema = derefLocal(document, raw.schema, '').value
  const example = asText(firstExample(raw) ?? schemaExample(schema))
  const field: FieldForm = {
    name: raw.name,
    in: raw.in,
    required: raw.in === 'path' || raw.required === true,
  }
  if (typeof raw.description === 'string') {
    field.description = raw.description
    Object.assign(field, withTranslations({ description: translations.parameters[raw.name] }))
  }
  if (example !== undefined) field.example = example
  if (typeof schema?.type === 'string') field.type = schema.type
  if (Array.isArray(schema?.enum)) field.enum = schema.enum.map(String)
  return field
}

const bodyOf = (document: OpenApiDocument, operation: OperationModel): OperationForm['body'] => {
  if (!operation.requestBody) return undefined
  const contentType =
    Object.keys(operation.requestBody.content).find((t) => /json/.test(t)) ??
    Object.keys(operation.requestBody.content)[0] ??
    'application/json'
  const op = resolvePointer(document, operation.pointer) ?? {}
  const body = derefLocal(document, op.requestBody, '').value
  const media = body?.content?.[contentType] as OpenApiDocument | undefined
  const example =
    firstExample(media) ?? schemaExample(derefLocal(document, media?.schema, '').value)
  const text =
    example === undefined
      ? undefined
      : typeof example === 'string' && !/json/.test(contentType)
        ? example
        : JSON.stringify(example, null, 2)
  return {
    contentType,
    required: operation.requestBody.required,
    ...(text === undefined ? {} : { example: text }),
  }
}

/** A concrete path for the access-right globs: every `{param}` as one segment. */
const samplePath = (template: string) => template.replace(/\{[^}]+\}/g, 'x')

/** The composer's form for every operation of a service, prefilled from its spec's examples. */
export const serviceForm = (
  federation: Federation,
  service: ServiceModel,
  spec: SpecModel,
): ServiceForm => {
  const provider = federation.instance(service.instance)
  const uxp = provider?.protocol === 'uxp-rest'
  const translations = specTranslations(spec.file)
  const operations = spec.operations.map((operation): OperationForm => {
    const fields = rawParameters(spec.document, operation).map((raw) =>
      fieldOf(spec.document, raw, translations),
    )
    const named = new Set(fields.map((f) => f.name.toLowerCase()))
    for (const header of operation.securityHeaders) {
      if (named.has(header)) continue
      fields.push({
        name: header === 'authorization' ? 'Authorization' : header,
        in: 'header',
        required: true,
        secret: true,
        ...(header === 'authorization' ? { example: 'Bearer ' } : {}),
      })
    }
    if (uxp && operation.personalData && !named.has(UXP_HEADER_DISPLAY.purposeIds.toLowerCase())) {
      fields.push({
        name: UXP_HEADER_DISPLAY.purposeIds,
        in: 'header',
        required: true,
        example: WORKSHOP_PURPOSE,
      })
    }
    const form: OperationForm = {
      operationId: operation.operationId,
      method: operation.method,
      path: operation.pathTemplate,
      personalData: operation.personalData,
      fields,
    }
    if (operation.summary) {
      form.summary = operation.summary
      Object.assign(
        form,
        withTranslations({ summary: translations.operations[operation.operationId] }),
      )
    }
    const body = bodyOf(spec.document, operation)
    if (body) form.body = body
    return form
  })
  const clients: ClientChoice[] = []
  for (const instance of federation.instances) {
    for (const member of instance.members) {
      for (const subsystem of member.subsystems) {
        if (subsystem.key === service.subsystemKey) continue
        const allowed = spec.operations
          .filter((op) =>
            federation.allows(subsystem.key, service.key, op.method, samplePath(op.pathTemplate)),
          )
          .map((op) => op.operationId)
        clients.push({
          key: subsystem.key,
          name: subsystem.name,
          member: member.name,
          ...withTranslations({ name: subsystem.names, member: member.names }),
          instance: instance.code,
          allowed,
        })
      }
    }
  }
  // Most allowed first, own instance before others: the likeliest caller leads the list.
  const ranked = [...clients].sort(
    (a, b) =>
      b.allowed.length - a.allowed.length ||
      Number(b.instance === service.instance) - Number(a.instance === service.instance),
  )
  const form: ServiceForm = {
    id: service.id,
    key: service.key,
    title: spec.title,
    ...withTranslations({ title: translations.title }),
    instance: service.instance,
    protocol: provider?.protocol ?? 'xroad-rest',
    provider: service.provider,
    operations,
    clients,
  }
  const best = ranked[0]
  if (best && best.allowed.length) form.defaultClient = best.key
  return form
}

type CastPerson = {
  id?: string
  givenName?: string
  familyName?: string
  nativeName?: string
  birthDate?: unknown
  citizenship?: string
  personalCode?: string
  rnokpp?: string
  unzr?: string
  story?: string
  eResident?: { personalCode?: string }
}
type CastCompany = {
  id?: string
  name?: string
  country?: string
  registryCode?: string
  edrpou?: string
  story?: string
}

const dateText = (value: unknown): string | undefined =>
  value instanceof Date
    ? value.toISOString().slice(0, 10)
    : typeof value === 'string'
      ? value
      : undefined

const compact = (values: Record<string, string | undefined>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== undefined),
  )

/** The people and companies of the world's cast, as samples that fill identifier fields. */
export const worldSamples = (cast: unknown): WorldSample[] => {
  const raw = (cast ?? {}) as { people?: CastPerson[]; companies?: CastCompany[] }
  const people = (raw.people ?? []).map((p, i): WorldSample => ({
    id: p.id ?? `person-${i}`,
    kind: 'person',
    label: `${p.givenName ?? ''} ${p.familyName ?? ''}`.trim() || (p.id ?? `person ${i}`),
    ...(p.citizenship ? { country: p.citizenship } : {}),
    ...(p.story ? { story: p.story } : {}),
    values: compact({
      personalCode: p.personalCode ?? p.eResident?.personalCode,
      rnokpp: p.rnokpp,
      unzr: p.unzr,
      givenName: p.givenName,
      familyName: p.familyName,
      birthDate: dateText(p.birthDate),
    }),
  }))
  const companies = (raw.companies ?? []).map((c, i): WorldSample => ({
    id: c.id ?? `company-${i}`,
    kind: 'company',
    label: c.name ?? c.id ?? `company ${i}`,
    ...(c.country ? { country: c.country } : {}),
    ...(c.story ? { story: c.story } : {}),
    values: compact({ registryCode: c.registryCode, edrpou: c.edrpou }),
  }))
  return [...people, ...companies]
}
