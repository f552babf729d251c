import { readFileSync } from 'node:fs'
import { expect, test } from 'vitest'
import { parse } from 'yaml'
import type { MockRequest, MockResponse, Peers } from '../types.ts'
import { uaLegalEntitiesRegister } from './index.ts'

const peers: Peers = {
  call: async () => {
    throw new Error('ЄДР calls no other service')
  },
}

const getLegalEntity = async (edrpou: string): Promise<MockResponse> => {
  const handler = uaLegalEntitiesRegister.handlers.getLegalEntity
  if (!handler) throw new Error('no handler for getLegalEntity')
  const request: MockRequest = {
    operationId: 'getLegalEntity',
    method: 'GET',
    path: `/legal-entities/${edrpou}`,
    pathParams: { edrpou },
    query: new URLSearchParams(),
    headers: new Headers(),
    body: undefined,
  }
  return handler(request, { state: uaLegalEntitiesRegister.seed(), peers })
}

test('returns a legal entity with its head, founder, activities and capital', async () => {
  const response = await getLegalEntity('38123450')
  expect(response.status).toBe(200)
  expect(response.body).toMatchObject({
    edrpou: '38123450',
    shortName: 'ТОВ «Карпатські програмні системи»',
    shortNameLatin: 'Karpaty Software LLC',
    legalForm: { code: '240' },
    status: { code: 'registered', name: 'зареєстровано' },
    registrationDate: '2012-04-18',
    heads: [{ nameLatin: 'Dmytro Moroz', role: 'director' }],
    founders: [{ nameLatin: 'Andrii Shevchenko', rnokpp: '3122911413', country: 'UA', share: 100 }],
    activities: [
      { code: '62.01', primary: true },
      { code: '62.02', primary: false },
    ],
    authorisedCapital: { amount: 100000, currency: 'UAH' },
  })
})

test('shows a company being wound up with its liquidator', async () => {
  const response = await getLegalEntity('33333337')
  expect(response.body).toMatchObject({
    status: { code: 'terminating', name: 'в стані припинення' },
    termination: { startDate: '2025-03-10' },
    heads: [{ nameLatin: 'Yuliia Savchenko', role: 'liquidator' }],
  })
})

test('answers 404 for an EDRPOU code the register does not hold', async () => {
  const response = await getLegalEntity('12345674')
  expect(response.status).toBe(404)
  expect(response.body).toMatchObject({ type: 'urn:sild:problem:not-found' })
})

test("matches the cast's Ukrainian companies, their heads and founders", () => {
  type CastCompany = {
    country: string
    name: string
    nameLatin?: string
    edrpou?: string
    status: string
    founded: string
    people: { founders?: string[]; heads?: string[] }
  }
  type CastPerson = { id: string; givenName: string; familyName: string; rnokpp?: string }
  const cast = parse(readFileSync(new URL('../../world/cast.yaml', import.meta.url), 'utf8')) as {
    people: CastPerson[]
    companies: CastCompany[]
  }
  const latin = (id: string) => {
    const p = cast.people.find((x) => x.id === id)
    return `${p?.givenName} ${p?.familyName}`
  }
  const ukrainian = cast.companies.filter((c) => c.country === 'UA')
  const { legalEntities } = uaLegalEntitiesRegister.seed()
  expect(legalEntities.map((e) => e.edrpou).sort()).toEqual(ukrainian.map((c) => c.edrpou).sort())
  for (const company of ukrainian) {
    const entity = legalEntities.find((e) => e.edrpou === company.edrpou)
    expect(entity, company.edrpou).toMatchObject({
      shortName: company.name,
      shortNameLatin: company.nameLatin,
      registrationDate: company.founded,
      status: { code: company.status },
    })
    expect(entity?.heads.map((h) => h.nameLatin)).toEqual((company.people.heads ?? []).map(latin))
    expect(entity?.founders.map((f) => f.nameLatin)).toEqual(
      (company.people.founders ?? []).map(latin),
    )
    for (const founder of entity?.founders ?? []) {
      const person = cast.people.find((p) => `${p.givenName} ${p.familyName}` === founder.nameLatin)
      expect(founder.rnokpp).toBe(person?.rnokpp)
    }
  }
})

test('two seeds are independent of each other', () => {
  const first = uaLegalEntitiesRegister.seed()
  const second = uaLegalEntitiesRegister.seed()
  first.legalEntities[0]!.status = { code: 'terminated', name: 'припинено' }
  expect(second.legalEntities[0]!.status.code).toBe('registered')
})
