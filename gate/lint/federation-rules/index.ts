import { resolve } from 'node:path'
import type { Federation, Protocol } from '../../../specs/federation/index.ts'
import { formats, type FormatName } from '../../../specs/formats/index.ts'
import { IDENTIFIER_CHARSETS, UXP_CHOICES } from '../../../specs/protocol/index.ts'
import {
  loadSourceFile,
  type JsonPath,
  type LoadedSource,
} from '../../../specs/source-file/index.ts'
import type { LintFinding, LintSeverity } from '../index.ts'

/** The rules checked on the federation's files rather than in a spec. */
export const FEDERATION_RULE_NAMES = [
  'sild-identifier-charset',
  'sild-trembita-service-code',
  'sild-member-code',
  'sild-service-id',
] as const
type FederationRule = (typeof FEDERATION_RULE_NAMES)[number]

const SEVERITY: Record<FederationRule, LintSeverity> = {
  'sild-identifier-charset': 'error',
  'sild-trembita-service-code': 'error',
  'sild-member-code': 'error',
  'sild-service-id': 'error',
}

/** Trembita REST guide: `ServiceName_ServiceVersion`, UpperCamelCase English, e.g. `GetPersonFullNameByDRFOCode_v1`. */
export const TREMBITA_SERVICE_CODE = /^[A-Z][A-Za-z0-9]*_v[0-9]+$/

/** Member codes are registry codes in Estonia and EDRPOU codes in Ukraine. */
const MEMBER_CODE_FORMAT: Record<string, FormatName> = { EE: 'ee-registry-code', UA: 'ua-edrpou' }

const charsetFor = (protocol: Protocol) =>
  protocol === 'uxp-rest' ? UXP_CHOICES.identifierCharset : IDENTIFIER_CHARSETS['pr-rest']

type Raw = Record<string, unknown>
const list = (value: unknown): Raw[] => (Array.isArray(value) ? (value as Raw[]) : [])

/**
 * X-Road and Trembita naming conventions of the federation's files: identifier parts use the
 * characters the instance's protocol allows (PR-REST §4.8, or UXP's set with `_`), Trembita
 * service codes are `ServiceName_vN`, member codes are valid registry / EDRPOU codes, and a
 * spec's `info.x-sild-service` names the service that serves it. `specs` limits the service
 * checks to the services of those spec files; `whole` adds instances, members and subsystems.
 */
export const lintFederation = (
  federation: Federation,
  { specs, whole = false }: { specs?: string[]; whole?: boolean } = {},
): LintFinding[] => {
  const linted = specs ? new Set(specs.map((s) => resolve(s))) : undefined
  const findings: LintFinding[] = []
  const add = (rule: FederationRule, source: LoadedSource, path: JsonPath, message: string) => {
    const at = source.locate(path)
    findings.push({
      rule,
      severity: SEVERITY[rule],
      message,
      file: resolve(at.file),
      line: at.line,
      column: at.column,
      endLine: at.line,
      endColumn: at.column,
      pointer: `/${path.join('/')}`,
    })
  }
  for (const file of federation.files) {
    const source = loadSourceFile(file)
    list((source.value as Raw)?.instances).forEach((instance, i) => {
      const model = federation.instance(String(instance.code))
      if (!model) return
      const charset = charsetFor(model.protocol)
      const protocolName = model.protocol === 'uxp-rest' ? 'Trembita/UXP' : 'X-Road (PR-REST §4.8)'
      const part = (value: unknown, path: JsonPath, what: string) => {
        if (typeof value === 'string' && !charset.test(value))
          add(
            'sild-identifier-charset',
            source,
            path,
            `${what} "${value}" has characters ${protocolName} does not allow in identifiers; use only ${charset.description}`,
          )
      }
      const at: JsonPath = ['instances', i]
      if (whole) part(instance.code, [...at, 'code'], 'instance code')
      list(instance.members).forEach((member, j) => {
        const mAt: JsonPath = [...at, 'members', j]
        if (whole) {
          part(member.class, [...mAt, 'class'], 'member class')
          part(member.code, [...mAt, 'code'], 'member code')
          const format = MEMBER_CODE_FORMAT[model.country ?? '']
          const verdict = format ? formats[format].validate(String(member.code)) : undefined
          if (format && verdict && !verdict.valid)
            add(
              'sild-member-code',
              source,
              [...mAt, 'code'],
              `member code "${String(member.code)}" of ${model.code} is not a valid ${format}: ${verdict.reason}; members are registered by their ${formats[format].title}`,
            )
        }
        list(member.subsystems).forEach((subsystem, k) => {
          const sAt: JsonPath = [...mAt, 'subsystems', k]
          if (whole) part(subsystem.code, [...sAt, 'code'], 'subsystem code')
          list(subsystem.services).forEach((service, l) => {
            const vAt: JsonPath = [...sAt, 'services', l]
            const declared = federation.serviceById(String(service.id))
            const spec = declared?.specFile
            if (linted && (!spec || !linted.has(resolve(spec)))) return
            part(service.code, [...vAt, 'code'], 'service code')
            // A direct service (Diia's acquirer API) is not published on Trembita: no naming rule.
            const onTrembita = model.protocol === 'uxp-rest' && !declared?.direct
            if (onTrembita && !TREMBITA_SERVICE_CODE.test(String(service.code)))
              add(
                'sild-trembita-service-code',
                source,
                [...vAt, 'code'],
                `Trembita service code "${String(service.code)}" is not ServiceName_vN; name it in UpperCamelCase English with its version, e.g. GetPersonFullNameByDRFOCode_v1`,
              )
            if (spec) checkServiceId(spec, String(service.id), add)
          })
        })
      })
    })
  }
  return findings
}

const checkServiceId = (
  specFile: string,
  id: string,
  add: (rule: FederationRule, source: LoadedSource, path: JsonPath, message: string) => void,
) => {
  const spec = loadSourceFile(specFile)
  const info = (spec.value as Raw | undefined)?.info as Raw | undefined
  const declared = info?.['x-sild-service']
  if (typeof declared === 'string' && declared !== id)
    add(
      'sild-service-id',
      spec,
      ['info', 'x-sild-service'],
      `x-sild-service is "${declared}" but the federation serves this spec as "${id}"; scenarios bind sources by this id, so make them equal`,
    )
}
