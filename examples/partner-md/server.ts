/**
 * md-test's implementation of two Sild profiles, as a partner team might write it: a plain Node
 * HTTP server with the population register under /population and the legal-entities register under
 * /legal-entities. Start it with `npx tsx examples/partner-md/server.ts --port 8090`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { pathToFileURL } from 'node:url'
import { stdnum } from 'stdnum'
import { LEGAL_ENTITIES, PERSONS, type PersonRecord } from './data.ts'

/**
 * Deliberate defects, one per check they break, for the tests that show a scorecard finds each:
 * - `no-citizenship`: a person is answered without the required `citizenship` field.
 * - `stack-trace`: the population register's 400 answers carry a stack trace.
 * - `lenient-check-digit`: the legal-entities register looks up codes whatever their check digit.
 * - `wrong-name`: the legal-entities register gives the national short name as the Latin one.
 */
export type Defect = 'no-citizenship' | 'stack-trace' | 'lenient-check-digit' | 'wrong-name'

export const DEFECTS: readonly Defect[] = [
  'no-citizenship',
  'stack-trace',
  'lenient-check-digit',
  'wrong-name',
]

export type PartnerServerOptions = { host?: string; port?: number; defects?: readonly Defect[] }

export type PartnerServer = { url: string; close(): Promise<void> }

type Answer = { status: number; body: unknown; problem?: boolean }

const PROBLEM_TITLES: Record<string, string> = {
  'not-found': 'Not found',
  'invalid-identifier': 'Invalid identifier',
  'validation-failed': 'Validation failed',
}

const problem = (status: number, kind: string, detail: string, name?: string): Answer => ({
  status,
  problem: true,
  body: {
    type: `urn:sild:problem:${kind}`,
    title: PROBLEM_TITLES[kind],
    status,
    detail,
    ...(name ? { invalidParams: [{ name, reason: detail }] } : {}),
  },
})

const isPersonalCode = (code: string): boolean =>
  /^\d{11}$/.test(code) && stdnum.EE?.ik?.validate(code).isValid === true

const isEdrpou = (code: string, lenient: boolean): boolean =>
  /^\d{8}$/.test(code) && (lenient || stdnum.UA?.edrpou?.validate(code).isValid === true)

const fold = (s: string): string => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim()

const person = ({ residence, ...p }: PersonRecord, defects: readonly Defect[]): unknown => {
  const { citizenship, ...rest } = p
  const answer = defects.includes('no-citizenship') ? rest : { ...rest, citizenship }
  if (!residence) return answer
  const { fullAddress, county, municipality, postalCode } = residence.address
  return { ...answer, residence: { fullAddress, county, municipality, postalCode } }
}

const population = (path: string, query: URLSearchParams, defects: readonly Defect[]): Answer => {
  if (path === '/persons') {
    const criteria = ['givenName', 'familyName', 'birthDate'] as const
    if (!criteria.some((c) => query.get(c))) {
      return problem(
        400,
        'validation-failed',
        'Give at least one of givenName, familyName, birthDate',
      )
    }
    const items = PERSONS.filter((p) =>
      criteria.every((c) => {
        const wanted = query.get(c)
        return !wanted || fold(p[c]) === fold(wanted)
      }),
    ).map(({ personalCode, givenName, familyName, birthDate, status }) => ({
      personalCode,
      givenName,
      familyName,
      birthDate,
      status,
    }))
    return { status: 200, body: { total: items.length, items } }
  }
  const m = /^\/persons\/([^/]+)(\/residence)?$/.exec(path)
  if (!m) return problem(404, 'not-found', `No resource ${path}`)
  const code = decodeURIComponent(m[1] as string)
  if (!isPersonalCode(code)) {
    const detail = defects.includes('stack-trace')
      ? `Invalid personal code\n    at parseCode (/opt/app/src/population.js:42:13)`
      : 'personalCode: not a valid personal code (11 digits with a check digit)'
    return problem(400, 'invalid-identifier', detail, 'personalCode')
  }
  const found = PERSONS.find((p) => p.personalCode === code)
  if (!found) return problem(404, 'not-found', `No person with personal code ${code}`)
  if (!m[2]) return { status: 200, body: person(found, defects) }
  if (!found.residence) return problem(404, 'not-found', `Person ${code} has no current residence`)
  return { status: 200, body: { personalCode: code, ...found.residence } }
}

const legalEntities = (path: string, defects: readonly Defect[]): Answer => {
  const m = /^\/legal-entities\/([^/]+)$/.exec(path)
  if (!m) return problem(404, 'not-found', `No resource ${path}`)
  const code = decodeURIComponent(m[1] as string)
  if (!isEdrpou(code, defects.includes('lenient-check-digit'))) {
    return problem(400, 'invalid-identifier', 'edrpou: not a valid EDRPOU code', 'edrpou')
  }
  const found = LEGAL_ENTITIES.find((e) => e.edrpou === code)
  if (!found) return problem(404, 'not-found', `No legal entity with EDRPOU code ${code}`)
  if (!defects.includes('wrong-name')) return { status: 200, body: found }
  return { status: 200, body: { ...found, shortNameLatin: found.shortName } }
}

const route = (request: IncomingMessage, defects: readonly Defect[]): Answer => {
  const url = new URL(request.url ?? '/', 'http://md-test.invalid')
  if (request.method !== 'GET') return problem(404, 'not-found', `No ${request.method} here`)
  if (url.pathname.startsWith('/population/')) {
    return population(url.pathname.slice('/population'.length), url.searchParams, defects)
  }
  if (url.pathname.startsWith('/legal-entities/')) {
    return legalEntities(url.pathname.slice('/legal-entities'.length), defects)
  }
  return problem(404, 'not-found', `No resource ${url.pathname}`)
}

const send = (response: ServerResponse, answer: Answer): void => {
  const text = JSON.stringify(answer.body)
  response.writeHead(answer.status, {
    'content-type': answer.problem ? 'application/problem+json' : 'application/json',
    'content-length': Buffer.byteLength(text),
  })
  response.end(text)
}

/** Starts md-test's registers on `host:port` (port 0 picks a free one). */
export const startPartnerServer = async ({
  host = '127.0.0.1',
  port = 0,
  defects = [],
}: PartnerServerOptions = {}): Promise<PartnerServer> => {
  const server = createServer(function mdTestRegisters(request, response) {
    send(response, route(request, defects))
  })
  await new Promise<void>((resolve) => server.listen(port, host, resolve))
  const { port: bound } = server.address() as AddressInfo
  return {
    url: `http://${host}:${bound}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

const isMain =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href

if (isMain) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name)
    return i > 0 ? process.argv[i + 1] : undefined
  }
  const defects = (arg('--defects') ?? '').split(',').filter(Boolean) as Defect[]
  const server = await startPartnerServer({ port: Number(arg('--port') ?? 8090), defects })
  process.stdout.write(
    `md-test registers listening on ${server.url} (population: ${server.url}/population, legal entities: ${server.url}/legal-entities)${defects.length ? ` with defects ${defects.join(', ')}` : ''}\n`,
  )
}
