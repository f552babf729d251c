import type { IdentifierError, IdentifierErrorCode } from '../xroad-identifiers/index.ts'
import { faultCodeIn, statusForFaultCodeIn, type XroadVersion } from '../xroad-versions/index.ts'

/**
 * X-Road 7.x security-server faults (`ErrorCodes.java` and the proxy processors at tag 7.6.3).
 * Codes are the full `prefix.suffix`: `Client` = the consumer IS is at fault, `Server.ClientProxy`
 * = the consumer SS, `Server.ServerProxy` = the provider SS. Messages are printf templates with
 * X-Road's own wording; ids in them are printed with `describeClientId` / `describeServiceId`.
 */
export type FaultTemplate = {
  readonly code: string
  readonly status: 400 | 500
  readonly message: string
}

/** The JSON body of an X-Road error; `detail` is the UUID that locates the fault in the SS log. */
export type XroadFault = { type: string; message: string; detail: string }

/**
 * 500 for `Server.*`, 400 for anything else (`ClientRestMessageHandler.sendErrorResponse`, 7.6.3;
 * so `Signer.*` is 400 too).
 */
export const statusForFaultCode = (code: string): 400 | 500 => statusForFaultCodeIn(code, '7.6')

const fault = (code: string, message: string): FaultTemplate => ({
  code,
  status: statusForFaultCode(code),
  message,
})

// --- Client.*: the consumer information system sent a request that does not conform ---

/** PR-REST §4.6 example 3, verbatim. 7.6.3 itself reports most malformed requests as InternalError. */
export const BAD_REQUEST = fault(
  'Client.BadRequest',
  "Error parsing the client's REST request. Please that the request format corresponds to the X-Road Message Protocol for REST (r1).",
)

/**
 * An identifier part outside PR-REST §4.8 or empty. 7.6.3 only logs a warning for these
 * (`MessageProcessorBase.checkIdentifier`); Sild follows the spec, which says the SS MUST validate
 * strictly (§4.2), and answers as §4.6 category 3 prescribes.
 */
export const INVALID_IDENTIFIER = fault('Client.BadRequest', '%s')

/**
 * A request body over the message log's `max-loggable-message-body-size` (10 MiB by default) when
 * truncated bodies are not allowed: `LogManager` throws LoggingFailed "Message size exceeds maximum
 * loggable size", and on the consumer side it reaches the client as Server.ClientProxy.LoggingFailed
 * (500; LogManager and MessageLog at 7.6.3, ug-syspar message log parameters).
 */
export const REQUEST_TOO_LARGE = fault(
  'Server.ClientProxy.LoggingFailed',
  'Message size exceeds maximum loggable size',
)

/**
 * A provider answer whose body is over the provider security server's
 * `max-loggable-message-body-size`: `ServerRestMessageProcessor.logResponseMessage` hands it to the
 * message log, whose `LogManager` throws LoggingFailed "Message size exceeds maximum loggable size",
 * and `handleException` prefixes it Server.ServerProxy (500; 7.6.3 and 7.8.0 alike). The answer is
 * never passed on to the client.
 */
export const RESPONSE_TOO_LARGE = fault(
  'Server.ServerProxy.LoggingFailed',
  'Message size exceeds maximum loggable size',
)

/**
 * A path that is not `/r1/`. 7.6.3 routes anything but `/r1/` to its SOAP handler and never
 * reports this for REST; X-Road's code for a client message with a wrong protocol version is
 * `Client.InvalidProtocolVersion` (the SOAP path wraps it in `ClientException`), which Sild uses.
 */
export const INVALID_PROTOCOL_VERSION = fault('Client.InvalidProtocolVersion', '%s')

/**
 * A request to a UXP security server outside its REST door `/restapi[/…]` (assumed: no public
 * source; a request the REST protocol does not cover is the client's to fix, as PR-REST §4.6
 * category 3 says). The argument is the path.
 */
export const NOT_A_REST_REQUEST = fault(
  'Client.BadRequest',
  'Not a REST service request: %s is not the REST endpoint /restapi',
)

/** A required header is missing (X-Road's `RequiredHeaderFieldsChecker` wording). */
export const MISSING_HEADER_FIELD = fault(
  'Client.MissingHeaderField',
  "Required field '%s' is missing",
)

/**
 * No X-Road-Client header: `AbstractClientMessageProcessor.verifyClientStatus` throws
 * InvalidClientIdentifier "The client identifier is missing" and the client proxy prefixes it with
 * Server.ClientProxy, so the answer is 500 (RestProxyTest.shouldFailIfClientHeaderMissing at 7.6.3
 * and 7.8.0). PR-REST §4.6 would make it a 400 `Client.*`; the code wins.
 */
export const CLIENT_ID_MISSING = fault(
  'Server.ClientProxy.InvalidClientIdentifier',
  'The client identifier is missing',
)

/**
 * An X-Road-Client that does not parse (wrong part count, bad percent-encoding):
 * `RestMessage.decodeClientId` throws IllegalArgumentException "Invalid Client Id", which has no
 * code, so `translateWithPrefix(Server.ClientProxy, e)` makes it InternalError (500; 7.6.3, 7.8.0).
 */
export const CLIENT_ID_INVALID = fault('Server.ClientProxy.InternalError', '%s')

/**
 * The PR-REST §4.6 category-3 form of the two faults above (a 400 `Client.*`), which another
 * implementation following the document rather than the code may send; checks accept it.
 */
export const CLIENT_ID_FAULT_CODES_SPEC = ['Client.InvalidClientIdentifier'] as const

// --- Server.ClientProxy.*: raised by the consumer security server ---

/**
 * Any exception without a code, e.g. a malformed `/r1/` path ("Invalid request URI", 500 in
 * RestProxyTest.shouldFailIfMalformedRequestURI), a wrong part count ("Invalid Client Id") or bad
 * percent-encoding: `translateWithPrefix(Server.ClientProxy, e)` turns them into InternalError.
 */
export const CLIENT_PROXY_INTERNAL_ERROR = fault('Server.ClientProxy.InternalError', '%s')

/** The client subsystem is not registered on the consumer SS. */
export const CLIENT_PROXY_UNKNOWN_MEMBER = fault(
  'Server.ClientProxy.UnknownMember',
  "Client '%s' not found",
)

/** Global configuration knows no security server for the provider. */
export const PROVIDER_ADDRESS_NOT_FOUND = fault(
  'Server.ClientProxy.UnknownMember',
  'Could not find addresses for service provider "%s"',
)

/** X-Road-Security-Server names a server that does not exist. */
export const SECURITY_SERVER_NOT_FOUND = fault(
  'Server.ClientProxy.InvalidSecurityServer',
  'Could not find security server "%s"',
)

/** X-Road-Security-Server names a server that does not host the provider. */
export const INVALID_SECURITY_SERVER = fault(
  'Server.ClientProxy.InvalidSecurityServer',
  'Invalid security server "%s"',
)

/** The consumer SS cannot reach the provider SS. */
export const CLIENT_PROXY_NETWORK_ERROR = fault(
  'Server.ClientProxy.NetworkError',
  'Could not connect to any target host (%s)',
)

// The consumer SS's checks of the provider SS's response (ClientRestMessageProcessor.checkConsistency).
export const RESPONSE_CLIENT_MISMATCH = fault(
  'Server.ClientProxy.InconsistentResponse',
  'Response client id does not match request message',
)
export const RESPONSE_MESSAGE_ID_MISMATCH = fault(
  'Server.ClientProxy.InconsistentResponse',
  'Response message id does not match request message',
)
export const RESPONSE_SERVICE_MISMATCH = fault(
  'Server.ClientProxy.InconsistentResponse',
  'Response service id does not match request message',
)
export const RESPONSE_REQUEST_ID_MISMATCH = fault(
  'Server.ClientProxy.InconsistentResponse',
  'Response message request id does not match request message',
)
export const RESPONSE_HASH_MISMATCH = fault(
  'Server.ClientProxy.InconsistentResponse',
  'Response message hash does not match request message',
)

// --- Server.ServerProxy.*: raised by the provider security server ---

/**
 * The PROVIDER subsystem (not the client) is not registered on the provider SS. 7.6.3 checks this
 * while decoding the transport message, and `readMessage` prefixes every fault raised there with
 * ServiceFailed, so the code is `Server.ServerProxy.ServiceFailed.UnknownMember`, not the
 * `Server.ServerProxy.UnknownMember` one might expect; the sibling check on the same path is
 * asserted as `Server.ServerProxy.ServiceFailed.SslAuthenticationFailed` in AuthKeyReloadTest.
 */
export const SERVER_PROXY_UNKNOWN_MEMBER = fault(
  'Server.ServerProxy.ServiceFailed.UnknownMember',
  "Client '%s' not found",
)

/** The service is not registered on the provider SS. */
export const UNKNOWN_SERVICE = fault('Server.ServerProxy.UnknownService', 'Unknown service: %s')

/** A SOAP (WSDL) service called through the REST interface. */
export const SERVICE_TYPE = fault(
  'Server.ServerProxy.ServiceType',
  'Service is a SOAP service and cannot be called using REST interface',
)

/** No access right for (client, service, method, path). */
export const ACCESS_DENIED = fault('Server.ServerProxy.AccessDenied', 'Request is not allowed: %s')

/** getOpenAPI without a serviceCode (`RestMetadataServiceHandlerImpl.handleGetOpenApi`, 7.6.3). */
export const METASERVICE_MISSING_SERVICE_CODE = fault(
  'Server.ServerProxy.InvalidRequest',
  'Missing serviceCode in message body',
)

/** getOpenAPI for a service code the subsystem does not have (same method); the argument is its id. */
export const METASERVICE_SERVICE_NOT_FOUND = fault(
  'Server.ServerProxy.InternalError',
  'Service not found: %s',
)

/** The service is disabled; the second argument is the administrator's notice. */
export const SERVICE_DISABLED = fault(
  'Server.ServerProxy.ServiceDisabled',
  'Service %s is disabled: %s',
)

/** The service has no provider URL configured. */
export const SERVICE_MISSING_URL = fault(
  'Server.ServerProxy.ServiceMissingUrl',
  "Service address not specified for '%s'",
)

/** PR-REST §4.6: the provider SS got no answer from the provider IS. 7.6.3 uses it mostly as a prefix. */
export const SERVICE_FAILED = fault('Server.ServerProxy.ServiceFailed', '%s')

/**
 * The provider IS refused or dropped the connection. 7.6.3 turns a SocketException into NetworkError
 * with Apache HttpClient's text, e.g. "Connect to 10.139.178.1:8080 [/10.139.178.1] failed:
 * Connection refused" (PR-REST §4.6 example 2).
 */
export const SERVER_PROXY_NETWORK_ERROR = fault('Server.ServerProxy.NetworkError', '%s')

/**
 * The provider IS accepted the connection but did not answer in time: a SocketTimeoutException is
 * an IOException, which 7.6.3 reports as IOError.
 */
export const PROVIDER_TIMEOUT = fault('Server.ServerProxy.IOError', 'Read timed out')

/**
 * The provider SS does not federate with the client's instance (`allowed-federations`). X-Road has
 * no dedicated fault: without the client instance's global configuration the provider SS cannot
 * even look up the CA of the consumer SS's TLS certificate, and `GlobalConfImpl.getCaCert` fails
 * with this InternalError while the transport message is decoded (hence the ServiceFailed prefix).
 * The message is X-Road's, including the `InternalError: ` its re-wrapping prepends. The argument
 * is the client's instance code.
 */
export const FEDERATION_NOT_ALLOWED = fault(
  'Server.ServerProxy.ServiceFailed.InternalError',
  'InternalError: Shared params for instance identifier %s not found',
)

/**
 * The consumer SS does not federate with the provider's instance: looking up the provider's address
 * fails the same way on the consumer side. The argument is the provider's instance code.
 */
export const FEDERATION_NOT_ALLOWED_BY_CONSUMER = fault(
  'Server.ClientProxy.InternalError',
  'InternalError: Shared params for instance identifier %s not found',
)

/** Every fault above, by name, for checks that ask whether a code is one X-Road produces. */
export const XROAD_FAULTS = {
  BAD_REQUEST,
  REQUEST_TOO_LARGE,
  RESPONSE_TOO_LARGE,
  INVALID_IDENTIFIER,
  INVALID_PROTOCOL_VERSION,
  MISSING_HEADER_FIELD,
  NOT_A_REST_REQUEST,
  CLIENT_ID_MISSING,
  CLIENT_ID_INVALID,
  CLIENT_PROXY_INTERNAL_ERROR,
  CLIENT_PROXY_UNKNOWN_MEMBER,
  PROVIDER_ADDRESS_NOT_FOUND,
  SECURITY_SERVER_NOT_FOUND,
  INVALID_SECURITY_SERVER,
  CLIENT_PROXY_NETWORK_ERROR,
  RESPONSE_CLIENT_MISMATCH,
  RESPONSE_MESSAGE_ID_MISMATCH,
  RESPONSE_SERVICE_MISMATCH,
  RESPONSE_REQUEST_ID_MISMATCH,
  RESPONSE_HASH_MISMATCH,
  SERVER_PROXY_UNKNOWN_MEMBER,
  UNKNOWN_SERVICE,
  SERVICE_TYPE,
  ACCESS_DENIED,
  METASERVICE_MISSING_SERVICE_CODE,
  METASERVICE_SERVICE_NOT_FOUND,
  SERVICE_DISABLED,
  SERVICE_MISSING_URL,
  SERVICE_FAILED,
  SERVER_PROXY_NETWORK_ERROR,
  PROVIDER_TIMEOUT,
  FEDERATION_NOT_ALLOWED,
  FEDERATION_NOT_ALLOWED_BY_CONSUMER,
} as const satisfies Record<string, FaultTemplate>

/**
 * Fills a template's `%s` placeholders in order (`%%` is a literal '%'). A count mismatch is a bug
 * in the caller, so it throws.
 * @example xroadFault(ACCESS_DENIED, detailUuid, describeServiceId(serviceId))
 */
export const xroadFault = (
  template: FaultTemplate,
  detail: string,
  ...args: string[]
): XroadFault => {
  let next = 0
  const message = template.message.replace(/%[s%]/g, (token) => {
    if (token === '%%') return '%'
    const arg = args[next++]
    if (arg === undefined)
      throw new Error(`fault ${template.code} needs more than ${args.length} argument(s)`)
    return arg
  })
  if (next !== args.length)
    throw new Error(`fault ${template.code} takes ${next} argument(s), got ${args.length}`)
  return { type: template.code, message, detail }
}

// How 7.6.3 answers each identifier problem on the consumer SS: its own behaviour where it has one,
// PR-REST §4.6 category 3 where 7.6.3 lets the request through (see INVALID_IDENTIFIER).
const IDENTIFIER_FAULTS: Record<IdentifierErrorCode, FaultTemplate> = {
  MissingClientIdentifier: CLIENT_ID_MISSING,
  InvalidClientIdentifier: CLIENT_ID_INVALID,
  InvalidServiceIdentifier: CLIENT_PROXY_INTERNAL_ERROR,
  InvalidSecurityServerIdentifier: CLIENT_PROXY_INTERNAL_ERROR,
  InvalidRepresentedParty: CLIENT_PROXY_INTERNAL_ERROR,
  InvalidRequestUri: CLIENT_PROXY_INTERNAL_ERROR,
  InvalidPercentEncoding: CLIENT_PROXY_INTERNAL_ERROR,
  InvalidProtocolVersion: INVALID_PROTOCOL_VERSION,
  UnsupportedProtocolVersion: INVALID_PROTOCOL_VERSION,
  EmptyPart: INVALID_IDENTIFIER,
  InvalidCharacters: INVALID_IDENTIFIER,
}

/** The fault the consumer SS answers with when a client id, service id or `/r1/` path does not parse. */
export const identifierFault = (error: IdentifierError, detail: string): XroadFault => {
  const template = IDENTIFIER_FAULTS[error.code]
  return template.message.includes('%s')
    ? xroadFault(template, detail, error.message)
    : xroadFault(template, detail)
}

export type ErrorMediaType = 'application/json' | 'text/xml' | 'application/xml'

const XML_TYPES: ReadonlySet<string> = new Set(['text/xml', 'application/xml', 'text/*'])

/**
 * The error body type for an Accept header (`decideErrorResponseContentType`, 7.6.3): the first
 * listed of text/xml, application/xml or text/* (text/* answered as text/xml), q-values ignored;
 * otherwise JSON. Several Accept headers may be passed joined with ', '.
 */
export const errorMediaType = (accept: string | null | undefined): ErrorMediaType => {
  for (const range of (accept ?? '').split(',')) {
    const type = (range.split(';', 1)[0] as string).trim().toLowerCase()
    if (XML_TYPES.has(type)) return type === 'application/xml' ? 'application/xml' : 'text/xml'
  }
  return 'application/json'
}

/**
 * Content-Type of SS-generated errors: the media type with `;charset=utf-8`, written as X-Road does
 * (`JettyUtils.setContentType`, PR-REST §4.6 examples). PR-REST requires the charset; note that
 * 7.6.3 in fact sends JSON errors as bare `application/json` (Jetty assumes UTF-8 for JSON).
 */
export const ERROR_CONTENT_TYPE: Record<ErrorMediaType, string> = {
  'application/json': 'application/json;charset=utf-8',
  'text/xml': 'text/xml;charset=utf-8',
  'application/xml': 'application/xml;charset=utf-8',
}

export type RenderedXroadError = {
  status: 400 | 500
  headers: { 'content-type': string; 'x-road-error': string }
  body: string
}

// XML 1.0 cannot carry most control characters even as references; they become U+FFFD.
const xmlText = (text: string): string =>
  text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')

/**
 * The HTTP response for a fault as a security server of the given X-Road version answers it: the
 * code in that version's style, status by its class, `X-Road-Error: <type>`, and the body as JSON
 * `{type, message, detail}` or, when Accept asks for XML, `<error><type/><message/><detail/></error>`
 * as Java's DOM serializer writes it.
 */
export const renderXroadError = (
  raised: XroadFault,
  accept: string | null | undefined,
  version: XroadVersion = '7.6',
): RenderedXroadError => {
  const fault = { ...raised, type: faultCodeIn(raised.type, version) }
  const mediaType = errorMediaType(accept)
  const body =
    mediaType === 'application/json'
      ? JSON.stringify({ type: fault.type, message: fault.message, detail: fault.detail })
      : '<?xml version="1.0" encoding="UTF-8" standalone="no"?>' +
        `<error><type>${xmlText(fault.type)}</type><message>${xmlText(fault.message)}</message>` +
        `<detail>${xmlText(fault.detail)}</detail></error>`
  return {
    status: statusForFaultCodeIn(fault.type, version),
    headers: { 'content-type': ERROR_CONTENT_TYPE[mediaType], 'x-road-error': fault.type },
    body,
  }
}
