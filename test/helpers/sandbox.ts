import { createSandbox, type Sandbox } from '../../mocks/sandbox/index.ts'
import { loadFederation } from '../../specs/federation/index.ts'
import { mediaType } from '../../specs/openapi/validator.ts'
import { UXP_HEADER_DISPLAY } from '../../specs/protocol/uxp/index.ts'
import { XROAD_HEADER_DISPLAY } from '../../specs/protocol/xroad-headers/index.ts'

/** The bundled world, in process: every mock and a security server per instance. */
export const newSandbox = (): Promise<Sandbox> => createSandbox({ federation: loadFederation() })

/** A response read once: its text, and its JSON body when it has one. */
export type Answer = {
  status: number
  headers: Headers
  contentType: string | null
  text: string
  body: unknown
}

export const readAnswer = async (response: Response): Promise<Answer> => {
  const text = await response.text()
  const contentType = response.headers.get('content-type')
  let body: unknown = text
  if (mediaType(contentType)?.endsWith('json') && text) body = JSON.parse(text)
  return { status: response.status, headers: response.headers, contentType, text, body }
}

export type MemberCall = {
  /** The calling subsystem, `INSTANCE/CLASS/MEMBER/SUBSYSTEM`. */
  client: string
  /** The service, `INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE`. */
  service: string
  /** The path on the service, with any query string. */
  path: string
  method?: string
  body?: unknown
  headers?: Record<string, string>
}

/** Trembita wants a declared purpose for every read of personal data. */
export const TEST_PURPOSE = 'sild-world-consistency'

/**
 * Calls a service as a member would: through the security server of the client's own instance, in
 * that instance's protocol (X-Road REST r1 or Trembita/UXP REST); a direct service (Diia's acquirer
 * API) at its own address.
 */
export const callAs = async (sandbox: Sandbox, call: MemberCall): Promise<Answer> => {
  const { client, service, path, method = 'GET', body } = call
  const direct = sandbox.federation.services.find((s) => s.key === service && s.direct)
  if (direct) {
    // Reached at its own address over HTTPS, with no security server and no member headers.
    const response = await sandbox.dispatcher.fetch(`${sandbox.urls.services[direct.id]}${path}`, {
      method,
      headers: {
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...call.headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    return readAnswer(response)
  }
  const instance = sandbox.federation.instance(client.split('/')[0] ?? '')
  const target = sandbox.federation.instance(service.split('/')[0] ?? '')
  if (!instance || !target) throw new Error(`no instance for ${client} or ${service}`)
  const base = sandbox.urls.securityServers[instance.code]
  const headers: Record<string, string> = { accept: 'application/json', ...call.headers }
  if (target.protocol === 'uxp-rest') headers[UXP_HEADER_DISPLAY.purposeIds] ??= TEST_PURPOSE
  if (body !== undefined) headers['content-type'] ??= 'application/json'
  let url: string
  if (instance.protocol === 'uxp-rest') {
    url = `${base}/restapi${path}`
    headers[UXP_HEADER_DISPLAY.client] = client
    headers[UXP_HEADER_DISPLAY.service] = service
  } else {
    url = `${base}/r1/${service}${path}`
    headers[XROAD_HEADER_DISPLAY.client] = client
  }
  const response = await sandbox.dispatcher.fetch(url, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return readAnswer(response)
}
