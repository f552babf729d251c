import { mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { createDashboard, type Dashboard } from '../../dashboard/index.ts'
import { createSandbox, type Sandbox } from '../../mocks/sandbox/index.ts'
import { loadFederation } from '../../specs/federation/index.ts'
import { addressClass, checkProviderUrl } from '../../specs/provider-url/index.ts'
import { guardedLookup } from '../../mocks/security-server/provider-call.ts'
import { sild } from '../helpers/cli.ts'

// SSRF: provider URLs arrive in federation and partner files from pull requests, from the dashboard
// and from --target. None of them may reach link-local or metadata addresses, carry credentials, or
// push the service path into a query; files and the dashboard reach only loopback unless the user
// allowed a host.

const FIXTURE = fileURLToPath(new URL('../fixtures/broken-provider/', import.meta.url))
let dir: string
let sandbox: Sandbox
let dashboard: Dashboard

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sild-ssrf-'))
  copyFileSync(join(FIXTURE, 'person-register.yaml'), join(dir, 'person-register.yaml'))
  sandbox = await createSandbox({ federation: loadFederation() })
  dashboard = createDashboard({
    sandbox,
    loadScenarios: async () => [],
    runScenarios: async () => {
      throw new Error('no runs here')
    },
    reportFormats: {},
  })
})
afterAll(async () => {
  await dashboard?.close()
  await sandbox?.close()
  rmSync(dir, { recursive: true, force: true })
})

/** A federation file naming `provider` for its one service; returns its path. */
const federationWith = (provider: string, name: string): string => {
  const yaml = readFileSync(join(FIXTURE, 'federation.yaml'), 'utf8').replace(
    'provider: http://127.0.0.1:9',
    `provider: ${JSON.stringify(provider)}`,
  )
  const file = join(dir, `${name}.yaml`)
  writeFileSync(file, yaml)
  return file
}

/** Never allowed, from anywhere. */
const ALWAYS_REFUSED = [
  'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
  'http://169.254.170.2/v2/credentials',
  'http://2852039166/',
  'http://0xa9fea9fe/',
  'http://0251.0376.0251.0376/',
  'http://[::ffff:169.254.169.254]/',
  'http://[::ffff:a9fe:a9fe]/',
  'http://[fe80::1]/',
  'http://[fd00:ec2::254]/latest',
  'http://100.100.100.200/latest/meta-data',
  'http://metadata.google.internal/computeMetadata/v1/',
  'http://0.0.0.0:8080/',
  'http://[::]:8080/',
  'http://127.0.0.1:8090/population?x=',
  'http://127.0.0.1:8090/population#frag',
  'http://user:pass@127.0.0.1:8090/',
  'http://token@127.0.0.1:8090/',
  'file:///etc/passwd',
  'ftp://127.0.0.1/',
  'gopher://127.0.0.1:6379/_FLUSHALL',
  'javascript:alert(1)',
]

/** Refused from files and the dashboard unless allowed; fine on the user's own command line. */
const NOT_LOOPBACK = [
  'http://10.0.0.5:8080/',
  'http://192.168.1.1/',
  'http://172.16.0.1/',
  'http://100.64.0.1/',
  'http://[fd12:3456::1]/',
  'https://partner.example/api',
  'http://8.8.8.8/',
]

const LOOPBACK = [
  'http://127.0.0.1:8090/x',
  'http://127.1.2.3:1/',
  'http://localhost:8090/',
  'http://[::1]:8090/',
]

test.each(ALWAYS_REFUSED.map((url, i) => [url, i] as const))(
  'a federation file naming %s is refused with file:line:column and exit 2',
  async (url, i) => {
    const file = federationWith(url, `always-${i}`)
    const result = await sild('lint', '--federation', file)
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(new RegExp(`always-${i}\\.yaml:\\d+:\\d+: `))
    expect(result.stderr).not.toMatch(/\n\s+at /)
  },
)

test.each(NOT_LOOPBACK.map((url, i) => [url, i] as const))(
  'a federation file naming %s is refused until --allow-provider-host names it',
  (url, i) => {
    const file = federationWith(url, `private-${i}`)
    expect(() => loadFederation([file])).toThrow(/not loopback and not allowed/)
    const host = new URL(url).host
    const federation = loadFederation([file], { providerHosts: [host] })
    expect(federation.serviceById('person-register')?.provider).toBe(url.replace(/\/$/, ''))
  },
)

test.each(LOOPBACK)('a federation file may always name the loopback provider %s', (url) => {
  const file = federationWith(url, 'loopback')
  expect(loadFederation([file]).serviceById('person-register')?.provider).toBe(
    url.replace(/\/$/, ''),
  )
})

const put = (provider: string) =>
  dashboard.app.request('http://127.0.0.1:4400/api/services/ee-tax-board/provider', {
    method: 'PUT',
    headers: { 'content-type': 'application/json', host: '127.0.0.1:4400' },
    body: JSON.stringify({ provider }),
  })

test.each([...ALWAYS_REFUSED, ...NOT_LOOPBACK])(
  'the dashboard refuses to point a service at %s',
  async (url) => {
    const answer = await put(url)
    expect(answer.status).toBe(400)
    expect(sandbox.federation.serviceById('ee-tax-board')?.provider).toBe('mock')
  },
)

test.each(LOOPBACK)('the dashboard points a service at the loopback provider %s', async (url) => {
  expect((await put(url)).status).toBe(200)
  await put('mock')
  expect(sandbox.federation.serviceById('ee-tax-board')?.provider).toBe('mock')
})

test.each(ALWAYS_REFUSED.filter((u) => /^https?:/.test(u)))(
  'sild run --target refuses %s with exit 2',
  async (url) => {
    const result = await sild(
      'run',
      '--federation',
      join(FIXTURE, 'federation.yaml'),
      '--target',
      `person-register=${url}`,
      join(FIXTURE, 'person-lookup.arazzo.yaml'),
    )
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/--target person-register=/)
    expect(result.stderr).not.toMatch(/\n\s+at /)
  },
)

test('classifies addresses by what they reach, not how they are spelled', () => {
  expect(addressClass('[::ffff:7f00:1]')).toBe('loopback')
  expect(addressClass('169.254.169.254.')).toBe('forbidden')
  expect(checkProviderUrl('https://partner.example', { anyHost: true })).toEqual({
    ok: true,
    value: 'https://partner.example',
  })
})

const resolvingTo =
  (address: string, family = address.includes(':') ? 6 : 4) =>
  (_host: string, options: { all?: boolean }, callback: Function) =>
    options.all ? callback(null, [{ address, family }]) : callback(null, address, family)

test.each(['169.254.169.254', 'fe80::1', '100.100.100.200', '0.0.0.0'])(
  'refuses to connect to a provider name that resolves to %s',
  async (address) => {
    for (const all of [true, false]) {
      const error = await new Promise<Error | null>((resolve) =>
        guardedLookup(resolvingTo(address) as never)('rebind.example', { all }, ((
          e: Error | null,
        ) => resolve(e)) as never),
      )
      expect(error?.message).toBe(`rebind.example resolves to ${address}, which Sild never calls`)
    }
  },
)

test('connects to a provider name that resolves to an ordinary address', async () => {
  const result = await new Promise<unknown[]>((resolve) =>
    guardedLookup(resolvingTo('10.0.0.5') as never)('partner.example', { all: true }, ((
      ...args: unknown[]
    ) => resolve(args)) as never),
  )
  expect(result).toEqual([null, [{ address: '10.0.0.5', family: 4 }], undefined])
})

test.each(NOT_LOOPBACK)(
  'sild lint reads a federation naming %s, since it calls no provider',
  async (url) => {
    const file = federationWith(url, 'lint-only')
    const result = await sild('lint', '--federation', file)
    expect(result.stderr).not.toMatch(/provider URL/)
  },
)
