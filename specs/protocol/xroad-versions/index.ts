/**
 * The X-Road releases whose security servers Sild simulates, and how their fault codes differ.
 * Up to 7.7.x a fault code is CamelCase (`Server.ServerProxy.AccessDenied`); 7.8.0 (released
 * 2026-02-02) writes the same codes in lower-case snake case (`server.serverproxy.access_denied`)
 * and picks status 500 by `startsWith("server.")` (`ErrorCodes.java`, `ClientRestMessageHandler`,
 * `RestProxyTest` at tags 7.6.3 and 7.8.0 of nordic-institute/X-Road).
 */
export type XroadVersion = '7.6' | '7.8'

export const XROAD_VERSIONS: readonly XroadVersion[] = ['7.6', '7.8']

/** An X-Road instance that declares no version runs 7.6 (codes as in PR-REST's examples). */
export const DEFAULT_XROAD_VERSION: XroadVersion = '7.6'

/**
 * Each code part as 7.6.3 spells it → as 7.8.0 spells it, constant by constant of `ErrorCodes.java`
 * at both tags (prefixes first, then the error names).
 */
const PARTS_7_8: Readonly<Record<string, string>> = {
  Client: 'client',
  Server: 'server',
  Signer: 'signer',
  ClientProxy: 'clientproxy',
  ServerProxy: 'serverproxy',
  IOError: 'io_error',
  NetworkError: 'network_error',
  InternalError: 'internal_error',
  BadRequest: 'bad_request',
  NotFound: 'not_found',
  HttpError: 'http_error',
  DatabaseError: 'database_error',
  InvalidRequest: 'invalid_request',
  CertValidation: 'cert_validation',
  IncorrectCertificate: 'incorrect_certificate',
  InvalidSignatureValue: 'invalid_signature_value',
  MalformedSignature: 'malformed_signature',
  InvalidXml: 'invalid_xml',
  InvalidReference: 'invalid_reference',
  InvalidCertPath: 'invalid_cert_path',
  SignatureVerification: 'signature_verification',
  InvalidHashChain: 'invalid_hash_chain',
  MalformedHashChain: 'malformed_hash_chain',
  SslAuthenticationFailed: 'ssl_authentication_failed',
  LoggingFailed: 'logging_failed',
  TimestampingFailed: 'timestamping_failed',
  InvalidContentType: 'invalid_content_type',
  InvalidHttpMethod: 'invalid_http_method',
  InvalidMessage: 'invalid_message',
  InvalidSecurityServer: 'invalid_security_server',
  MimeParsingFailed: 'mime_parsing_failed',
  MissingHeader: 'missing_header',
  MissingHeaderField: 'missing_header_field',
  DuplicateHeaderField: 'duplicate_header_field',
  MissingBody: 'missing_body',
  InvalidBody: 'invalid_body',
  InconsistentHeaders: 'inconsistent_headers',
  InconsistentResponse: 'inconsistent_response',
  MissingSoap: 'missing_soap',
  InvalidSoap: 'invalid_soap',
  MissingRest: 'missing_rest',
  AccessDenied: 'access_denied',
  ServiceDisabled: 'service_disabled',
  ServiceFailed: 'service_failed',
  MissingSignature: 'missing_signature',
  UnknownService: 'unknown_service',
  InvalidProtocolVersion: 'invalid_protocol_version',
  InvalidClientIdentifier: 'invalid_client_identifier',
  ServiceType: 'service_type',
  ClientProxyVersionNotSupported: 'client_proxy_version_not_supported',
  UnknownMember: 'unknown_member',
  MalformedServerConf: 'malformed_server_conf',
  MalformedGlobalConf: 'malformed_global_conf',
  OutdatedGlobalConf: 'global_conf_outdated',
  ServiceMissingUrl: 'service_missing_url',
  ServiceMalformedUrl: 'service_malformed_url',
  HSMNonOperational: 'hsm_non_operational',
  TimestamperFailed: 'timestamper_failed',
}

const PARTS_7_6: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(PARTS_7_8).map(([camel, snake]) => [snake, camel]),
)

// A part the table lacks (a code Sild never raises) is converted by rule: AccessDenied ⇄ access_denied.
const snake = (part: string): string =>
  part
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
const camel = (part: string): string =>
  part
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('')

const partIn = (part: string, version: XroadVersion): string =>
  version === '7.8'
    ? (PARTS_7_8[part] ?? (PARTS_7_6[part] ? part : snake(part)))
    : (PARTS_7_6[part] ?? (PARTS_7_8[part] ? part : camel(part)))

/**
 * A fault code written as the given X-Road version writes it. Either spelling goes in:
 * `faultCodeIn('Server.ServerProxy.AccessDenied', '7.8')` is `server.serverproxy.access_denied`,
 * and back again with '7.6'.
 */
export const faultCodeIn = (code: string, version: XroadVersion): string =>
  code
    .split('.')
    .map((part) => partIn(part, version))
    .join('.')

/** Whether a code is written in the style of the version (every part as that version spells it). */
export const isFaultCodeOf = (code: string, version: XroadVersion): boolean =>
  faultCodeIn(code, version) === code

/**
 * The HTTP status of a fault as a security server of the version answers it: 500 when the code
 * starts with `Server.` (7.6) or `server.` (7.8), 400 otherwise (`ClientRestMessageHandler
 * .sendErrorResponse` at 7.6.3 and 7.8.0; so `Signer.*` is 400 too).
 */
export const statusForFaultCodeIn = (code: string, version: XroadVersion): 400 | 500 =>
  code.startsWith(version === '7.8' ? 'server.' : 'Server.') ? 500 : 400
