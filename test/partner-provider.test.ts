// The provider role: md-test's registers answer Estonian and Ukrainian callers through the
// sandbox's security servers, scored per partner × profile.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, request as httpRequest, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { startSandboxServers, type SandboxServers } from '../cli/sandbox-servers.ts'
import { serveDashboard } from '../cli/serve.ts'
import type { RunReport } from '../runner/types.ts'
import {
  DEFECTS,
  startPartnerServer,
  type Defect,
  type PartnerServer,
} from '../examples/partner-md/server.ts'
import { generateSigningKeys } from '../reports/certificate/index.ts'
import { loadPartnerFederation } from '../specs/partner/index.ts'
import {
  cards,
  failingChecks,
  failures,
  readReport,
  sild,
  targets,
} from './fixtures/partner-kit/index.ts'
import { startDefectivePartner } from './fixtures/partner-md-defective/server.ts'

const EXAMPLE = fileURLToPath(new URL('../examples/partner-md/partner.yaml', import.meta.url))
const DEFECTIVE = fileURLToPath(
  new URL('./fixtures/partner-md-defective/partner.yaml', import.meta.url),
)

let dir: string
let good: PartnerServer
let defective: PartnerServer
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sild-partner-provider-'))
  ;[good, defective] = await Promise.all([startPartnerServer(), startDefectivePartner()])
})
afterAll(async () => {
  await Promise.all([good.close(), defective.close()])
  rmSync(dir, { recursive: true, force: true })
})

let n = 0
const run = async (...args: string[]) => {
  const path = join(dir, `report-${++n}.json`)
  const outcome = await sild('run', ...args, '--report', `json=${path}`)
  return { ...outcome, report: readReport(path) }
}

test('the example partner reaches level 4 on both profiles it claims', async () => {
  const { code, report } = await run('--partner', EXAMPLE, ...targets(good.url))
  expect(cards(report)).toEqual([
    'md-test ee-population-register 4 100',
    'md-test ua-legal-entities-register 4 100',
  ])
  expect(report.scenarios.map((s) => s.id)).toEqual([
    'ee-population-register',
    'ua-legal-entities-register',
  ])
  expect(code).toBe(0)
})

test("calls the partner's service with its test data, through both security servers", async () => {
  const { report } = await run('--partner', EXAMPLE, ...targets(good.url))
  const step = report.scenarios[0]?.workflows[0]?.steps[0]
  expect(step?.exchange?.service).toBe('md-test/GOV/1003600150045/rsp/population')
  expect(step?.exchange?.request.url).toBe(
    'http://ee-test.ss.sild.test/r1/md-test/GOV/1003600150045/rsp/population/persons/38507124218',
  )
  expect(step?.exchange?.hops.map((h) => h.to)).toEqual([
    'ee-test security server',
    'md-test security server',
    'md-test/GOV/1003600150045/rsp/population',
  ])
  expect((step?.exchange?.response?.body as { givenName?: string }).givenName).toBe('Ion')
  const uxp = report.scenarios[1]?.workflows[0]?.steps[0]?.exchange
  expect(uxp?.protocol).toBe('uxp-rest')
  expect(uxp?.response?.status).toBe(200)
})

const EXPECTED: Record<Defect, { profile: string; check: string; level: number }> = {
  'no-citizenship': {
    profile: 'ee-population-register',
    check: 'responseSchemaConformance',
    level: 1,
  },
  'stack-trace': { profile: 'ee-population-register', check: 'noInternalsLeaked', level: 3 },
  'lenient-check-digit': {
    profile: 'ua-legal-entities-register',
    check: 'badIdentifierRejected',
    level: 3,
  },
  'wrong-name': { profile: 'ua-legal-entities-register', check: 'successCriteria', level: 2 },
}

test.each(DEFECTS.map((d) => [d, EXPECTED[d]] as const))(
  'the defect %s lowers exactly its own check and level',
  async (defect, expected) => {
    const server = await startPartnerServer({ defects: [defect] })
    try {
      const { code, report } = await run('--partner', EXAMPLE, ...targets(server.url))
      expect(code).toBe(1)
      for (const card of report.scorecards) {
        const affected = card.profile === expected.profile
        expect(failingChecks(report, 'md-test', card.profile)).toEqual(
          affected ? [expected.check] : [],
        )
        expect(card.level).toBe(affected ? expected.level : 4)
      }
    } finally {
      await server.close()
    }
  },
)

test('the defective copy of the partner gets exactly its findings', async () => {
  const { code, report, stdout } = await run('--partner', DEFECTIVE, ...targets(defective.url))
  expect(code).toBe(1)
  expect(report.scorecards.map((c) => [c.profile, c.level])).toEqual([
    ['ee-population-register', 1],
    ['ua-legal-entities-register', 2],
  ])
  expect(failingChecks(report, 'md-test', 'ee-population-register')).toEqual([
    'responseSchemaConformance',
    'noInternalsLeaked',
  ])
  expect(failingChecks(report, 'md-test', 'ua-legal-entities-register')).toEqual([
    'successCriteria',
    'badIdentifierRejected',
  ])
  const messages = failures(report).map((f) => `${f.check}: ${f.message.split('\n').join(' ')}`)
  expect(new Set(messages)).toEqual(
    new Set([
      'responseSchemaConformance: Response violates the schema of getPerson 200 (1 violation):   - body/citizenship is required',
      'noInternalsLeaked: error response (status 400) shows a JavaScript stack frame in body/detail: "Invalid personal code\\n    at parseCode (/opt/app/src/population.js:42:13)"',
      "successCriteria: success criterion failed: $response.body#/shortNameLatin == $inputs.shortNameLatin failed: $response.body#/shortNameLatin is 'SRL «Codru Vinuri»', $inputs.shortNameLatin is 'Codru Vinuri SRL'",
      'badIdentifierRejected: sent path parameter edrpou "38123451" (ua-edrpou: check digit 1 does not match (expected 0)) and got status 404; expected 400',
    ]),
  )
  expect(stdout).toMatch(/Reproduce with: curl .*md-test\/GOV\/1003600150045\/rsp\/population/)
})

test('issues a signed certificate for the partner that verifies offline', async () => {
  const keys = generateSigningKeys()
  const key = join(dir, 'key.pem')
  const pub = join(dir, 'key.pub.pem')
  writeFileSync(key, keys.privateKeyPem)
  writeFileSync(pub, keys.publicKeyPem)
  const cert = join(dir, 'md-test.cert.json')
  const { code, report } = await run(
    '--partner',
    EXAMPLE,
    ...targets(good.url),
    '--certificate',
    `md-test=${cert}`,
    '--signing-key',
    key,
  )
  expect(code).toBe(0)
  // The partner's own registers answered, not Sild's mocks: that is what may be certified.
  expect(report.scorecards.filter((c) => c.party === 'md-test' && c.answeredBySild)).toEqual([])
  const verified = await sild('certificate', 'verify', cert, '--public-key', pub)
  expect(verified.code).toBe(0)
  expect(verified.stdout).toMatch(/ee-population-register +level 4 Hardened/)
  expect(verified.stdout).toMatch(/ua-legal-entities-register +level 4 Hardened/)
})

/** md-test's own security server: Sild's simulated one, served on its own, in front of `registers`. */
const ownSecurityServer = async (registers: PartnerServer): Promise<SandboxServers> => {
  const { federation } = loadPartnerFederation(EXAMPLE)
  for (const [id, path] of [
    ['md-population-register', 'population'],
    ['md-legal-entities-register', 'legal-entities'],
  ] as const) {
    const service = federation.serviceById(id)
    if (service) service.provider = `${registers.url}/${path}`
  }
  return startSandboxServers({ portBase: 0, federationModel: federation, log: null })
}

test("runs the partner's profiles from the dashboard of sild serve --partner, with its test data", async () => {
  const file = join(dir, 'served-partner.yaml')
  writeFileSync(file, readFileSync(EXAMPLE, 'utf8').replaceAll('http://127.0.0.1:8090', good.url))
  const { federation, partner } = loadPartnerFederation(file)
  const servers = await startSandboxServers({
    portBase: 0,
    log: '',
    federationModel: federation,
    dashboard: serveDashboard(null, partner),
  })
  const page = servers.ready.dashboard as string
  const api = async (path: string, init?: RequestInit) => {
    const response = await fetch(`${page}${path}`, init)
    return { status: response.status, body: await response.json() }
  }
  try {
    const listed = (await api('/api/scenarios')).body as Array<{ id: string }>
    expect(listed.map((s) => s.id)).toEqual(
      expect.arrayContaining([
        'ask-once-prefill',
        'ee-population-register',
        'ua-legal-entities-register',
      ]),
    )
    const started = await api('/api/runs', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ scenarios: ['ee-population-register', 'ua-legal-entities-register'] }),
    })
    expect(started.status).toBe(202)
    const id = (started.body as { id: number }).id
    for (let i = 0; i < 400; i++) {
      if ((await api(`/api/runs/${id}`)).body.status !== 'running') break
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
    const report = (await api(`/api/runs/${id}/report/json`)).body as RunReport
    expect(cards(report)).toEqual([
      'md-test ee-population-register 4 100',
      'md-test ua-legal-entities-register 4 100',
    ])
    const urls = report.scenarios.flatMap((s) =>
      s.workflows.flatMap((w) => w.steps.map((st) => st.exchange?.request.url ?? '')),
    )
    expect(urls).toContain(
      `${servers.sandbox.urls.securityServers['ee-test']}/r1/md-test/GOV/1003600150045/rsp/population/persons/38507124218`,
    )
  } finally {
    await servers.close()
  }
})

test("probes the partner's own security server from the outside", async () => {
  const servers = await ownSecurityServer(good)
  try {
    const url = servers.ready.securityServers['md-test'] as string
    const { code, report } = await run(
      '--partner',
      EXAMPLE,
      ...targets(good.url),
      '--partner-security-server',
      url,
    )
    expect(code).toBe(0)
    expect(cards(report)).toContain('md-test security-server 4 100')
    const probes = report.scenarios.find((s) => s.id === 'security-server')
    expect(probes?.workflows.map((w) => w.workflowId)).toEqual([
      'mdPopulationRegisterRead',
      'mdPopulationRegisterWithoutClientHeader',
      'mdPopulationRegisterUnknownService',
      'mdLegalEntitiesRegisterRead',
      'mdLegalEntitiesRegisterWithoutClientHeader',
      'mdLegalEntitiesRegisterUnknownService',
    ])
    expect(probes?.workflows[0]?.steps[0]?.exchange?.request.url).toBe(
      `${url}/r1/md-test/GOV/1003600150045/rsp/population/persons/38507124218`,
    )
  } finally {
    await servers.close()
  }
})

type Answer = { status: number; headers: Record<string, string | string[] | undefined> }

/**
 * A proxy in front of a security server that passes every answer through `change`: it may edit
 * the status and headers, or return a whole other answer (status, headers and body) of its own.
 */
const proxy = async (
  target: string,
  change: (answer: Answer) => void | (Answer & { body: string }),
): Promise<{ url: string; server: Server }> => {
  const server = createServer((req, res) => {
    const upstream = new URL(req.url ?? '/', target)
    const forward = httpRequest(
      upstream,
      { method: req.method, headers: { ...req.headers, host: upstream.host } },
      (answer) => {
        const edited: Answer = { status: answer.statusCode ?? 502, headers: { ...answer.headers } }
        const replaced = change(edited)
        if (replaced) {
          answer.resume()
          res.writeHead(replaced.status, replaced.headers)
          res.end(replaced.body)
          return
        }
        res.writeHead(edited.status, edited.headers)
        answer.pipe(res)
      },
    )
    req.pipe(forward)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server }
}

/** A proxy that passes everything but drops the named response headers. */
const dropping = (target: string, drop: string[]) =>
  proxy(target, (answer) => {
    for (const name of drop) delete answer.headers[name]
  })

const probeOwnSecurityServer = async (
  change: (answer: Answer) => void | (Answer & { body: string }),
): Promise<RunReport> => {
  const servers = await ownSecurityServer(good)
  const front = await proxy(servers.ready.securityServers['md-test'] as string, change)
  try {
    const { report } = await run(
      '--partner',
      EXAMPLE,
      ...targets(good.url),
      '--partner-security-server',
      front.url,
    )
    return report
  } finally {
    front.server.close()
    await servers.close()
  }
}

test("fails a partner security server that replaces the client's X-Road-Id, naming the one sent", async () => {
  const report = await probeOwnSecurityServer((answer) => {
    if (answer.headers['x-road-id']) answer.headers['x-road-id'] = 'generated-by-the-server'
  })
  const card = report.scorecards.find((c) => c.profile === 'security-server')
  expect(card?.level).toBe(0)
  expect(failingChecks(report, 'md-test', 'security-server')).toEqual(['responseIdsEchoed'])
  expect(failures(report).map((f) => f.message)).toContain(
    'X-Road-Id is "generated-by-the-server" in the response; expected the client\'s "sild-probe-md-population-register"',
  )
})

test('judges an HTML error page in place of a security-server fault as the fault it should be', async () => {
  const report = await probeOwnSecurityServer((answer) =>
    answer.headers['x-road-error']
      ? {
          status: 502,
          headers: { 'content-type': 'text/html' },
          body: '<html><body><h1>502 Bad Gateway</h1></body></html>',
        }
      : undefined,
  )
  expect(failingChecks(report, 'md-test', 'security-server').sort()).toEqual(
    expect.arrayContaining(['errorBodyFormat', 'faultStatusClass']),
  )
  const messages = failures(report).map((f) => f.message)
  expect(messages).toContainEqual(
    expect.stringMatching(
      /^no X-Road-Error header although the step expects fault \S*InvalidClientIdentifier; the body is text\/html: "<html><body><h1>502 Bad Gateway/,
    ),
  )
  expect(messages).toContainEqual(
    expect.stringMatching(
      /^the answer in place of fault \S+ came with status 502; expected (400|500)/,
    ),
  )
})

test('scores a partner security server that leaves out the request hash and the echoed id', async () => {
  const servers = await ownSecurityServer(good)
  const proxy = await dropping(servers.ready.securityServers['md-test'] as string, [
    'x-road-request-hash',
    'x-road-id',
  ])
  try {
    const { code, report } = await run(
      '--partner',
      EXAMPLE,
      ...targets(good.url),
      '--partner-security-server',
      proxy.url,
    )
    expect(code).toBe(1)
    const card = report.scorecards.find((c) => c.profile === 'security-server')
    expect(card?.level).toBe(0)
    expect(failingChecks(report, 'md-test', 'security-server').sort()).toEqual([
      'requestHashPresent',
      'responseIdsEchoed',
    ])
    expect(cards(report).filter((c) => !c.includes('security-server'))).toEqual([
      'md-test ee-population-register 4 100',
      'md-test ua-legal-entities-register 4 100',
    ])
  } finally {
    proxy.server.close()
    await servers.close()
  }
})

test('refuses --partner-security-server without --partner', async () => {
  const { code, stderr } = await sild('run', '--partner-security-server', 'http://127.0.0.1:1')
  expect(code).toBe(2)
  expect(stderr).toMatch(/--partner-security-server needs --partner/)
})

test('reports a broken partner file at its line, with exit code 2', async () => {
  const file = join(dir, 'broken.yaml')
  writeFileSync(file, 'version: sild.partner/v1\ninstances: []\n')
  const { code, stderr } = await sild('run', '--partner', file)
  expect(code).toBe(2)
  expect(stderr).toMatch(/broken.yaml:2:\d+: invalid partner file/)
})
