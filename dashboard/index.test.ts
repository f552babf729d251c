import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { createSandbox, type Sandbox } from '../mocks/sandbox/index.ts'
import { sampleRunReport } from '../reports/test-fixtures/run-report.ts'
import type { Scenario } from '../runner/scenario/index.ts'
import { loadFederation } from '../specs/federation/index.ts'
import { createDashboard, type Dashboard } from './index.ts'

let sandbox: Sandbox
let dashboard: Dashboard
const BASE = 'http://127.0.0.1:4400'

beforeAll(async () => {
  sandbox = await createSandbox({ federation: loadFederation() })
  dashboard = createDashboard({
    sandbox,
    loadScenarios: async () => [
      { file: '/x/story.arazzo.yaml', title: 'A story', workflows: [] } as unknown as Scenario,
    ],
    runScenarios: async ({ listener }) => {
      const report = sampleRunReport()
      await listener.onRunEnd?.(report, 'completed')
      return report
    },
    reportFormats: {
      json: (report) => JSON.stringify(report),
      html: (_report, lang) => `<html lang="${lang}"></html>`,
    },
    securityServerUrls: { 'ee-test': 'http://127.0.0.1:4401' },
    logFile: '.sild/message-log.jsonl',
  })
})

afterAll(async () => {
  await dashboard?.close()
  await sandbox?.close()
})

const get = (path: string, headers: Record<string, string> = {}) =>
  dashboard.app.request(`${BASE}${path}`, { headers })
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  dashboard.app.request(`${BASE}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', host: '127.0.0.1:4400', ...headers },
    body: JSON.stringify(body),
  })

test('serves the page with a policy that allows only its own scripts and styles', async () => {
  const response = await get('/')
  expect(response.status).toBe(200)
  expect(await response.text()).toContain('<script type="module" src="/assets/app.js">')
  expect(response.headers.get('content-security-policy')).toContain("script-src 'self'")
  expect(response.headers.get('content-security-policy')).not.toContain('unsafe-inline')
})

test('serves only the files of its public folder', async () => {
  expect((await get('/assets/app.js')).headers.get('content-type')).toMatch(/^text\/javascript/)
  expect((await get('/assets/..%2Findex.ts')).status).toBe(404)
  expect((await get('/assets/nothing.js')).status).toBe(404)
})

test('gives the page every label in every language', async () => {
  const body = (await (await get('/api/i18n')).json()) as {
    catalogues: Record<string, Record<string, string>>
  }
  expect(Object.keys(body.catalogues)).toEqual(['en', 'uk', 'et'])
  expect(body.catalogues.uk?.['dashboard.nav.map']).toBe('Мапа')
  expect(body.catalogues.et?.['state.pass']).toBe('läbitud')
})

test('lists the exchanges in the message log', async () => {
  await sandbox.dispatcher.fetch(
    `${sandbox.urls.securityServers['ee-test']}/r1/ee-test/GOV/70008440/rr/population/persons/48001013546`,
    { headers: { 'x-road-client': 'ee-test/GOV/70006317/eesti-ee' } },
  )
  const list = (await (await get('/api/exchanges')).json()) as Array<{
    seq: number
    status: number
  }>
  expect(list.at(-1)).toMatchObject({ status: 200 })
  const detail = await get(`/api/exchanges/${list.at(-1)?.seq}`)
  expect(((await detail.json()) as { file: string }).file).toBe('.sild/message-log.jsonl')
  expect((await get('/api/exchanges/99999')).status).toBe(404)
})

test('streams the message log as server-sent events, resuming after the last id seen', async () => {
  const seq = sandbox.log.size - 1
  const response = await get('/api/events', { 'last-event-id': String(seq - 1) })
  const reader = response.body?.getReader()
  let text = ''
  while (reader && !text.includes(`id: ${seq}\n`)) {
    const { done, value } = await reader.read()
    if (done) break
    text += new TextDecoder().decode(value)
  }
  await reader?.cancel()
  expect(text).toContain(`event: backlog\nid: ${seq}\n`)
  expect(text).not.toContain(`id: ${seq - 1}\n`)
})

test('refuses writes that are not JSON, or that come from another origin', async () => {
  const plain = await dashboard.app.request(`${BASE}/api/runs`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body: '{}',
  })
  expect(plain.status).toBe(415)
  const foreign = await post('/api/runs', {}, { origin: 'http://evil.example' })
  expect(foreign.status).toBe(403)
})

test('runs a scenario and offers its report in the language asked for', async () => {
  const started = await post('/api/runs', { scenarios: ['story'] })
  expect(started.status).toBe(202)
  const { id } = (await started.json()) as { id: number }
  await expect
    .poll(async () => ((await (await get(`/api/runs/${id}`)).json()) as { status: string }).status)
    .toBe('done')
  const html = await get(`/api/runs/${id}/report/html?lang=uk`)
  expect(await html.text()).toBe('<html lang="uk"></html>')
  expect(html.headers.get('content-disposition')).toBe(`attachment; filename="sild-run-${id}.html"`)
  expect((await get(`/api/runs/${id}/report/sarif`)).status).toBe(404)
  expect((await post('/api/runs', { scenarios: ['nope'] })).status).toBe(404)
})

test('answers a try with what each security server did', async () => {
  const response = await post('/api/try', {
    serviceId: 'ee-population-register',
    operationId: 'getPerson',
    client: 'ee-test/GOV/70006317/eesti-ee',
    values: { 'path:personalCode': '48001013546' },
  })
  const body = (await response.json()) as { response: { status: number }; curl: string }
  expect(body.response.status).toBe(200)
  expect(body.curl).toContain('http://127.0.0.1:4401/r1/ee-test/GOV/70008440/rr/population/')
  expect((await post('/api/try', { serviceId: 1 })).status).toBe(400)
})

test('refuses a try while a scenario run is in progress, and takes it once the run ends', async () => {
  let finish = () => {}
  const gate = new Promise<void>((resolve) => (finish = resolve))
  const busy = createDashboard({
    sandbox,
    loadScenarios: async () => [
      { file: '/x/story.arazzo.yaml', title: 'A story', workflows: [] } as unknown as Scenario,
    ],
    runScenarios: async ({ listener }) => {
      await gate
      const report = sampleRunReport()
      await listener.onRunEnd?.(report, 'completed')
      return report
    },
    reportFormats: { json: (report) => JSON.stringify(report) },
  })
  const tryIt = () =>
    busy.app.request(`${BASE}/api/try`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', host: '127.0.0.1:4400' },
      body: JSON.stringify({
        serviceId: 'ee-population-register',
        operationId: 'getPerson',
        client: 'ee-test/GOV/70006317/eesti-ee',
        values: { 'path:personalCode': '48001013546' },
      }),
    })
  try {
    const started = await busy.app.request(`${BASE}/api/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', host: '127.0.0.1:4400' },
      body: JSON.stringify({}),
    })
    expect(started.status).toBe(202)
    const refused = await tryIt()
    expect(refused.status).toBe(409)
    expect(((await refused.json()) as { error: string }).error).toMatch(/run is in progress/)
    finish()
    const status = async () =>
      ((await (await busy.app.request(`${BASE}/api/runs/latest`)).json()) as { status: string })
        .status
    for (let i = 0; i < 200 && (await status()) === 'running'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    expect(await status()).toBe('done')
    expect((await tryIt()).status).toBe(200)
  } finally {
    finish()
    await busy.close()
  }
})

test('refuses to start a run while a call from Try it yourself is on its way', async () => {
  const slow = createServer((_req, res) => {
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end('{}')
    }, 300)
  })
  await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(slow.address() as AddressInfo).port}`
  const provider = (value: string) =>
    dashboard.app.request(`${BASE}/api/services/ee-population-register/provider`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', host: '127.0.0.1:4400' },
      body: JSON.stringify({ provider: value }),
    })
  try {
    expect((await provider(url)).status).toBe(200)
    const call = post('/api/try', {
      serviceId: 'ee-population-register',
      operationId: 'getPerson',
      client: 'ee-test/GOV/70006317/eesti-ee',
      values: { 'path:personalCode': '48001013546' },
    })
    await new Promise((resolve) => setTimeout(resolve, 50))
    const refused = await post('/api/runs', {})
    expect(refused.status).toBe(409)
    expect(await refused.json()).toMatchObject({ reason: 'try-in-flight' })
    expect((await call).status).toBe(200)
    expect((await post('/api/runs', {})).status).toBe(202)
  } finally {
    await provider('mock')
    await new Promise((resolve) => slow.close(resolve))
  }
})

test('plugs a partner implementation in place of a mock, and back', async () => {
  const put = (provider: string) =>
    dashboard.app.request(`${BASE}/api/services/ee-tax-board/provider`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ provider }),
    })
  expect(await (await put('http://127.0.0.1:9/')).json()).toMatchObject({
    provider: 'http://127.0.0.1:9',
  })
  expect(sandbox.federation.serviceById('ee-tax-board')?.provider).toBe('http://127.0.0.1:9')
  expect((await put('file:///etc/passwd')).status).toBe(400)
  await put('mock')
  expect(sandbox.federation.serviceById('ee-tax-board')?.provider).toBe('mock')
})
