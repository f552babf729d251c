import {
  decodePart,
  decodeParts,
  identifierError,
  type CharsetRule,
  type IdentifierError,
} from '../internal/identifier-parts.ts'
import { percentEncodeSegment } from '../internal/percent-encoding.ts'
import { remember } from '../../remember.ts'
import { ok, type Result } from '../result.ts'

export type { IdentifierError, IdentifierErrorCode } from '../internal/identifier-parts.ts'

/** A member (`INSTANCE/CLASS/MEMBER`) or one of its subsystems (`.../SUBSYSTEM`). */
export type ClientId = {
  instance: string
  memberClass: string
  memberCode: string
  subsystemCode?: string
}

/** A REST service: always five parts; REST service ids carry no version segment. */
export type ServiceId = {
  instance: string
  memberClass: string
  memberCode: string
  subsystemCode: string
  serviceCode: string
}

export type SecurityServerId = {
  instance: string
  memberClass: string
  memberCode: string
  serverCode: string
}

/** `X-Road-Represented-Party: [CLASS/]CODE` (PR-REST 1.0.2). */
export type RepresentedParty = { memberClass?: string; memberCode: string }

export type R1Path = {
  protocolVersion: 'r1'
  serviceId: ServiceId
  /** What follows the service id: '' or a path starting with '/', passed on to the provider. */
  servicePath: string
}

/**
 * Which characters an identifier part may hold after decoding:
 * - `pr-rest`: PR-REST §4.8 (v1.0.3), `A-Z a-z 0-9 '()+,-.=?`; the default.
 * - `lenient`: anything that percent-decodes. X-Road 7.6.3's proxy only logs a warning for other
 *   characters, and PR-REST §4.2's own example (`BAR%2FSERVICE`) needs this.
 */
export type IdentifierCharset = 'pr-rest' | 'lenient'

export const IDENTIFIER_CHARSETS: Record<IdentifierCharset, CharsetRule> = {
  'pr-rest': {
    test: (part) => /^[A-Za-z0-9'()+,\-.=?]+$/.test(part),
    description: "A-Z a-z 0-9 and '()+,-.=? (PR-REST §4.8)",
  },
  lenient: { test: () => true, description: 'any character' },
}

export type ParseOptions = { charset?: IdentifierCharset }

const CLIENT = { code: 'InvalidClientIdentifier', message: 'Invalid Client Id' } as const
const SERVICE = { code: 'InvalidServiceIdentifier', message: 'Invalid Service Id' } as const

/**
 * Parses an `X-Road-Client` value, `INSTANCE/CLASS/MEMBER[/SUBSYSTEM]`, each part percent-decoded
 * on its own. Never throws.
 * @example parseClientId('ee-test/GOV/70006317/eesti-ee')
 */
export const parseClientId = (
  header: string | null | undefined,
  { charset = 'pr-rest' }: ParseOptions = {},
): Result<ClientId, IdentifierError> =>
  header === null || header === undefined
    ? identifierError(
        'MissingClientIdentifier',
        'The client identifier is missing',
        'send the X-Road-Client header: INSTANCE/CLASS/MEMBER[/SUBSYSTEM]',
      )
    : clientIdOf(`${charset}\u0000${header}`)

// Each exchange parses the same few identifiers at both security servers and again in checks.
const clientIdOf = remember((key): Result<ClientId, IdentifierError> => {
  const split = key.indexOf('\u0000')
  const charset = key.slice(0, split) as IdentifierCharset
  const header = key.slice(split + 1)
  const shape = 'INSTANCE/CLASS/MEMBER[/SUBSYSTEM]'
  const spec = { ...CLIENT, counts: [3, 4], shape, charset: IDENTIFIER_CHARSETS[charset] }
  const parts = decodeParts(header, spec, 'X-Road-Client')
  if (!parts.ok) return parts
  const [instance, memberClass, memberCode, subsystemCode] = parts.value as [
    string,
    string,
    string,
    string?,
  ]
  return ok(
    Object.freeze(
      subsystemCode === undefined
        ? { instance, memberClass, memberCode }
        : { instance, memberClass, memberCode, subsystemCode },
    ),
  )
})

/** Parses a service id (`X-Road-Service`): exactly `INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE`. */
export const parseServiceId = (
  value: string,
  { charset = 'pr-rest' }: ParseOptions = {},
): Result<ServiceId, IdentifierError> => {
  const shape = 'INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE'
  const spec = { ...SERVICE, counts: [5], shape, charset: IDENTIFIER_CHARSETS[charset] }
  const parts = decodeParts(value, spec, 'service id')
  if (!parts.ok) return parts
  const [instance, memberClass, memberCode, subsystemCode, serviceCode] = parts.value as [
    string,
    string,
    string,
    string,
    string,
  ]
  return ok({ instance, memberClass, memberCode, subsystemCode, serviceCode })
}

/** Parses `X-Road-Security-Server`: exactly `INSTANCE/CLASS/MEMBER/SERVERCODE`. */
export const parseSecurityServerId = (
  value: string,
  { charset = 'pr-rest' }: ParseOptions = {},
): Result<SecurityServerId, IdentifierError> => {
  const spec = {
    code: 'InvalidSecurityServerIdentifier',
    message: 'Invalid SecurityServer Id',
    counts: [4],
    shape: 'INSTANCE/CLASS/MEMBER/SERVERCODE',
    charset: IDENTIFIER_CHARSETS[charset],
  } as const
  const parts = decodeParts(value, spec, 'X-Road-Security-Server')
  if (!parts.ok) return parts
  const [instance, memberClass, memberCode, serverCode] = parts.value as [
    string,
    string,
    string,
    string,
  ]
  return ok({ instance, memberClass, memberCode, serverCode })
}

/** Parses `X-Road-Represented-Party`: `[CLASS/]CODE`. */
export const parseRepresentedParty = (
  value: string,
  { charset = 'pr-rest' }: ParseOptions = {},
): Result<RepresentedParty, IdentifierError> => {
  const spec = {
    code: 'InvalidRepresentedParty',
    message: 'Invalid RepresentedParty Id',
    counts: [1, 2],
    shape: '[CLASS/]CODE',
    charset: IDENTIFIER_CHARSETS[charset],
  } as const
  const parts = decodeParts(value, spec, 'X-Road-Represented-Party')
  if (!parts.ok) return parts
  const [first, second] = parts.value as [string, string?]
  return ok(
    second === undefined ? { memberCode: first } : { memberClass: first, memberCode: second },
  )
}

const INVALID_URI_HINT =
  'the path must be /r1/INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE[/path], each part percent-encoded'

/**
 * Parses the path of a consumer request, `/r1/{serviceId}[/path]`, as X-Road 7.6.3 does
 * (`RestRequest.decodeIdentifiers`): split on '/' into at most 8 pieces, then decode each id
 * segment, so `BAR%2FSERVICE` is one service code `BAR/SERVICE`. Pass the raw path, without the
 * query. Never throws.
 * @example parseR1Path('/r1/ee-test/GOV/70008440/rr/population/persons/38001085718')
 */
export const parseR1Path = (
  pathname: string,
  { charset = 'pr-rest' }: ParseOptions = {},
): Result<R1Path, IdentifierError> => {
  const all = pathname.split('/')
  const parts = all.length > 8 ? [...all.slice(0, 7), all.slice(7).join('/')] : all
  if (parts[0] !== '' || parts.length < 7) {
    return identifierError('InvalidRequestUri', 'Invalid request URI', INVALID_URI_HINT)
  }
  const version = parts[1] as string
  if (!/^r[0-9]$/.test(version)) {
    return identifierError(
      'InvalidProtocolVersion',
      `Invalid protocol version ${version}`,
      `the first path segment must be the protocol version r1 (v1 was renamed r1 in PR-REST 0.2.0)`,
    )
  }
  if (version !== 'r1') {
    return identifierError(
      'UnsupportedProtocolVersion',
      `Unsupported protocol version ${version.slice(1)}`,
      'this security server speaks X-Road Message Protocol for REST r1 only',
    )
  }
  const ids: string[] = []
  for (const raw of parts.slice(2, 7)) {
    const decoded = decodePart(raw, IDENTIFIER_CHARSETS[charset], 'service id')
    if (!decoded.ok) return decoded
    ids.push(decoded.value)
  }
  const [instance, memberClass, memberCode, subsystemCode, serviceCode] = ids as [
    string,
    string,
    string,
    string,
    string,
  ]
  return ok({
    protocolVersion: 'r1',
    serviceId: { instance, memberClass, memberCode, subsystemCode, serviceCode },
    servicePath: parts.length === 8 ? '/' + parts[7] : '',
  })
}

/** Writes a client id as an `X-Road-Client` value, percent-encoding each part. */
export const formatClientId = (id: ClientId): string =>
  [
    id.instance,
    id.memberClass,
    id.memberCode,
    ...(id.subsystemCode === undefined ? [] : [id.subsystemCode]),
  ]
    .map(percentEncodeSegment)
    .join('/')

/** Writes a service id as an `X-Road-Service` value or `/r1/` path, percent-encoding each part. */
export const formatServiceId = (id: ServiceId): string =>
  [id.instance, id.memberClass, id.memberCode, id.subsystemCode, id.serviceCode]
    .map(percentEncodeSegment)
    .join('/')

/** The consumer request path for a service: `/r1/{serviceId}{servicePath}`. */
export const formatR1Path = (id: ServiceId, servicePath = ''): string =>
  `/r1/${formatServiceId(id)}${servicePath}`

/**
 * The canonical key of the subsystem (or member) that owns an id: `INSTANCE/CLASS/MEMBER/SUBSYSTEM`,
 * percent-encoded like `formatClientId`, so keys of distinct ids never collide.
 */
export const subsystemKey = (id: ClientId | ServiceId): string =>
  formatClientId({
    instance: id.instance,
    memberClass: id.memberClass,
    memberCode: id.memberCode,
    ...(id.subsystemCode === undefined ? {} : { subsystemCode: id.subsystemCode }),
  })

// X-Road's XRoadId.toString(): object type, ':', decoded parts joined by '/'. Fault messages such as
// "Client '%s' not found" and "Request is not allowed: %s" print ids this way.

/** `SUBSYSTEM:ee-test/GOV/70006317/eesti-ee` or `MEMBER:ee-test/GOV/70006317`. */
export const describeClientId = (id: ClientId): string =>
  id.subsystemCode === undefined
    ? `MEMBER:${id.instance}/${id.memberClass}/${id.memberCode}`
    : `SUBSYSTEM:${id.instance}/${id.memberClass}/${id.memberCode}/${id.subsystemCode}`

/** `SERVICE:ee-test/GOV/70008440/rr/population`. */
export const describeServiceId = (id: ServiceId): string =>
  `SERVICE:${id.instance}/${id.memberClass}/${id.memberCode}/${id.subsystemCode}/${id.serviceCode}`

/** `SERVER:ee-test/GOV/70006317/ss1`. */
export const describeSecurityServerId = (id: SecurityServerId): string =>
  `SERVER:${id.instance}/${id.memberClass}/${id.memberCode}/${id.serverCode}`
