import type { ProtocolFact, Source } from './index.ts'

// Files of nordic-institute/X-Road, as they are laid out at each tag.
const XR = 'nordic-institute/X-Road'
const at = (version: '7.6.3' | '7.8.0', path: string, section: string): Source => ({
  document: `${XR} ${path}`,
  version,
  section,
})
const P76 = 'src/proxy/core/src/main/java/ee/ria/xroad/proxy'
const P78 = 'src/service/proxy/proxy-core/src/main/java/org/niis/xroad/proxy/core'
const ERROR_CODES = 'src/common/common-core/src/main/java/ee/ria/xroad/common/ErrorCodes.java'
const REST_MESSAGE = 'src/common/common-message/src/main/java/ee/ria/xroad/common/message'
const TEST_76 = 'src/proxy/application/src/test/java/ee/ria/xroad/proxy/RestProxyTest.java'
const TEST_78 =
  'src/service/proxy/proxy-core/src/test/java/org/niis/xroad/proxy/core/RestProxyTest.java'
const META_76 =
  'src/addons/metaservice/src/main/java/ee/ria/xroad/proxy/serverproxy/RestMetadataServiceHandlerImpl.java'
const SYSPAR = 'doc/Manuals/ug-syspar_x-road_v6_system_parameters.md'
const PR_REST = (section: string): Source => ({
  document: `PR-REST, X-Road Message Protocol for REST (${XR} doc/Protocols/pr-rest_x-road_message_protocol_for_rest.md)`,
  version: '1.0.4 (17.03.2025)',
  section,
})
const TREMBITA_GUIDE = (section: string): Source => ({
  document:
    'REST services development for Trembita system (MadCat-88/Services-development-for-Trembita-system)',
  version: '2025-04',
  section,
})

const DIIA_SDK = (path: string, section: string): Source => ({
  document: `diiaintegration/ua-acquirers-sdk-js ${path}`,
  version: '548f2dd (2024-12-24)',
  section,
})

const HTTP_TEST = 'test/protocol-facts.test.ts'

/**
 * Every protocol fact Sild implements, with where it comes from and the test that pins it. The
 * facts document (docs/protocol-facts.md), the dashboard and the check messages read them here.
 */
export const PROTOCOL_FACTS: readonly ProtocolFact[] = [
  // --- X-Road REST ---
  {
    id: 'xroad-fault-codes-7-6',
    area: 'X-Road REST',
    title: 'Fault codes up to 7.7',
    fact: 'X-Road 7.6.x and 7.7.x write a fault code as CamelCase prefix and name: Client.*, Server.ClientProxy.* (consumer security server), Server.ServerProxy.* (provider security server), e.g. Server.ServerProxy.AccessDenied.',
    basis: {
      sources: [
        at('7.6.3', ERROR_CODES, 'prefix and error-code constants'),
        at('7.6.3', TEST_76, 'X-Road-Error "Server.ServerProxy.AccessDenied"'),
      ],
    },
    sild: 'An instance with xroadVersion 7.6 (FI-TEST, and any instance that declares none) answers in this style; checks expect this style from it.',
    test: HTTP_TEST,
  },
  {
    id: 'xroad-fault-codes-7-8',
    area: 'X-Road REST',
    title: 'Fault codes from 7.8',
    fact: 'X-Road 7.8.0 (released 2026-02-02) writes the same codes in lower-case snake case: server.serverproxy.access_denied, server.clientproxy.invalid_client_identifier, global_conf_outdated for OutdatedGlobalConf.',
    basis: {
      sources: [
        at('7.8.0', ERROR_CODES, 'prefix and error-code constants'),
        at('7.8.0', TEST_78, 'X-Road-Error "server.serverproxy.access_denied"'),
        at('7.8.0', 'CHANGELOG.md', '7.8.0 - 2026-02-02'),
      ],
    },
    sild: 'An instance with xroadVersion 7.8 (ee-test) writes every code so, constant by constant as in ErrorCodes.java; checks expect this style from it, whatever style a scenario writes its expectation in.',
    test: 'specs/protocol/xroad-versions/index.test.ts',
  },
  {
    id: 'xroad-fault-status',
    area: 'X-Road REST',
    title: 'Fault status',
    fact: 'A fault is answered with 500 when its code starts with "Server." (7.6) or "server." (7.8), otherwise 400; the code is also sent in X-Road-Error.',
    basis: {
      sources: [
        at('7.6.3', `${P76}/clientproxy/ClientRestMessageHandler.java`, 'sendErrorResponse'),
        at('7.8.0', `${P78}/clientproxy/ClientRestMessageHandler.java`, 'sendErrorResponse'),
      ],
    },
    sild: "Status by the answering instance's version rule; the faultStatusClass check applies the same rule for the answering instance.",
    test: HTTP_TEST,
  },
  {
    id: 'xroad-error-body',
    area: 'X-Road REST',
    title: 'Error body',
    fact: 'A security-server error is {"type","message","detail"} as JSON, or <error><type/><message/><detail/></error> when Accept asks for text/xml, application/xml or text/*; detail locates the fault in the log.',
    basis: {
      sources: [
        PR_REST('4.6 Error handling'),
        at('7.6.3', `${P76}/clientproxy/ClientRestMessageHandler.java`, 'sendErrorResponse'),
      ],
    },
    sild: 'The same body and header for both versions.',
    test: HTTP_TEST,
  },
  {
    id: 'xroad-client-header-only',
    area: 'X-Road REST',
    title: 'One client header',
    fact: "X-Road-Client is the only header that names the client; GovStack's Information-Mediator-Client and X-GovStack-Client mean nothing to X-Road.",
    basis: {
      sources: [
        PR_REST('4.3 Use of HTTP headers'),
        at(
          '7.6.3',
          `${REST_MESSAGE}/RestRequest.java`,
          'decodeHeaders (MimeUtils.HEADER_CLIENT_ID only)',
        ),
      ],
    },
    sild: 'A request that names its client only in a GovStack header is refused as one without a client.',
    test: HTTP_TEST,
  },
  {
    id: 'xroad-client-missing',
    area: 'X-Road REST',
    title: 'Missing client',
    fact: 'A request without X-Road-Client gets 500 Server.ClientProxy.InvalidClientIdentifier "The client identifier is missing" (PR-REST §4.6 would say 400; the code says 500).',
    basis: {
      sources: [
        at('7.6.3', `${P76}/clientproxy/AbstractClientMessageProcessor.java`, 'verifyClientStatus'),
        at('7.6.3', TEST_76, 'shouldFailIfClientHeaderMissing (500)'),
        at('7.8.0', TEST_78, 'shouldFailIfClientHeaderMissing (500)'),
      ],
    },
    sild: "The same, in the answering version's style. Checks also accept PR-REST's 400 Client.InvalidClientIdentifier from a partner's own security server.",
    test: HTTP_TEST,
  },
  {
    id: 'xroad-client-malformed',
    area: 'X-Road REST',
    title: 'Malformed client',
    fact: 'An X-Road-Client with other than 3 or 4 parts fails as IllegalArgumentException "Invalid Client Id", which the client proxy turns into 500 Server.ClientProxy.InternalError.',
    basis: {
      sources: [
        at('7.6.3', `${REST_MESSAGE}/RestMessage.java`, 'decodeClientId'),
        at('7.6.3', ERROR_CODES, 'translateWithPrefix'),
      ],
    },
    sild: "The same, in the answering version's style.",
    test: HTTP_TEST,
  },
  {
    id: 'xroad-unknown-provider',
    area: 'X-Road REST',
    title: 'Unknown provider',
    fact: 'A service whose provider member or subsystem no security server hosts is refused by the consumer security server: Server.ClientProxy.UnknownMember "Could not find addresses for service provider …".',
    basis: {
      sources: [
        at(
          '7.6.3',
          `${P76}/clientproxy/AbstractClientMessageProcessor.java`,
          'getServiceAddresses',
        ),
        at(
          '7.8.0',
          `${P78}/clientproxy/AbstractClientMessageProcessor.java`,
          'getServiceAddresses',
        ),
      ],
    },
    sild: "The same; the provider's security server never sees the request.",
    test: HTTP_TEST,
  },
  {
    id: 'xroad-unknown-service',
    area: 'X-Road REST',
    title: 'Unknown service',
    fact: 'A service code the provider subsystem does not have is refused by the provider security server: Server.ServerProxy.UnknownService "Unknown service: …".',
    basis: {
      sources: [at('7.6.3', `${P76}/serverproxy/ServerRestMessageProcessor.java`, 'verifyAccess')],
    },
    sild: 'The same.',
    test: HTTP_TEST,
  },
  {
    id: 'xroad-access-denied',
    area: 'X-Road REST',
    title: 'Access right',
    fact: 'A client without an access right for the service, method and path gets Server.ServerProxy.AccessDenied "Request is not allowed: …".',
    basis: {
      sources: [
        at('7.6.3', `${P76}/serverproxy/ServerRestMessageProcessor.java`, 'verifyAccess'),
        at('7.8.0', TEST_78, 'X-Road-Error "server.serverproxy.access_denied"'),
      ],
    },
    sild: "The same, per the federation file's access rights.",
    test: HTTP_TEST,
  },
  {
    id: 'xroad-provider-headers',
    area: 'X-Road REST',
    title: 'What a provider receives',
    fact: "The provider information system receives the client's headers minus hop-by-hop, Host, User-Agent, Server, Content-Length, Expect and any X-Road-Request-Id/-Hash, plus X-Road-Id (the client's, or one generated) and X-Road-Request-Id; never X-Road-Service.",
    basis: {
      sources: [
        at(
          '7.6.3',
          `${REST_MESSAGE}/RestRequest.java`,
          'constructor (SKIPPED_HEADERS, HEADER_REQUEST_ID)',
        ),
        at(
          '7.6.3',
          `${P76}/serverproxy/ServerRestMessageProcessor.java`,
          'DefaultRestServiceHandlerImpl.startHandling (copies the REST headers)',
        ),
      ],
    },
    sild: "The same for an X-Road client; the client's X-Road-Client reaches the provider as sent.",
    test: HTTP_TEST,
  },
  {
    id: 'xroad-response-headers',
    area: 'X-Road REST',
    title: 'Response headers',
    fact: 'The response carries X-Road-Id, X-Road-Client, X-Road-Service, X-Road-Request-Id and X-Road-Request-Hash set by the provider security server, overwriting any the provider sent.',
    basis: {
      sources: [
        PR_REST('4.4 Response headers'),
        at('7.6.3', `${REST_MESSAGE}/RestResponse.java`, 'constructor'),
      ],
    },
    sild: 'The same.',
    test: HTTP_TEST,
  },
  {
    id: 'xroad-request-hash',
    area: 'X-Road REST',
    title: 'Request hash',
    fact: 'X-Road-Request-Hash is base64 SHA-512 over SHA-512 of the serialized request head and SHA-512 of the body (of the head alone without a body).',
    basis: {
      sources: [
        PR_REST('4.4 Response headers'),
        at('7.6.3', `${REST_MESSAGE}/RestMessage.java`, 'getHash'),
        at(
          '7.6.3',
          `${REST_MESSAGE}/RestRequest.java`,
          'constructor (serializes the request head)',
        ),
      ],
    },
    sild: "Byte-exact with X-Road's serialization.",
    test: 'specs/protocol/request-hash/index.test.ts',
  },
  {
    id: 'xroad-identifier-characters',
    area: 'X-Road REST',
    title: 'Identifier characters',
    fact: "The proxy only logs a warning for identifier characters outside A-Z a-z 0-9 '()+,-.=?; strict-identifier-checks (true for installs since 7.3.0, false after an upgrade from older versions) governs which identifiers can be registered.",
    basis: {
      sources: [
        at('7.6.3', `${P76}/util/MessageProcessorBase.java`, 'checkIdentifier (result unused)'),
        at('7.6.3', SYSPAR, 'proxy-ui-api: strict-identifier-checks, and its NOTE'),
        PR_REST('4.8 Identifier character restrictions'),
      ],
    },
    sild: 'strictIdentifierChecks is an instance setting (default true) applied to the identifiers the federation and partner files declare; at run time a bad character is logged as a warning and the request goes on (it then fails as the unknown client or service it names). The identifier check fails a client only when its instance declares strict checks.',
    test: HTTP_TEST,
  },
  {
    id: 'xroad-metaservice-missing-service-code',
    area: 'X-Road REST',
    title: 'getOpenAPI without serviceCode',
    fact: 'getOpenAPI without a serviceCode fails as Server.ServerProxy.InvalidRequest "Missing serviceCode in message body".',
    basis: { sources: [at('7.6.3', META_76, 'handleGetOpenApi')] },
    sild: 'The same.',
    test: HTTP_TEST,
  },
  {
    id: 'xroad-metaservice-unknown-service-code',
    area: 'X-Road REST',
    title: 'getOpenAPI of an unknown service',
    fact: 'getOpenAPI for a service code the subsystem does not have fails as Server.ServerProxy.InternalError "Service not found: …".',
    basis: { sources: [at('7.6.3', META_76, 'handleGetOpenApi')] },
    sild: 'The same.',
    test: HTTP_TEST,
  },
  {
    id: 'xroad-metaservice-get-only',
    area: 'X-Road REST',
    title: 'Metaservices are GET',
    fact: 'The REST metaservice handler takes only GET; any other method falls through to the ordinary service lookup and fails as Server.ServerProxy.UnknownService.',
    basis: { sources: [at('7.6.3', META_76, 'canHandle')] },
    sild: 'The same.',
    test: HTTP_TEST,
  },
  {
    id: 'xroad-metaservice-openapi-anonymised',
    area: 'X-Road REST',
    title: 'getOpenAPI hides hosts',
    fact: 'getOpenAPI returns the stored description in its own format (JSON or YAML), each server URL without variables cut to its path, whatever the Accept header.',
    basis: {
      sources: [
        at('7.6.3', META_76, 'handleGetOpenApi'),
        at(
          '7.6.3',
          'src/addons/metaservice/src/main/java/ee/ria/xroad/proxy/serverproxy/Openapi3Anonymiser.java',
          'handleAnonymising',
        ),
      ],
    },
    sild: "The same: Sild's specs are YAML, so the answer is YAML without servers.",
    test: HTTP_TEST,
  },
  {
    id: 'xroad-body-size',
    area: 'X-Road REST',
    title: 'Body size',
    fact: 'A request body over the message log\'s max-loggable-message-body-size (10 MiB, 20 MiB in the Estonian package) fails as LoggingFailed "Message size exceeds maximum loggable size" unless truncated-body-allowed; on the consumer side that is 500 Server.ClientProxy.LoggingFailed (7.8: server.clientproxy.logging_failed).',
    basis: {
      sources: [
        at('7.6.3', SYSPAR, 'message log: max-loggable-message-body-size, truncated-body-allowed'),
        at(
          '7.6.3',
          'src/addons/messagelog/messagelog-addon/src/main/java/ee/ria/xroad/proxy/messagelog/LogManager.java',
          'createMessageRecord (line 261)',
        ),
        at(
          '7.8.0',
          'src/addons/messagelog/messagelog-addon/src/main/java/org/niis/xroad/proxy/core/messagelog/LogManager.java',
          'createMessageRecord (line 276)',
        ),
        at('7.8.0', ERROR_CODES, 'X_LOGGING_FAILED_X = "logging_failed"'),
      ],
    },
    sild: "maxLoggableBodyBytes is an instance setting (default 10 MiB): a larger request body is refused with Server.ClientProxy.LoggingFailed (500) in the consumer instance's version style and never forwarded.",
    test: HTTP_TEST,
  },
  {
    id: 'xroad-response-body-size',
    area: 'X-Road REST',
    title: 'Answer size',
    fact: 'A provider answer whose body is over the provider security server\'s max-loggable-message-body-size fails when the server proxy logs it (logResponseMessage): LogManager throws LoggingFailed "Message size exceeds maximum loggable size", handleException prefixes it, and the client gets 500 Server.ServerProxy.LoggingFailed (7.8: server.serverproxy.logging_failed) instead of the answer.',
    basis: {
      sources: [
        at(
          '7.6.3',
          `${P76}/serverproxy/ServerRestMessageProcessor.java`,
          'process, logResponseMessage, handleException',
        ),
        at('7.6.3', `${P76}/messagelog/MessageLog.java`, 'log(RestRequest, RestResponse, …)'),
        at(
          '7.8.0',
          `${P78}/serverproxy/ServerRestMessageProcessor.java`,
          'process, logResponseMessage, handleException',
        ),
        at('7.8.0', ERROR_CODES, 'X_LOGGING_FAILED_X = "logging_failed"'),
      ],
    },
    sild: "The provider security server stops reading an answer at its instance's maxLoggableBodyBytes and answers Server.ServerProxy.LoggingFailed (500) in the answering instance's version style; the runner's reachable check counts it as no usable answer.",
    test: HTTP_TEST,
  },
  {
    id: 'xroad-mixed-version-faults',
    area: 'Federation border',
    title: 'Faults across versions',
    fact: 'A fault raised by a provider security server of one X-Road version reaches the client as the consumer security server, of its own version, writes it.',
    basis: {
      assumed:
        "no source describes how a 7.8 server passes on a 7.6 server's fault; Sild lets the server that answers the client write it.",
    },
    sild: "The consumer security server writes every fault in its own version's style; checks expect the style of the instance that answered.",
    test: HTTP_TEST,
  },

  // --- Trembita / UXP REST ---
  {
    id: 'uxp-endpoint',
    area: 'Trembita/UXP REST',
    title: 'REST door',
    fact: 'A UXP security server takes REST requests at http[s]://<server>/restapi[?params]; the service is named in Uxp-Service, not in the path.',
    basis: { sources: [TREMBITA_GUIDE('REST request format')] },
    sild: '/restapi, and paths under it (assumed: passed to the provider as its path), are the REST door; /restapi?params with no path reaches the operation at /.',
    test: HTTP_TEST,
  },
  {
    id: 'uxp-other-paths',
    area: 'Trembita/UXP REST',
    title: 'Other paths',
    fact: 'A request to a path other than /restapi on a UXP security server is not a REST service call.',
    basis: {
      assumed:
        'the guide documents only /restapi; what a UXP server answers elsewhere is not public, so Sild treats it as a request the client must fix (PR-REST §4.6 category 3).',
    },
    sild: 'Any other path is refused with 400 Client.BadRequest "Not a REST service request: … is not the REST endpoint /restapi" and reaches no provider.',
    test: HTTP_TEST,
  },
  {
    id: 'uxp-headers',
    area: 'Trembita/UXP REST',
    title: 'UXP headers',
    fact: 'Uxp-Client INSTANCE/CLASS/MEMBER/SUBSYSTEM, Uxp-Service INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE[/VERSION], Uxp-QueryID, Uxp-Purpose-Ids (mandatory where personal-data monitoring applies) and Uxp-Subject-Id.',
    basis: { sources: [TREMBITA_GUIDE('HTTP headers')] },
    sild: 'The same names and forms.',
    test: HTTP_TEST,
  },
  {
    id: 'uxp-service-version',
    area: 'Trembita/UXP REST',
    title: 'Service version',
    fact: 'The version part of Uxp-Service is optional.',
    basis: { sources: [TREMBITA_GUIDE('HTTP headers: Uxp-Service')] },
    sild: 'A service that declares a version (serviceVersion in the federation file) is served for that version or none; an empty trailing version counts as none.',
    test: HTTP_TEST,
  },
  {
    id: 'uxp-unknown-version',
    area: 'Trembita/UXP REST',
    title: 'Unknown service version',
    fact: 'A call to a service version the provider does not have is refused as an unknown service.',
    basis: {
      assumed:
        "UXP's answer is not documented; Sild answers as X-Road does for a service it does not know: Server.ServerProxy.UnknownService.",
    },
    sild: 'Server.ServerProxy.UnknownService "Unknown service: …", and the provider is not called.',
    test: HTTP_TEST,
  },
  {
    id: 'uxp-error-format',
    area: 'Trembita/UXP REST',
    title: 'UXP error format',
    fact: 'A UXP security server reports a fault as X-Road 7.6 does ({type, message, detail}, X-Road codes, status by class), with the code in an Uxp-Error header.',
    basis: {
      assumed:
        "no public source shows a UXP error; UXP derives from X-Road, so Sild uses X-Road 7.6's body and codes and names the header like the other Uxp- headers.",
    },
    sild: 'Every UXP fault is so; checks of UXP faults say that their expectation is assumed.',
    test: HTTP_TEST,
  },
  {
    id: 'uxp-body-size',
    area: 'Trembita/UXP REST',
    title: 'UXP body size',
    fact: 'A UXP security server refuses a request or an answer body larger than its message log accepts as X-Road does: Server.ClientProxy.LoggingFailed for a request, Server.ServerProxy.LoggingFailed for an answer (500), with the code in Uxp-Error.',
    basis: {
      assumed:
        "no public source gives UXP's body limit or its fault; UXP derives from X-Road, so Sild applies X-Road's message-log limit (maxLoggableBodyBytes, default 10 MiB) and its LoggingFailed faults.",
    },
    sild: 'A Trembita instance has the same maxLoggableBodyBytes setting and answers with the X-Road 7.6 codes in the UXP error format.',
    test: HTTP_TEST,
  },
  {
    id: 'uxp-purpose-missing',
    area: 'Trembita/UXP REST',
    title: 'Missing purpose',
    fact: 'A personal-data service called without Uxp-Purpose-Ids is refused with Client.MissingHeaderField.',
    basis: {
      assumed:
        "the guide says the header is mandatory for monitored services but not what the refusal looks like; Sild uses X-Road's code for a missing header field.",
    },
    sild: 'Client.MissingHeaderField "Required field \'Uxp-Purpose-Ids\' is missing" (400).',
    test: HTTP_TEST,
  },
  {
    id: 'uxp-metaservices',
    area: 'Trembita/UXP REST',
    title: 'Metaservices on Trembita',
    fact: 'A UXP security server answers listMethods, allowedMethods and getOpenAPI as X-Road does.',
    basis: {
      assumed: "no public source documents REST metaservices on Trembita; Sild offers X-Road's.",
    },
    sild: 'The X-Road metaservices are answered for Trembita subsystems too.',
    test: HTTP_TEST,
  },
  {
    id: 'border-header-translation',
    area: 'Federation border',
    title: 'Header translation at the border',
    fact: "Between an X-Road and a UXP instance the client, service and message-id headers are rewritten into the provider side's protocol.",
    basis: {
      assumed:
        'whether and how UXP and X-Road federate technically is not public; Sild translates X-Road-Client/Uxp-Client, X-Road-Id/Uxp-QueryID and gives a UXP provider Uxp-Service.',
    },
    sild: "Translated at the provider's security server; the message log marks such exchanges.",
    test: HTTP_TEST,
  },

  // --- Diia and identifiers ---
  {
    id: 'diia-acquirer-api',
    area: 'Diia',
    title: 'Diia acquirer API',
    fact: "A partner (acquirer) reaches Diia's REST API directly over HTTPS at Diia's base URL, not through Trembita: it exchanges its acquirer token for a session token (GET /api/v1/auth/acquirer/{acquirerToken} answers {token}, kept for 2 hours) and sends it as Authorization: Bearer on every other call.",
    basis: {
      sources: [
        DIIA_SDK('src/diia-client-sdk/Diia.ts', 'constructor(acquirerToken, baseDiiaUrl, …)'),
        DIIA_SDK(
          'src/diia-client-sdk/service/session-token/SessionTokenService.ts',
          'obtainSessionToken; SESSION_TOKEN_TIME_TO_LIVE',
        ),
        DIIA_SDK('src/diia-client-sdk/remote/HttpMethodExecutor.ts', 'Authorization: Bearer'),
      ],
    },
    sild: 'ua-diia is a direct service (access: direct): sild serve gives it its own address, no security server publishes it, the runner calls it with no security-server headers, and scenarios call it with the session token. Its session tokens last until the world is reset.',
    test: HTTP_TEST,
  },
  {
    id: 'diia-acquirer-endpoints',
    area: 'Diia',
    title: 'Acquirer endpoints',
    fact: 'Branches: GET /api/v2/acquirers/branches, POST /api/v2/acquirers/branch, GET|PUT|DELETE /api/v2/acquirers/branch/{id}. Offers: GET /api/v1/acquirers/branch/{id}/offers, POST …/offer. Deep link: POST /api/v2/acquirers/branch/{id}/offer-request/dynamic {offerId, requestId[, data]} answers {deeplink}. Validation by barcode: POST /api/v1/acquirers/document-identification {branchId, barcode} answers {success}.',
    basis: {
      sources: [
        DIIA_SDK('src/diia-client-sdk/remote/branch/BranchApi.ts', 'the branch calls'),
        DIIA_SDK('src/diia-client-sdk/remote/offer/OfferApi.ts', 'the offer calls'),
        DIIA_SDK('src/diia-client-sdk/remote/deeplink/DeeplinkApi.ts', 'getDeepLink'),
        DIIA_SDK(
          'src/diia-client-sdk/remote/validation/ValidationApi.ts',
          'validateDocumentByBarcode',
        ),
      ],
    },
    sild: 'The same paths and shapes (specs/ua/diia.yaml), except DELETE and PUT, which no scenario needs.',
    test: 'mocks/services/ua-diia/index.test.ts',
  },
  {
    id: 'diia-unauthorized',
    area: 'Diia',
    title: 'Diia without a session',
    fact: 'A call without a session token, or with one Diia did not issue, is refused with 401; an unknown acquirer token gets no session token.',
    basis: {
      assumed:
        "the SDK passes Diia's error answers through (AxiosConfiguration.bindDiiaException) but no public source shows their status or body; Sild answers 401 with WWW-Authenticate: Bearer (RFC 6750) and a problem body, and 404 for an unknown acquirer token.",
    },
    sild: 'Answered so by the Diia mock; the unauthorizedRefused check expects 401 of a direct service when a call sends none of the credentials its operation requires.',
    test: HTTP_TEST,
  },
  {
    id: 'diia-document-delivery',
    area: 'Diia',
    title: 'Document delivery',
    fact: "When a citizen shares documents, Diia POSTs them to the acquirer's own HTTPS endpoint as multipart: files signed and enveloped with Ukrainian crypto (.p7s.p7e) and encrypted encodeData metadata, with the request id in an HTTP header (the SDK reads headers.requestId).",
    basis: {
      sources: [
        DIIA_SDK(
          'src/diia-client-sdk/Diia.ts',
          'decodeDocumentPackage(headers, multipartBody, cryptoMeta)',
        ),
        DIIA_SDK(
          'src/diia-client-sdk/service/document/DocumentService.ts',
          'processDocumentPackage: const { requestId } = headers',
        ),
      ],
    },
    sild: "Diia's mock POSTs plain JSON to the offer's deliveryTarget, the acquirer's information system, directly (not through the security servers), with the request id in a requestId header (the wire name is assumed). It reads the citizen from ЄДДР through Trembita first, as a Trembita member.",
    test: 'mocks/services/ua-diia/index.test.ts',
  },
  {
    id: 'ua-person-without-rnokpp',
    area: 'Identifiers',
    title: 'Person without RNOKPP',
    fact: 'A person who refuses an RNOKPP for religious beliefs has none; the passport is marked with the right to make payments by passport series and number.',
    basis: {
      sources: [
        {
          document: 'Tax Code of Ukraine',
          version: 'in force 2026',
          section: 'Art. 70, paragraph 70.5',
        },
        {
          document:
            'State Tax Service of Ukraine, "What is registration procedure of individuals who, due to their religious beliefs, refuse to accept registration number…" (tax.gov.ua)',
          version: 'retrieved 2026-12',
          section: 'whole page',
        },
      ],
    },
    sild: 'The ЄДДР schema marks such a person with rnokppRefused and no rnokpp; the world holds one, and a scenario looks her up.',
    test: 'mocks/services/ua-demographic-register/index.test.ts',
  },
  {
    id: 'ua-unzr-check-digit',
    area: 'Identifiers',
    title: 'UNZR check digit',
    fact: 'The 13th digit of a UNZR (YYYYMMDD-NNNNC) is a check digit computed like a passport MRZ check digit over the 12 digits before it (weights 7, 3, 1, mod 10).',
    basis: {
      assumed:
        'the Ministry of Internal Affairs says only "calculated like the MRZ"; the exact input characters are not published.',
    },
    sild: 'Sild validates ua-unzr with weights 7, 3, 1 over the 12 digits.',
    test: 'specs/formats/ua-unzr/index.test.ts',
  },
]
