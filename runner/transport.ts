import type { Protocol } from './types.ts'

/**
 * How the runner reaches the sandbox: it knows only the security servers' client-side URLs and a
 * fetch. `cli/` builds one: in-process (the sandbox's dispatcher, no sockets) or over HTTP.
 */
export type Transport = {
  mode: 'inproc' | 'http'
  /** Client-side base URL of an instance's security server. */
  securityServerUrl(instance: string): string | undefined
  /** Base URL of a service reached directly, without security servers (`access: direct`). */
  directServiceUrl?(serviceId: string): string | undefined
  fetch(url: string, init: RequestInit): Promise<Response>
  /**
   * In-process only: the same request handed over as plain data, without WHATWG Request and
   * Response objects; undefined for a URL it does not serve (that one goes through `fetch`).
   */
  call?(url: string, init: PlainRequest): Promise<PlainResponse> | undefined
}

export type PlainRequest = { method: string; headers: Record<string, string>; body?: string }
export type PlainResponse = { status: number; headers: Array<[string, string]>; body: Uint8Array }

/** One isolated sandbox for one scenario at a time: its world is reset before each scenario. */
export type Session = {
  transport: Transport
  /** Restores the world's seed records. */
  reset(): void | Promise<void>
}

/** Supplies sessions to concurrent workers, and knows each instance's protocol. */
export type Environment = {
  mode: 'inproc' | 'http'
  openSession(): Promise<Session>
  closeSession(session: Session): Promise<void>
  protocolOf(instance: string): Protocol | undefined
}
