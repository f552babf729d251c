// The protocol facts of X-Road REST (PR-REST; X-Road 7.6.3 and 7.8.0) and Trembita/UXP REST,
// defined once: the security servers raise these faults and the checks verify them. Each fact's
// source, or its "assumed" mark, is listed in facts/catalogue.ts.
export { ok, err } from './result.ts'
export type { Result } from './result.ts'

export {
  IDENTIFIER_CHARSETS,
  describeClientId,
  describeSecurityServerId,
  describeServiceId,
  formatClientId,
  formatR1Path,
  formatServiceId,
  parseClientId,
  parseR1Path,
  parseRepresentedParty,
  parseSecurityServerId,
  parseServiceId,
  subsystemKey,
} from './xroad-identifiers/index.ts'
export type {
  ClientId,
  IdentifierCharset,
  IdentifierError,
  IdentifierErrorCode,
  ParseOptions,
  R1Path,
  RepresentedParty,
  SecurityServerId,
  ServiceId,
} from './xroad-identifiers/index.ts'

export {
  CLIENT_DROPPED_HEADERS,
  FILTERED_HEADERS,
  PROVIDER_RESPONSE_DROPPED_HEADERS,
  XROAD_HEADER,
  XROAD_HEADER_DISPLAY,
  clientHeader,
  consumerRequestHeaders,
  headerValues,
  isFilteredHeader,
  lastHeaderValue,
  providerResponseHeaders,
  toHeaderList,
} from './xroad-headers/index.ts'
export type { HeaderList, HeaderSource, XroadHeaderKey } from './xroad-headers/index.ts'

export {
  ACCESS_DENIED,
  BAD_REQUEST,
  CLIENT_ID_MISSING,
  CLIENT_ID_INVALID,
  CLIENT_ID_FAULT_CODES_SPEC,
  CLIENT_PROXY_INTERNAL_ERROR,
  CLIENT_PROXY_NETWORK_ERROR,
  CLIENT_PROXY_UNKNOWN_MEMBER,
  ERROR_CONTENT_TYPE,
  FEDERATION_NOT_ALLOWED,
  FEDERATION_NOT_ALLOWED_BY_CONSUMER,
  INVALID_IDENTIFIER,
  INVALID_PROTOCOL_VERSION,
  INVALID_SECURITY_SERVER,
  MISSING_HEADER_FIELD,
  PROVIDER_ADDRESS_NOT_FOUND,
  PROVIDER_TIMEOUT,
  REQUEST_TOO_LARGE,
  RESPONSE_TOO_LARGE,
  RESPONSE_CLIENT_MISMATCH,
  RESPONSE_HASH_MISMATCH,
  RESPONSE_MESSAGE_ID_MISMATCH,
  RESPONSE_REQUEST_ID_MISMATCH,
  RESPONSE_SERVICE_MISMATCH,
  SECURITY_SERVER_NOT_FOUND,
  SERVER_PROXY_NETWORK_ERROR,
  SERVER_PROXY_UNKNOWN_MEMBER,
  SERVICE_DISABLED,
  SERVICE_FAILED,
  SERVICE_MISSING_URL,
  SERVICE_TYPE,
  UNKNOWN_SERVICE,
  XROAD_FAULTS,
  errorMediaType,
  identifierFault,
  renderXroadError,
  statusForFaultCode,
  xroadFault,
} from './xroad-errors/index.ts'
export type {
  ErrorMediaType,
  FaultTemplate,
  RenderedXroadError,
  XroadFault,
} from './xroad-errors/index.ts'

export {
  DEFAULT_XROAD_VERSION,
  XROAD_VERSIONS,
  faultCodeIn,
  isFaultCodeOf,
  statusForFaultCodeIn,
} from './xroad-versions/index.ts'
export type { XroadVersion } from './xroad-versions/index.ts'

export {
  computeRequestHash,
  isRequestHashFormat,
  serializeRestRequestHead,
} from './request-hash/index.ts'
export type { RequestHashInput } from './request-hash/index.ts'

export {
  UXP_CHOICES,
  UXP_ENDPOINT,
  UXP_HEADER,
  UXP_HEADER_DISPLAY,
  formatUxpServiceId,
  parsePurposeIds,
  parseUxpClientId,
  parseUxpServiceId,
  renderUxpError,
  requiresPurpose,
  uxpServicePath,
} from './uxp/index.ts'
export type { RenderedUxpError, UxpHeaderKey, UxpServiceFlags, UxpServiceId } from './uxp/index.ts'
