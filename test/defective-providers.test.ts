// A partner's registers with one realistic mistake each: every mistake must cost at least its
// level and be named by its check; every legal variation of a clean provider must reach level 4.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { RunReport } from '../runner/types.ts'
import {
  startDefectiveProviders,
  type DefectiveProviders,
} from './fixtures/defective-providers/server.ts'
import type { VariantId } from './fixtures/defective-providers/variants.ts'
import { failingChecks, readReport, sild } from './fixtures/partner-kit/index.ts'

const EXAMPLE = fileURLToPath(new URL('../examples/partner-md/partner.yaml', import.meta.url))

type Profile = 'ee-population-register' | 'ua-legal-entities-register'

const REGISTER = {
  'ee-population-register': 'population',
  'ua-legal-entities-register': 'legal-entities',
} as const

const SERVICE = {
  'ee-population-register': 'md-population-register',
  'ua-legal-entities-register': 'md-legal-entities-register',
} as const

const PROFILES = Object.keys(REGISTER) as Profile[]

type Defect = {
  /** The variant of the registers that has the mistake (or, for set-up mistakes, a name). */
  id: VariantId | 'provider-down' | 'outsider-granted'
  mistake: string
  profile: Profile
  /** The highest level the profile's scorecard may reach. */
  ceiling: 0 | 1 | 2 | 3
  /** A check that must be among the profile's failing checks… */
  check: string
  /** …with this fragment in one of its messages. */
  says?: string
  /** The exact score, where the issue fixes it. */
  score?: number
  /** A line the console must print exactly once (`{url}` is the provider's base URL). */
  console?: string
}

const DEFECTS: Defect[] = [
  // Level 1: no usable answer.
  {
    id: 'provider-down',
    mistake: 'the provider is not running: the connection is refused',
    profile: 'ee-population-register',
    ceiling: 0,
    check: 'reachable',
    score: 0,
    console: 'refused the connection',
  },
  {
    id: 'hangs',
    mistake: 'the provider accepts the connection and never answers',
    profile: 'ua-legal-entities-register',
    ceiling: 0,
    check: 'reachable',
    says: 'timed out',
    score: 0,
  },
  {
    id: 'connection-reset',
    mistake: 'the provider crashes mid-answer and the connection is reset',
    profile: 'ee-population-register',
    ceiling: 0,
    check: 'reachable',
    score: 0,
  },
  {
    id: 'wrong-base-path',
    mistake: 'the registers are mounted under another path: every call gets the framework 404 page',
    profile: 'ee-population-register',
    ceiling: 1,
    check: 'contentTypeConformance',
    console: 'answered 404 to all {calls} calls: is the base path right?',
  },
  {
    id: 'proxy-502',
    mistake: "the reverse proxy in front of the register answers every call with nginx's 502 page",
    profile: 'ua-legal-entities-register',
    ceiling: 1,
    check: 'statusCodeConformance',
    says: 'status 502 is not declared for getLegalEntity',
  },
  // Level 2: answers that break the contract.
  {
    id: 'missing-citizenship',
    mistake: 'a person is answered without the required citizenship',
    profile: 'ee-population-register',
    ceiling: 1,
    check: 'responseSchemaConformance',
    says: 'body/citizenship is required',
  },
  {
    id: 'legal-form-code-number',
    mistake: 'the legal form code comes out of an integer column as a number',
    profile: 'ua-legal-entities-register',
    ceiling: 1,
    check: 'responseSchemaConformance',
    says: 'body/legalForm/code must be string',
  },
  {
    id: 'status-uppercase',
    mistake: "the database enum leaks through: status is 'ALIVE' instead of 'alive'",
    profile: 'ee-population-register',
    ceiling: 1,
    check: 'responseSchemaConformance',
    says: 'ALIVE',
  },
  {
    id: 'residence-500',
    mistake: 'reading a residence answers an undeclared 500 to a valid request',
    profile: 'ee-population-register',
    ceiling: 1,
    check: 'statusCodeConformance',
    says: 'status 500 is not declared for getResidence',
  },
  {
    id: 'text-plain',
    mistake: 'JSON answers are sent as text/plain',
    profile: 'ua-legal-entities-register',
    ceiling: 1,
    check: 'contentTypeConformance',
    says: 'text/plain',
  },
  {
    id: 'python-repr',
    mistake: "a Python dict's repr is sent as application/json: not JSON at all",
    profile: 'ee-population-register',
    ceiling: 1,
    check: 'responseSchemaConformance',
    says: "{'personalCode'",
  },
  {
    id: 'founder-check-digit',
    mistake: "a founder's RNOKPP was migrated with a wrong check digit",
    profile: 'ua-legal-entities-register',
    ceiling: 1,
    check: 'identifierFormatConformance',
    says: 'body/founders/0/rnokpp "3122911414"',
  },
  {
    id: 'timestamp-dates',
    mistake: 'registeredSince is serialised from a Date as a timestamp, not a date',
    profile: 'ee-population-register',
    ceiling: 1,
    check: 'responseSchemaConformance',
    says: 'body/registeredSince',
  },
  {
    id: 'framework-error-body',
    mistake: "404s are the framework's {error, message} as application/json, not problem documents",
    profile: 'ua-legal-entities-register',
    ceiling: 1,
    check: 'responseSchemaConformance',
    says: 'body/type is required',
  },
  // Level 3: well-formed answers that say the wrong thing.
  {
    id: 'latin-name-in-national-script',
    mistake: 'shortNameLatin repeats the national short name',
    profile: 'ua-legal-entities-register',
    ceiling: 2,
    check: 'successCriteria',
    says: "$response.body#/shortNameLatin is 'SRL «Codru Vinuri»'",
  },
  {
    id: 'search-finds-nobody',
    mistake: 'search compares birth dates with a timestamp column and finds nobody',
    profile: 'ee-population-register',
    ceiling: 2,
    check: 'successCriteria',
    says: '$response.body#/total is 0',
  },
  {
    id: 'search-ignores-filters',
    mistake: 'search drops its filters and lists the whole register',
    profile: 'ee-population-register',
    ceiling: 2,
    check: 'successCriteria',
    says: '$response.body#/total is 3',
  },
  {
    id: 'nearest-code-for-missing',
    mistake: 'a code the register does not hold answers 200 with the nearest entity',
    profile: 'ua-legal-entities-register',
    ceiling: 2,
    check: 'successCriteria',
    says: '$statusCode == 404 failed: $statusCode is 200',
  },
  {
    id: 'search-birth-date-off-by-one',
    mistake:
      'search serialises birth dates through local time: one day early, unlike the detail read',
    profile: 'ee-population-register',
    ceiling: 2,
    check: 'crossStepConsistency',
    says: 'has birthDate "1985-07-12"',
  },
  {
    id: 'off-by-one-person',
    mistake: 'the detail read answers with the next person in the table',
    profile: 'ee-population-register',
    ceiling: 2,
    check: 'identifierEcho',
    says: 'asked for personalCode "38507124218"',
  },
  // Level 4: hardening.
  {
    id: 'lenient-check-digit',
    mistake: 'codes are looked up whatever their check digit: the wrong one gets 404, not 400',
    profile: 'ua-legal-entities-register',
    ceiling: 3,
    check: 'badIdentifierRejected',
    says: 'edrpou "38123451"',
  },
  {
    id: 'lenient-check-digit',
    mistake:
      'personal codes are looked up whatever their check digit: the wrong one gets 404, not 400',
    profile: 'ee-population-register',
    ceiling: 3,
    check: 'badIdentifierRejected',
    says: 'personalCode "48001013547"',
  },
  {
    id: 'oversized-code-500',
    mistake: 'a 600-digit code overflows a numeric column and answers 500',
    profile: 'ee-population-register',
    ceiling: 1,
    check: 'badIdentifierRejected',
    says: 'must be 11 digits',
  },
  {
    id: 'injection-returns-first-row',
    mistake: "the code is pasted into SQL: ' OR '1'='1 answers 200 with the first row",
    profile: 'ee-population-register',
    ceiling: 3,
    check: 'badIdentifierRejected',
    says: 'got status 200; expected 400',
  },
  {
    id: 'outsider-granted',
    mistake: 'partner.yaml grants the caller the profile expects to be refused (Põhjala Pank)',
    profile: 'ee-population-register',
    ceiling: 3,
    check: 'unauthorizedRefused',
    says: 'ee-test/COM/14001233/kyc',
  },
  ...(['node', 'java', 'python', 'dotnet', 'go', 'php'] as const).map((platform): Defect => ({
    id: `stack-trace-${platform}`,
    mistake: `400 answers carry a ${platform} stack trace in detail`,
    profile: 'ee-population-register',
    ceiling: 3,
    check: 'noInternalsLeaked',
  })),
  {
    id: 'sql-error',
    mistake: 'a 400 detail carries the SQL error with SQLSTATE, the query, the DB user and host',
    profile: 'ee-population-register',
    ceiling: 3,
    check: 'noInternalsLeaked',
    says: 'SQLSTATE',
  },
  {
    id: 'internal-host-in-404',
    mistake: 'a 404 detail names a private IP, an internal URL and a *.svc.cluster.local host',
    profile: 'ua-legal-entities-register',
    ceiling: 3,
    check: 'noInternalsLeaked',
    says: '10.0.3.7',
  },
  {
    id: 'debug-field',
    mistake: 'every 200 body carries a _debug field with the SQL and the back-end host',
    profile: 'ee-population-register',
    ceiling: 3,
    check: 'noInternalsLeaked',
    says: '_debug',
  },
  {
    id: 'banner-headers',
    mistake: 'every answer names the framework version and the upstream host in headers',
    profile: 'ua-legal-entities-register',
    ceiling: 3,
    check: 'noInternalsLeaked',
    says: 'Express 4.17.1',
  },
]

const CLEAN: Array<{ id: VariantId; variation: string }> = [
  { id: 'clean', variation: 'as the specs say' },
  { id: 'charset-parameter', variation: 'with a charset parameter on every Content-Type' },
  {
    id: 'extra-fields',
    variation: 'with fields the schemas do not name, and instance on problems',
  },
  { id: 'unicode-escapes', variation: 'with every non-ASCII character \\u-escaped' },
  { id: 'etag', variation: 'with ETag and Cache-Control headers' },
  { id: 'problem-without-detail', variation: 'with problem documents without detail' },
  { id: 'key-order', variation: 'with every object in reverse key order' },
]

let dir: string
let providers: DefectiveProviders
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sild-defective-providers-'))
  providers = await startDefectiveProviders()
})
afterAll(async () => {
  await providers.close()
  rmSync(dir, { recursive: true, force: true })
})

/** A local port nothing listens on. */
const closedPort = async (): Promise<number> => {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** The example partner file with the population profile's outsider granted a right on it. */
const grantingOutsider = (): string => {
  const file = join(dir, 'grants-outsider.yaml')
  writeFileSync(
    file,
    `${readFileSync(EXAMPLE, 'utf8')}  # Granted by mistake: the caller the profile expects to be refused.
  - client: ee-test/COM/14001233/kyc
    service: md-test/GOV/1003600150045/rsp/population
`,
  )
  return file
}

let n = 0
/** `sild run --partner …` with each profile's service sent to `bases`, and its JSON report. */
const run = async (
  bases: Record<Profile, string>,
  { partner = EXAMPLE, options = [] }: { partner?: string; options?: string[] } = {},
): Promise<{ code: number; stdout: string; report: RunReport }> => {
  const path = join(dir, `report-${++n}.json`)
  const outcome = await sild(
    'run',
    '--partner',
    partner,
    ...options,
    ...PROFILES.flatMap((p) => ['--target', `${SERVICE[p]}=${bases[p]}`]),
    '--report',
    `json=${path}`,
  )
  return { code: outcome.code, stdout: outcome.stdout, report: readReport(path) }
}

const messages = (report: RunReport, profile: Profile, check: string): string[] =>
  (report.scenarios.find((s) => s.id === profile)?.workflows ?? []).flatMap((w) =>
    [...w.steps.flatMap((st) => st.failures), ...w.failures]
      .filter((f) => f.check === check)
      .map((f) => f.message),
  )

test.each(CLEAN.map((c) => [c.variation, c.id] as const))(
  'a provider %s reaches level 4 with 100 on both profiles',
  async (_, id) => {
    const { code, report } = await run({
      'ee-population-register': providers.base(id, 'population'),
      'ua-legal-entities-register': providers.base(id, 'legal-entities'),
    })
    expect(report.scorecards.map((c) => `${c.profile} ${c.level} ${c.score}`)).toEqual([
      'ee-population-register 4 100',
      'ua-legal-entities-register 4 100',
    ])
    expect(report.summary.checks.failed).toBe(0)
    expect(code).toBe(0)
  },
)

const title = (d: Defect): string =>
  `${d.id} (${d.profile}): ${d.mistake}; at most level ${d.ceiling}, ${d.check} fails`

test.each(DEFECTS.map((d) => [title(d), d] as const))('%s', async (_, defect) => {
  const other = PROFILES.find((p) => p !== defect.profile) as Profile
  const bases = { [other]: providers.base('clean', REGISTER[other]) } as Record<Profile, string>
  let partner = EXAMPLE
  if (defect.id === 'provider-down') {
    bases[defect.profile] = `http://127.0.0.1:${await closedPort()}/${REGISTER[defect.profile]}`
  } else if (defect.id === 'outsider-granted') {
    bases[defect.profile] = providers.base('clean', REGISTER[defect.profile])
    partner = grantingOutsider()
  } else {
    bases[defect.profile] = providers.base(defect.id, REGISTER[defect.profile])
  }
  // Long enough for the clean profile's calls on a busy machine, short enough for a fast suite.
  const options = defect.id === 'hangs' ? ['--timeout', '1000'] : []
  providers.requests.clear()

  const { code, stdout, report } = await run(bases, { partner, options })

  // Soft: a row reports every expectation it misses, not only the first.
  const card = report.scorecards.find((c) => c.profile === defect.profile)
  expect.soft(card?.level).toBeLessThanOrEqual(defect.ceiling)
  expect.soft(failingChecks(report, 'md-test', defect.profile)).toContain(defect.check)
  if (defect.says) {
    expect.soft(messages(report, defect.profile, defect.check).join('\n')).toContain(defect.says)
  }
  // Every failure is a failure: counted in the summary too.
  expect.soft(report.summary.checks.failed).toBeGreaterThan(0)
  if (defect.score !== undefined) expect.soft(card?.score).toBe(defect.score)
  if (defect.console) {
    const wanted = defect.console.replace('{calls}', String(providers.requests.get(defect.id) ?? 0))
    const lines = stdout.split('\n').filter((line) => line.includes(wanted))
    expect.soft(lines).toHaveLength(1)
    expect.soft(lines.join('\n')).toContain(new URL(bases[defect.profile]).origin)
  }
  expect.soft(report.scorecards.find((c) => c.profile === other)).toMatchObject({
    level: 4,
    score: 100,
  })
  expect.soft(code).toBe(1)
})

test('the suite covers at least 25 defects across all four levels', () => {
  expect(DEFECTS.length).toBeGreaterThanOrEqual(25)
  // A mistake that costs level L + 1 leaves at most level L.
  expect(new Set(DEFECTS.map((d) => d.ceiling))).toEqual(new Set([0, 1, 2, 3]))
  expect(new Set(DEFECTS.map((d) => d.profile))).toEqual(new Set(PROFILES))
})
