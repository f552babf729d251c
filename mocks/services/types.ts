/** A request as a service mock's operation handler sees it, after routing and validation. */
export type MockRequest = {
  operationId: string
  method: string
  /** The path the provider sees (after the security server stripped `/r1/{serviceId}`). */
  path: string
  pathParams: Record<string, string>
  query: URLSearchParams
  /** The request headers; `get` is case-insensitive and joins repeated ones with ', '. */
  headers: Pick<Headers, 'get'>
  /** Parsed JSON body, or undefined. */
  body: unknown
}

/** What an operation handler answers. `body` is serialised as JSON unless it is a string. */
export type MockResponse = {
  status: number
  body?: unknown
  headers?: Record<string, string>
}

/** A call a service makes to another member's service, as a member would: through the security servers. */
export type PeerCall = {
  /** Full service id: `INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE`. */
  service: string
  method: string
  /** Path after the service id, with any query string. */
  path: string
  headers?: Record<string, string>
  body?: unknown
  /**
   * `security-server` (default): as a member, through the caller's security server. `direct`:
   * straight to the service's information system over HTTPS, as a callback outside the federation
   * (Diia delivering documents to an acquirer).
   */
  via?: 'security-server' | 'direct'
}

export type PeerResponse = { status: number; headers: Headers; body: unknown }

/** Calls other services as the calling service's own subsystem (the X-Road-Client). */
export type Peers = { call(request: PeerCall): Promise<PeerResponse> }

export type MockContext<S> = {
  /** This register's own records. Mutations are visible to later calls until the world is reset. */
  state: S
  peers: Peers
}

export type OperationHandler<S> = (
  request: MockRequest,
  context: MockContext<S>,
) => MockResponse | Promise<MockResponse>

/**
 * One provider information system of the sandbox: its register state and the operations it answers
 * from that state. Operations without a handler are answered by Prism from the spec's examples.
 */
export type ServiceMock<S = unknown> = {
  /** The service id of specs/federation.yaml, e.g. `ee-population-register`. */
  id: string
  /** A fresh copy of the register's seed records (mocks/world/<id>.yaml). */
  seed(): S
  handlers: Partial<Record<string, OperationHandler<S>>>
}
