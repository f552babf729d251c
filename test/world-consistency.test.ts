import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest'
import type { Sandbox } from '../mocks/sandbox/index.ts'
import { loadFederation } from '../specs/federation/index.ts'
import { loadSpec } from '../specs/openapi/index.ts'
import { requestBodyExample } from './helpers/examples.ts'
import { callAs, newSandbox, type Answer, type MemberCall } from './helpers/sandbox.ts'
import {
  cast,
  castPerson,
  estonianCode,
  worldSeed,
  type CastCompany,
  type CastPerson,
} from './helpers/world.ts'

// The registers agree with the cast and with each other, asked through the security servers by
// members that hold the access rights, across the border where the story crosses it.

const federation = loadFederation()
const service = (id: string): string => {
  const found = federation.serviceById(id)
  if (!found) throw new Error(`specs/federation.yaml has no service ${id}`)
  return found.key
}
const POPULATION = service('ee-population-register')
const BUSINESS = service('ee-business-register')
const E_RESIDENCY = service('ee-e-residency')
const TAX_BOARD = service('ee-tax-board')
const EDDR = service('ua-demographic-register')
const EDR = service('ua-legal-entities-register')
const DIIA_SERVICE = service('ua-diia')
const DPS = service('ua-tax-service')

const PORTAL = 'ee-test/GOV/70006317/eesti-ee'
const PPA = 'ee-test/GOV/70008747/e-residency'
const EMTA = 'ee-test/GOV/70000349/emta'
const EE_BANK = 'ee-test/COM/14001233/kyc'
const DIIA = 'SEVDEIR-TEST/GOV/43220851/DIIA'
const UA_TAX = 'SEVDEIR-TEST/GOV/43005393/DPS'
const UA_BANK = 'SEVDEIR-TEST/GOV/44312340/KYC'

const estonians = cast.people.filter((p) => p.personalCode)
const ukrainians = cast.people.filter((p) => p.citizenship === 'UA')
// Those who hold a taxpayer number: not who refused one for their religious beliefs.
const taxpayers = ukrainians.filter((p) => p.rnokpp !== undefined)
const eResidents = cast.people.filter((p) => p.eResident?.personalCode)
const applicants = cast.people.filter((p) => p.eResident)
const eeCompanies = cast.companies.filter((c) => c.country === 'EE' && c.status !== 'founding')
const uaCompanies = cast.companies.filter((c) => c.country === 'UA')
const kovalenkoDigital = cast.companies.find((c) => c.id === 'kovalenko-digital') as CastCompany

let sandbox: Sandbox
beforeAll(async () => {
  sandbox = await newSandbox()
})
afterAll(() => sandbox?.close())
beforeEach(() => sandbox.reset())

const ask = (call: MemberCall, on: Sandbox = sandbox) => callAs(on, call)
const askAll = (calls: MemberCall[]) => Promise.all(calls.map((c) => ask(c)))
const fullName = (p: CastPerson) => `${p.givenName} ${p.familyName}`
const byJson = <T>(items: T[]) =>
  [...items].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))

/** The fields named, leaving out those the record does not have. */
const pick = (value: unknown, keys: string[]): Record<string, unknown> => {
  const record = (value ?? {}) as Record<string, unknown>
  return Object.fromEntries(keys.filter((k) => record[k] !== undefined).map((k) => [k, record[k]]))
}

const body = <T>(answer: Answer) => answer.body as T

test('finds every person of the cast with a personal code in the population register as the cast describes them', async () => {
  const answers = await askAll(
    estonians.map((p) => ({
      client: PORTAL,
      service: POPULATION,
      path: `/persons/${p.personalCode}`,
    })),
  )
  const keys = ['personalCode', 'givenName', 'familyName', 'sex', 'birthDate', 'birthPlace']
  expect(
    answers.map((a) => ({
      http: a.status,
      ...pick(a.body, [...keys, 'citizenship', 'status', 'deathDate']),
    })),
  ).toEqual(
    estonians.map((p) => ({
      http: 200,
      ...pick(p, keys),
      citizenship: p.citizenship,
      status: p.deceased ? 'deceased' : 'alive',
      ...(p.deceased ? { deathDate: p.deceased } : {}),
    })),
  )
})

type EddrPerson = {
  unzr: string
  rnokpp: string
  firstName: string
  lastName: string
  patronymic: string
  firstNameLatin: string
  lastNameLatin: string
  birthDate: string
  sex: string
  birthPlaceLatin?: string
  citizenship: string
  status: string
  deathDate?: string
}

/** How ЄДДР should record a Ukrainian of the cast. */
const eddrView = (p: CastPerson) => ({
  http: 200,
  unzr: p.unzr,
  rnokpp: p.rnokpp,
  nativeName: p.nativeName,
  latinName: fullName(p),
  birthDate: p.birthDate,
  sex: p.sex,
  birthPlace: p.birthPlace,
  citizenship: p.citizenship,
  status: p.deceased ? 'deceased' : 'active',
  deathDate: p.deceased,
})

const asEddrView = (http: number, r: EddrPerson | undefined) => ({
  http,
  unzr: r?.unzr,
  rnokpp: r?.rnokpp,
  nativeName: r && `${r.firstName} ${r.lastName}`,
  latinName: r && `${r.firstNameLatin} ${r.lastNameLatin}`,
  birthDate: r?.birthDate,
  sex: r?.sex,
  birthPlace: r?.birthPlaceLatin,
  citizenship: r?.citizenship,
  status: r?.status,
  deathDate: r?.deathDate,
})

test('finds every Ukrainian of the cast in ЄДДР by UNZR from Estonia, across the border', async () => {
  const answers = await askAll(
    ukrainians.map((p) => ({ client: PPA, service: EDDR, path: `/persons/${p.unzr}` })),
  )
  expect(answers.map((a) => asEddrView(a.status, body<EddrPerson>(a)))).toEqual(
    ukrainians.map(eddrView),
  )
})

test('finds every Ukrainian of the cast with an RNOKPP in ЄДДР by it, as the only person with it', async () => {
  const answers = await askAll(
    taxpayers.map((p) => ({ client: DIIA, service: EDDR, path: `/persons?rnokpp=${p.rnokpp}` })),
  )
  expect(
    answers.map((a) => {
      const persons = body<{ persons: EddrPerson[] }>(a).persons ?? []
      return { ...asEddrView(a.status, persons[0]), matches: persons.length }
    }),
  ).toEqual(taxpayers.map((p) => ({ ...eddrView(p), matches: 1 })))
})

test('knows every Ukrainian of the cast with an RNOKPP at the State Tax Service under the name ЄДДР records', async () => {
  const [answers, records] = await Promise.all([
    askAll(taxpayers.map((p) => ({ client: EMTA, service: DPS, path: `/taxpayers/${p.rnokpp}` }))),
    askAll(taxpayers.map((p) => ({ client: DIIA, service: EDDR, path: `/persons/${p.unzr}` }))),
  ])
  type Taxpayer = {
    rnokpp: string
    name: string
    nameLatin: string
    registrationStatus: { code: string }
  }
  expect(
    answers.map((a) => {
      const t = body<Taxpayer>(a)
      return {
        http: a.status,
        rnokpp: t.rnokpp,
        name: t.name,
        nameLatin: t.nameLatin,
        registration: t.registrationStatus?.code,
      }
    }),
  ).toEqual(
    taxpayers.map((p, i) => {
      const r = body<EddrPerson>(records[i] as Answer)
      return {
        http: 200,
        rnokpp: p.rnokpp,
        name: `${r.lastName} ${r.firstName} ${r.patronymic}`,
        nameLatin: fullName(p),
        registration: p.deceased ? 'deregistered' : 'registered',
      }
    }),
  )
})

test('holds an active e-Residency record under the personal code of every e-resident of the cast', async () => {
  const answers = await askAll(
    eResidents.map((p) => ({
      client: PORTAL,
      service: E_RESIDENCY,
      path: `/e-residents/${estonianCode(p)}`,
    })),
  )
  expect(
    answers.map((a) => ({
      http: a.status,
      ...pick(a.body, ['personalCode', 'givenName', 'familyName', 'citizenship', 'status']),
    })),
  ).toEqual(
    eResidents.map((p) => ({
      http: 200,
      personalCode: estonianCode(p),
      givenName: p.givenName,
      familyName: p.familyName,
      citizenship: p.citizenship,
      status: 'active',
    })),
  )
})

test('does not know e-residents in the population register, which holds residents only', async () => {
  const answers = await askAll(
    eResidents.map((p) => ({
      client: PORTAL,
      service: POPULATION,
      path: `/persons/${estonianCode(p)}`,
    })),
  )
  expect(answers.map((a) => a.status)).toEqual(eResidents.map(() => 404))
})

test('holds one e-Residency application per applicant of the cast, in the state the cast gives it', async () => {
  const ids = (
    worldSeed('ee-e-residency') as { applications: { applicationId: string }[] }
  ).applications.map((a) => a.applicationId)
  const answers = await askAll(
    ids.map((id) => ({ client: PORTAL, service: E_RESIDENCY, path: `/applications/${id}` })),
  )
  type Application = {
    status: string
    personalCode?: string
    applicant: { givenName: string; familyName: string; birthDate: string; unzr?: string }
  }
  const applications = answers.map((a) => body<Application>(a))
  expect(answers.map((a) => a.status)).toEqual(ids.map(() => 200))
  expect(
    applicants.map((p) => {
      const theirs = applications.filter(
        (a) =>
          a.applicant.givenName === p.givenName &&
          a.applicant.familyName === p.familyName &&
          a.applicant.birthDate === p.birthDate,
      )
      return {
        id: p.id,
        statuses: theirs.map((a) => a.status),
        personalCodes: theirs.map((a) => a.personalCode),
        unzrs: theirs.map((a) => a.applicant.unzr),
      }
    }),
  ).toEqual(
    applicants.map((p) => ({
      id: p.id,
      statuses: [p.eResident?.status],
      personalCodes: [p.eResident?.personalCode],
      unzrs: [p.unzr],
    })),
  )
})

test('records the passports of Ukrainian applicants and the documents Diia delivered as ЄДДР holds them', async () => {
  const ids = (
    worldSeed('ee-e-residency') as { applications: { applicationId: string }[] }
  ).applications.map((a) => a.applicationId)
  type Document = { number: string; type: string; issueDate?: string; expirationDate: string }
  type Application = {
    applicant: {
      citizenship: string
      unzr?: string
      identityDocument?: { number: string; expiryDate: string }
    }
    documents: { type: string; docNumber?: string; issueDate?: string; expirationDate?: string }[]
  }
  const applications = (
    await askAll(
      ids.map((id) => ({ client: PORTAL, service: E_RESIDENCY, path: `/applications/${id}` })),
    )
  )
    .map((a) => body<Application>(a))
    .filter((a) => a.applicant.citizenship === 'UA')
  const registered = await askAll(
    applications.map((a) => ({ client: PPA, service: EDDR, path: `/persons/${a.applicant.unzr}` })),
  )
  const seen = applications.map((a, i) => {
    const documents = body<{ documents: Document[] }>(registered[i] as Answer).documents ?? []
    const held = (number: string | undefined) => documents.find((d) => d.number === number)
    const passport = a.applicant.identityDocument
    return {
      passport: passport && { number: passport.number, expirationDate: passport.expiryDate },
      delivered: a.documents.map((d) => ({
        number: d.docNumber,
        type: d.type,
        issueDate: d.issueDate,
        expirationDate: d.expirationDate,
      })),
      held: {
        passport: passport && pick(held(passport.number), ['number', 'expirationDate']),
        delivered: a.documents.map((d) =>
          pick(held(d.docNumber), ['number', 'type', 'issueDate', 'expirationDate']),
        ),
      },
    }
  })
  expect(seen.map((s) => s.held)).toEqual(
    seen.map((s) => ({ passport: s.passport, delivered: s.delivered })),
  )
  expect(seen.flatMap((s) => s.delivered)).not.toEqual([])
})

test('validates every barcode Diia shows as ЄДДР records the document under it', async () => {
  type Barcode = { barcode: string; unzr: string; documentType: string }
  const barcodes = (worldSeed('ua-diia') as { barcodes: Barcode[] }).barcodes
  const session = await ask({
    client: PPA,
    service: DIIA_SERVICE,
    path: '/api/v1/auth/acquirer/sandbox-acquirer-e-residency',
  })
  const authorization = `Bearer ${body<{ token: string }>(session).token}`
  const [checked, registered] = await Promise.all([
    askAll(
      barcodes.map((b) => ({
        client: PPA,
        service: DIIA_SERVICE,
        method: 'POST',
        path: '/api/v1/acquirers/document-identification',
        headers: { authorization },
        body: { branchId: 'branch-0001', barcode: b.barcode },
      })),
    ),
    askAll(barcodes.map((b) => ({ client: PPA, service: EDDR, path: `/persons/${b.unzr}` }))),
  ])
  type Held = { documents: { type: string; valid: boolean }[] }
  expect(checked.map((a) => ({ http: a.status, ...pick(a.body, ['success']) }))).toEqual(
    barcodes.map((b, i) => {
      const of = body<Held>(registered[i] as Answer).documents.filter(
        (d) => d.type === b.documentType,
      )
      return { http: 200, success: of.length > 0 && of.some((d) => d.valid) }
    }),
  )
})

test('finds every Estonian company of the cast in the business register with the cast’s founders and board', async () => {
  const [companies, representatives] = await Promise.all([
    askAll(
      eeCompanies.map((c) => ({
        client: EE_BANK,
        service: BUSINESS,
        path: `/companies/${c.registryCode}`,
      })),
    ),
    askAll(
      eeCompanies.map((c) => ({
        client: PORTAL,
        service: BUSINESS,
        path: `/companies/${c.registryCode}/representatives`,
      })),
    ),
  ])
  expect(
    companies.map((a) => ({
      http: a.status,
      ...pick(a.body, ['registryCode', 'name', 'status', 'founded', 'deleted']),
    })),
  ).toEqual(
    eeCompanies.map((c) => ({
      http: 200,
      ...pick(c, ['registryCode', 'name', 'status', 'founded', 'deleted']),
    })),
  )
  type Representative = {
    personalCode: string
    codeType: string
    givenName: string
    familyName: string
    role: string
  }
  expect(
    representatives.map((a) =>
      byJson(
        (body<{ items: Representative[] }>(a).items ?? []).map((r) =>
          pick(r, ['role', 'personalCode', 'codeType', 'givenName', 'familyName']),
        ),
      ),
    ),
  ).toEqual(eeCompanies.map(expectedRepresentatives))
})

const expectedRepresentatives = (c: CastCompany) =>
  byJson(
    (
      [
        ['founder', c.people.founders ?? []],
        ['board-member', c.people.board ?? []],
      ] as const
    ).flatMap(([role, ids]) =>
      ids.map((id) => {
        const p = castPerson(id)
        return {
          role,
          personalCode: estonianCode(p),
          codeType: p.personalCode ? 'personal-code' : 'e-resident-code',
          givenName: p.givenName,
          familyName: p.familyName,
        }
      }),
    ),
  )

test('finds every Ukrainian company of the cast in ЄДР from Estonia, with the cast’s founders and heads as ЄДДР names them', async () => {
  const answers = await askAll(
    uaCompanies.map((c) => ({
      client: EE_BANK,
      service: EDR,
      path: `/legal-entities/${c.edrpou}`,
    })),
  )
  const people = [
    ...new Set(
      uaCompanies.flatMap((c) => [...(c.people.founders ?? []), ...(c.people.heads ?? [])]),
    ),
  ]
  const records = new Map(
    await Promise.all(
      people.map(async (id) => {
        const answer = await ask({
          client: DIIA,
          service: EDDR,
          path: `/persons/${castPerson(id).unzr}`,
        })
        const r = body<EddrPerson>(answer)
        return [id, `${r.lastName} ${r.firstName} ${r.patronymic}`] as const
      }),
    ),
  )
  type Entity = {
    edrpou: string
    shortName: string
    shortNameLatin: string
    status: { code: string }
    registrationDate: string
    founders: { name: string; nameLatin?: string; rnokpp?: string }[]
    heads: { name: string; nameLatin?: string }[]
  }
  expect(
    answers.map((a) => {
      const e = body<Entity>(a)
      return {
        http: a.status,
        edrpou: e.edrpou,
        name: e.shortName,
        nameLatin: e.shortNameLatin,
        status: e.status?.code,
        founded: e.registrationDate,
        founders: byJson((e.founders ?? []).map((f) => pick(f, ['rnokpp', 'nameLatin', 'name']))),
        heads: byJson((e.heads ?? []).map((h) => pick(h, ['nameLatin', 'name']))),
      }
    }),
  ).toEqual(
    uaCompanies.map((c) => ({
      http: 200,
      edrpou: c.edrpou,
      name: c.name,
      nameLatin: c.nameLatin,
      status: c.status,
      founded: c.founded,
      founders: byJson(
        (c.people.founders ?? []).map((id) => {
          const p = castPerson(id)
          return { rnokpp: p.rnokpp, nameLatin: fullName(p), name: records.get(id) }
        }),
      ),
      heads: byJson(
        (c.people.heads ?? []).map((id) => ({
          nameLatin: fullName(castPerson(id)),
          name: records.get(id),
        })),
      ),
    })),
  )
})

test('knows every Estonian person, e-resident and registered company of the cast at the Tax and Customs Board', async () => {
  const people = cast.people.filter((p) => estonianCode(p))
  const answers = await askAll([
    ...people.map((p) => ({
      client: PORTAL,
      service: TAX_BOARD,
      path: `/tax-debts/persons/${estonianCode(p)}`,
    })),
    ...eeCompanies.map((c) => ({
      client: PORTAL,
      service: TAX_BOARD,
      path: `/tax-debts/companies/${c.registryCode}`,
    })),
  ])
  expect(answers.map((a) => pick(a.body, ['personalCode', 'registryCode']))).toEqual([
    ...people.map((p) => ({ personalCode: estonianCode(p) })),
    ...eeCompanies.map((c) => ({ registryCode: c.registryCode })),
  ])
})

test('certifies the Estonian tax residency of the cast under the names the cast gives, for 2025', async () => {
  const people = cast.people.filter((p) => estonianCode(p))
  const companies = eeCompanies
  const certify = (holder: Record<string, string | undefined>) =>
    ask({
      client: UA_TAX,
      service: TAX_BOARD,
      method: 'POST',
      path: '/tax-residency-certificates',
      body: { ...holder, year: 2025, country: 'UA' },
    })
  const answers = [
    ...(await Promise.all(people.map((p) => certify({ personalCode: estonianCode(p) })))),
    ...(await Promise.all(companies.map((c) => certify({ registryCode: c.registryCode })))),
  ]
  // E-residents are not resident in Estonia, nor were the dead or the deleted in 2025.
  expect(
    answers.map((a) => (a.status === 201 ? body<{ holder: unknown }>(a).holder : a.status)),
  ).toEqual([
    ...people.map((p) =>
      p.personalCode && !p.deceased ? { personalCode: p.personalCode, name: fullName(p) } : 409,
    ),
    ...companies.map((c) =>
      c.status === 'registered' ? { registryCode: c.registryCode, name: c.name } : 409,
    ),
  ])
})

test('certifies the Ukrainian tax residency of every Ukrainian company of the cast under its ЄДР names', async () => {
  const answers = await Promise.all(
    uaCompanies.map((c) =>
      ask({
        client: EMTA,
        service: DPS,
        method: 'POST',
        path: '/tax-residency-certificates',
        body: { edrpou: c.edrpou, year: 2025, country: 'EE' },
      }),
    ),
  )
  expect(
    answers.map((a) => ({
      http: a.status,
      ...pick(body<{ taxpayer: unknown }>(a).taxpayer, ['edrpou', 'name', 'nameLatin']),
    })),
  ).toEqual(
    uaCompanies.map((c) => ({ http: 201, edrpou: c.edrpou, name: c.name, nameLatin: c.nameLatin })),
  )
})

const companyCalls = (client: string): MemberCall[] => [
  { client, service: BUSINESS, path: `/companies/${kovalenkoDigital.registryCode}` },
  {
    client,
    service: BUSINESS,
    path: `/companies/${kovalenkoDigital.registryCode}/representatives`,
  },
]

/** A named request body example of a bundled spec, e.g. `ee/business-register`. */
const exampleBody = async (spec: string, operationId: string, name: string) =>
  requestBodyExample(
    await loadSpec(fileURLToPath(new URL(`../specs/${spec}.yaml`, import.meta.url))),
    operationId,
    name,
  )

test('registers Kovalenko Digital OÜ only when its founding application is decided, and forgets it on reset', async () => {
  const [before] = await askAll(companyCalls(PORTAL))
  expect(before?.status).toBe(404)

  const application = await ask({
    client: PORTAL,
    service: BUSINESS,
    method: 'POST',
    path: '/founding-applications',
    body: await exampleBody(
      'ee/business-register',
      'submitFoundingApplication',
      'kovalenkoDigital',
    ),
  })
  expect(application.status).toBe(201)
  expect(application.body).toMatchObject({
    status: 'registered',
    companyName: kovalenkoDigital.name,
    registryCode: kovalenkoDigital.registryCode,
  })

  const [company, representatives] = await askAll(companyCalls(PORTAL))
  expect(company?.body).toMatchObject({
    registryCode: kovalenkoDigital.registryCode,
    name: kovalenkoDigital.name,
    status: 'registered',
  })
  const items = body<{ items: Record<string, unknown>[] }>(representatives as Answer).items
  expect(
    byJson(
      items.map((r) => pick(r, ['role', 'personalCode', 'codeType', 'givenName', 'familyName'])),
    ),
  ).toEqual(expectedRepresentatives(kovalenkoDigital))

  // A Ukrainian bank sees the new company too, asking across the border.
  const [fromUkraine] = await askAll(companyCalls(UA_BANK))
  expect(fromUkraine?.status).toBe(200)

  sandbox.reset()
  const [after] = await askAll(companyCalls(PORTAL))
  expect(after?.status).toBe(404)
})

/**
 * The cross-border story end to end: the company is founded, Olena applies for e-Residency
 * (checked in ЄДДР), shares her passport from Diia (read from ЄДДР, delivered to e-Residency), and
 * the Ukrainian tax service has the Estonian tax board certify Martin Kuusik's residency.
 */
const story = async (on: Sandbox) => {
  const step = (call: MemberCall) => ask(call, on)
  const [company, representatives] = companyCalls(PORTAL) as [MemberCall, MemberCall]
  const answers = {
    before: await step(company),
    founding: await step({
      client: PORTAL,
      service: BUSINESS,
      method: 'POST',
      path: '/founding-applications',
      body: await exampleBody(
        'ee/business-register',
        'submitFoundingApplication',
        'kovalenkoDigital',
      ),
    }),
    company: await step(company),
    representatives: await step(representatives),
    application: await step({
      client: PORTAL,
      service: E_RESIDENCY,
      method: 'POST',
      path: '/applications',
      body: await exampleBody('ee/e-residency', 'submitApplication', 'olenaKovalenko'),
    }),
  }
  const { applicationId, diiaRequestId } = answers.application.body as Record<string, string>
  const session = await step({
    client: PPA,
    service: DIIA_SERVICE,
    path: '/api/v1/auth/acquirer/sandbox-acquirer-e-residency',
  })
  const offerRequest = await step({
    client: PPA,
    service: DIIA_SERVICE,
    method: 'POST',
    path: '/api/v2/acquirers/branch/branch-0001/offer-request/dynamic',
    headers: { authorization: `Bearer ${(session.body as { token: string }).token}` },
    body: { offerId: 'offer-0001', requestId: diiaRequestId },
  })
  const consent = await step({
    client: PPA,
    service: DIIA_SERVICE,
    method: 'POST',
    path: `/sandbox/offer-requests/${diiaRequestId}/consent`,
    body: { unzr: castPerson('olena-kovalenko').unzr },
  })
  return {
    ...answers,
    session,
    offerRequest,
    consent,
    withDocuments: await step({
      client: PORTAL,
      service: E_RESIDENCY,
      path: `/applications/${applicationId}`,
    }),
    certificate: await step({
      client: UA_TAX,
      service: TAX_BOARD,
      method: 'POST',
      path: '/tax-residency-certificates',
      body: await exampleBody('ee/tax-board', 'issueTaxResidencyCertificate', 'martinKuusik'),
    }),
  }
}

// Ids the security servers assign afresh for every message, and the request hash that covers them.
const PER_MESSAGE = ['x-road-id', 'x-road-request-id', 'x-road-request-hash', 'uxp-queryid']

const fingerprint = (answers: Record<string, Answer>, ignore: string[] = []) =>
  Object.entries(answers).map(([step, a]) => ({
    step,
    status: a.status,
    headers: [...a.headers].filter(([name]) => ![...PER_MESSAGE, ...ignore].includes(name)),
    body: a.text,
  }))

test('tells the cross-border story step by step: Diia delivers the passport to the application', async () => {
  const answers = await story(sandbox)
  expect(Object.fromEntries(Object.entries(answers).map(([step, a]) => [step, a.status]))).toEqual({
    before: 404,
    founding: 201,
    company: 200,
    representatives: 200,
    application: 201,
    session: 200,
    offerRequest: 200,
    consent: 200,
    withDocuments: 200,
    certificate: 201,
  })
  expect(answers.consent.body).toMatchObject({ status: 'delivered' })
  expect(answers.withDocuments.body).toMatchObject({
    status: 'background-check',
    backgroundCheck: { outcome: 'passed' },
    documents: [expect.objectContaining({ source: 'diia', type: 'foreign-passport' })],
  })
})

test('gives byte-identical answers in two fresh sandboxes, apart from per-message ids', async () => {
  const [one, two] = await Promise.all([newSandbox(), newSandbox()])
  try {
    const first = fingerprint(await story(one))
    const second = fingerprint(await story(two))
    expect(second).toEqual(first)
  } finally {
    await Promise.all([one.close(), two.close()])
  }
})

test('gives the same answers again after a reset, apart from the message log’s growing references', async () => {
  const first = fingerprint(await story(sandbox), ['x-sild-log'])
  sandbox.reset()
  const again = fingerprint(await story(sandbox), ['x-sild-log'])
  expect(again).toEqual(first)
})
