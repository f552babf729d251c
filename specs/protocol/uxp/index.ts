import { decodeParts, identifierError, type CharsetRule } from '../internal/identifier-parts.ts'
import { percentEncodeSegment } from '../internal/percent-encoding.ts'
import { ok, type Result } from '../result.ts'
import {
  MISSING_HEADER_FIELD,
  NOT_A_REST_REQUEST,
  renderXroadError,
  type FaultTemplate,
  type XroadFault,
} from '../xroad-errors/index.ts'
import type { ClientId, IdentifierError, ServiceId } from '../xroad-identifiers/index.ts'

/** The single REST entry point of a UXP (Trembita) security server: `http[s]://<ss>/restapi[?params]`. */
export const UXP_ENDPOINT = '/restapi'

/** Trembita REST header names in lower case (Trembita REST guide, MadCat-88/Services-development-for-Trembita-system). */
export const UXP_HEADER = {
  client: 'uxp-client',
  service: 'uxp-service',
  queryId: 'uxp-queryid',
  purposeIds: 'uxp-purpose-ids',
  subjectId: 'uxp-subject-id',
} as const

export type UxpHeaderKey = keyof typeof UXP_HEADER

/** The same names as the Trembita guide writes them. */
export const UXP_HEADER_DISPLAY: Record<UxpHeaderKey, string> = {
  client: 'Uxp-Client',
  service: 'Uxp-Service',
  queryId: 'Uxp-QueryID',
  purposeIds: 'Uxp-Purpose-Ids',
  subjectId: 'Uxp-Subject-Id',
}

/** A UXP service id: the X-Road five parts plus an optional version. */
export type UxpServiceId = ServiceId & { serviceVersion?: string }

const UXP_CHARSET: CharsetRule = {
  test: (part) => /^[A-Za-z0-9'()+,\-.=?_]+$/.test(part),
  description: "A-Z a-z 0-9, '_' and '()+,-.=?",
}

/**
 * The Trembita/UXP REST details no primary source confirms, and the choice Sild makes for each.
 * Change them here; the parsers and the UXP security server read them from this object.
 */
export const UXP_CHOICES = {
  /**
   * Part counts of Uxp-Client. The guide only shows `INSTANCE/CLASS/MEMBER/SUBSYSTEM`; Trembita
   * registers web clients as subsystems, so a member-level client (3 parts) is refused.
   */
  clientPartCounts: [4],
  /**
   * Characters of an identifier part. Trembita codes use '_' (`SUB_1`, `GetPersonFullNameByDRFOCode_v1`),
   * which PR-REST §4.8 forbids, so UXP allows PR-REST's set plus '_'.
   */
  identifierCharset: UXP_CHARSET,
  /** UXP derives from X-Road, so each header part is percent-decoded separately as in PR-REST. */
  percentEncodedParts: true,
  /**
   * The path after `/restapi` is passed to the provider as its path (like PR-REST's service path);
   * the guide's examples only show `/restapi?params`.
   */
  servicePathAfterEndpoint: true,
  /** Separator of several declaration-of-purpose ids in one Uxp-Purpose-Ids value. */
  purposeIdsSeparator: ',',
  /** The federation's service flag that makes Uxp-Purpose-Ids mandatory (PDMDS / ПМДПД services). */
  personalDataFlag: 'personalData',
  /** The fault for a missing Uxp-Purpose-Ids or Uxp-Service: X-Road's `Client.MissingHeaderField`. */
  missingHeaderFault: MISSING_HEADER_FIELD satisfies FaultTemplate,
  /** The fault for a request to any other path than the REST door `/restapi[/…]`. */
  notRestRequestFault: NOT_A_REST_REQUEST satisfies FaultTemplate,
  /**
   * Errors use X-Road's `{type, message, detail}` body (JSON, or XML on Accept) and 7.x fault codes,
   * since UXP is built on X-Road; the fault code travels in `Uxp-Error`, named like the other Uxp-
   * headers, instead of X-Road-Error.
   */
  errorHeader: 'uxp-error',
  /** A consumer SS that gets no Uxp-QueryID generates one: a bare UUID. */
  generatedQueryId: 'uuid',
  /** Headers the provider SS sets on the response, overwriting any the provider sent. */
  responseHeaders: [UXP_HEADER.client, UXP_HEADER.service, UXP_HEADER.queryId],
  /**
   * No request-hash header: none is documented for UXP REST, so checks must not demand one.
   * (A third-party Trembita client also sends Uxp-Id, Uxp-UserId and Uxp-Issue; Sild passes
   * these through like any user header.)
   */
  requestHashHeader: null,
} as const

/** Parses `Uxp-Client`: `INSTANCE/CLASS/MEMBER/SUBSYSTEM`. Never throws. */
export const parseUxpClientId = (
  header: string | null | undefined,
): Result<ClientId, IdentifierError> => {
  if (header === null || header === undefined) {
    return identifierError(
      'MissingClientIdentifier',
      'The client identifier is missing',
      'send the Uxp-Client header: INSTANCE/CLASS/MEMBER/SUBSYSTEM',
    )
  }
  const spec = {
    code: 'InvalidClientIdentifier',
    message: 'Invalid Client Id',
    counts: UXP_CHOICES.clientPartCounts,
    shape: 'INSTANCE/CLASS/MEMBER/SUBSYSTEM',
    charset: UXP_CHOICES.identifierCharset,
  } as const
  const parts = decodeParts(header, spec, 'Uxp-Client')
  if (!parts.ok) return parts
  const [instance, memberClass, memberCode, subsystemCode] = parts.value as [
    string,
    string,
    string,
    string?,
  ]
  return ok(
    subsystemCode === undefined
      ? { instance, memberClass, memberCode }
      : { instance, memberClass, memberCode, subsystemCode },
  )
}

/**
 * Parses `Uxp-Service`: `INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE[/VERSION]` (Trembita REST guide:
 * the version is optional). Never throws.
 */
export const parseUxpServiceId = (value: string): Result<UxpServiceId, IdentifierError> => {
  const spec = {
    code: 'InvalidServiceIdentifier',
    message: 'Invalid Service Id',
    counts: [5, 6],
    shape: 'INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE[/VERSION]',
    charset: UXP_CHOICES.identifierCharset,
  } as const
  // An empty version (`…/SERVICE/`, as a public sample client sends) is no version.
  const trimmed = value.split('/').length === 6 && value.endsWith('/') ? value.slice(0, -1) : value
  const parts = decodeParts(trimmed, spec, 'Uxp-Service')
  if (!parts.ok) return parts
  const [instance, memberClass, memberCode, subsystemCode, serviceCode, serviceVersion] =
    parts.value as [string, string, string, string, string, string?]
  const id = { instance, memberClass, memberCode, subsystemCode, serviceCode }
  return ok(serviceVersion === undefined ? id : { ...id, serviceVersion })
}

/** Writes a UXP service id for the `Uxp-Service` header. */
export const formatUxpServiceId = (id: UxpServiceId): string =>
  [
    id.instance,
    id.memberClass,
    id.memberCode,
    id.subsystemCode,
    id.serviceCode,
    ...(id.serviceVersion === undefined ? [] : [id.serviceVersion]),
  ]
    .map(percentEncodeSegment)
    .join('/')

/**
 * The provider path of a request to the UXP endpoint: '/' for `/restapi` (the guide's
 * `/restapi?params` reaches the operation at '/'), `/x/y` for `/restapi/x/y`; undefined when the
 * path is not the UXP endpoint at all.
 */
export const uxpServicePath = (pathname: string): string | undefined => {
  if (pathname === UXP_ENDPOINT || pathname === `${UXP_ENDPOINT}/`) return '/'
  if (UXP_CHOICES.servicePathAfterEndpoint && pathname.startsWith(UXP_ENDPOINT + '/')) {
    return pathname.slice(UXP_ENDPOINT.length)
  }
  return undefined
}

/** Parses `Uxp-Purpose-Ids` into the declaration-of-purpose ids it lists. */
export const parsePurposeIds = (value: string): Result<string[], IdentifierError> => {
  const ids = value.split(UXP_CHOICES.purposeIdsSeparator).map((id) => id.trim())
  if (ids.some((id) => id === '')) {
    return identifierError(
      'EmptyPart',
      'Empty purpose id in Uxp-Purpose-Ids',
      `Uxp-Purpose-Ids lists purpose ids separated by '${UXP_CHOICES.purposeIdsSeparator}'; none may be empty`,
    )
  }
  return ok(ids)
}

/** Service flags as the federation declares them. */
export type UxpServiceFlags = { personalData?: boolean }

/**
 * Whether calls to a service must carry `Uxp-Purpose-Ids`: services that handle personal data are
 * monitored by the Personal Data Access Monitoring Subsystem (PDMDS), which needs a declared purpose.
 */
export const requiresPurpose = (service: UxpServiceFlags): boolean =>
  service[UXP_CHOICES.personalDataFlag] === true

export type RenderedUxpError = {
  status: 400 | 500
  headers: { 'content-type': string; 'uxp-error': string }
  body: string
}

/** The HTTP response of a UXP security server for a fault: X-Road's, with the code in `Uxp-Error`. */
export const renderUxpError = (
  fault: XroadFault,
  accept: string | null | undefined,
): RenderedUxpError => {
  const { status, headers, body } = renderXroadError(fault, accept)
  return {
    status,
    headers: { 'content-type': headers['content-type'], [UXP_CHOICES.errorHeader]: fault.type },
    body,
  }
}
