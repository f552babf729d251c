import { afterAll, beforeAll, expect, test } from 'vitest'
import { serveDashboard } from '../../cli/serve.ts'
import { startSandboxServers, type SandboxServers } from '../../cli/sandbox-servers.ts'
import { rawRequest } from './raw-http.ts'

// DNS rebinding: a page on evil.example whose name now resolves to 127.0.0.1 reaches Sild's
// ports with `Host: evil.example:PORT`. Every server Sild binds must refuse such a request before
// it does anything else, and answer its own names and the ones the user allowed.

let servers: SandboxServers
let urls: Record<'dashboard' | 'securityServer' | 'service', string>

beforeAll(async () => {
  servers = await startSandboxServers({
    log: null,
    allowedHosts: ['sild.workshop.lan'],
    dashboard: serveDashboard(null),
  })
  urls = {
    dashboard: servers.ready.dashboard as string,
    securityServer: servers.ready.securityServers['ee-test'] as string,
    service: Object.values(servers.ready.services)[0] as string,
  }
})
afterAll(() => servers?.close())

const port = (url: string) => new URL(url).port
const SERVERS = ['dashboard', 'securityServer', 'service'] as const

const FOREIGN_HOSTS = [
  'evil.example',
  'evil.example:PORT',
  'localhost.evil.example:PORT',
  '127.0.0.1.nip.io:PORT',
  'LOCALHOST.EVIL.EXAMPLE',
  '[::2]:PORT',
  '10.0.0.5:PORT',
  'sild.workshop.lan.evil.example',
]

test.each(SERVERS.flatMap((server) => FOREIGN_HOSTS.map((host) => [server, host] as const)))(
  'the %s refuses Host %s with 421 before handling the request',
  async (server, host) => {
    const url = urls[server]
    const answer = await rawRequest(url, '/', {
      headers: { host: host.replace('PORT', port(url)) },
    })
    expect(answer.status).toBe(421)
    expect(answer.text).toMatch(/--allowed-host/)
  },
)

const OWN_HOSTS = [
  'localhost:PORT',
  '127.0.0.1:PORT',
  'LocalHost',
  'localhost.:PORT',
  'sild.workshop.lan:PORT',
]

test.each(SERVERS.flatMap((server) => OWN_HOSTS.map((host) => [server, host] as const)))(
  'the %s answers Host %s',
  async (server, host) => {
    const url = urls[server]
    const answer = await rawRequest(url, '/', {
      headers: { host: host.replace('PORT', port(url)) },
    })
    expect(answer.status).not.toBe(421)
  },
)

const REBOUND_CALLS = [
  ['PUT', '/api/services/ee-population-register/provider', '{"provider":"http://127.0.0.1:1/"}'],
  ['POST', '/api/try', '{"serviceId":"ee-population-register","operationId":"x","client":"c"}'],
  ['GET', '/api/exchanges', undefined],
  ['GET', '/api/events', undefined],
  ['POST', '/api/runs', '{"scenarios":[]}'],
] as const

test.each(REBOUND_CALLS)(
  'a rebound page cannot %s %s on the dashboard, even same-origin',
  async (method, path, body) => {
    const host = `evil.example:${port(urls.dashboard)}`
    const answer = await rawRequest(urls.dashboard, path, {
      method,
      headers: {
        host,
        origin: `http://${host}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body,
    })
    expect(answer.status).toBe(421)
    expect(servers.sandbox.federation.serviceById('ee-population-register')?.provider).toBe('mock')
  },
)
