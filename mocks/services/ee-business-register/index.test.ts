import { beforeAll, expect, test } from 'vitest'
import { loadEeContract, type EeContract } from '../../../specs/ee/contract/index.ts'
import { eeEResidency } from '../ee-e-residency/index.ts'
import { eePopulationRegister } from '../ee-population-register/index.ts'
import { cast, fakePeers, invoke, type FakeAnswer, type RequestInit } from '../ee-test-kit/index.ts'
import type { PeerCall, Peers } from '../types.ts'
import {
  E_RESIDENCY,
  POPULATION_REGISTER,
  eeBusinessRegister,
  type BusinessRegisterState,
  type FoundingApplicationRequest,
} from './index.ts'

let contract: EeContract
beforeAll(async () => {
  contract = await loadEeContract('business-register.yaml')
})

const call = async (
  state: BusinessRegisterState,
  operationId: string,
  init: RequestInit = {},
  peers?: Peers,
) => {
  const response = await invoke(eeBusinessRegister, state, operationId, init, peers)
  expect(contract.responseErrors(operationId, response.status, response.body)).toEqual([])
  return response
}

const OLENA = '49003147126'
const ANDRII = '38507027138'
const UNKNOWN = '38001085718'

const kovalenkoDigital = (): FoundingApplicationRequest => ({
  companyName: 'Kovalenko Digital OÜ',
  legalForm: 'OÜ',
  shareCapital: { amount: 2500, currency: 'EUR' },
  address: {
    county: 'Harju maakond',
    municipality: 'Tallinn',
    settlement: 'Kesklinna linnaosa',
    street: 'Narva mnt',
    house: '5',
    postalCode: '10117',
  },
  activity: { emtakCode: '62011' },
  founders: [{ personalCode: OLENA, share: { amount: 2500, currency: 'EUR' } }],
  board: [{ personalCode: OLENA }, { personalCode: ANDRII }],
})

const eResident = (givenName: string, familyName: string, status = 'active'): FakeAnswer => ({
  status: 200,
  body: { givenName, familyName, status },
})

/** Olena and Andrii are active e-residents and not in the population register. */
const eResidentPeers = () =>
  fakePeers(({ service, path }) => {
    if (service !== E_RESIDENCY) return undefined
    if (path === `/e-residents/${OLENA}`) return eResident('Olena', 'Kovalenko')
    if (path === `/e-residents/${ANDRII}`) return eResident('Andrii', 'Shevchenko')
    return undefined
  })

const found = (state: BusinessRegisterState, init: RequestInit, peers: Peers) =>
  call(state, 'submitFoundingApplication', init, peers)

test('returns a company without its representatives', async () => {
  const { status, body } = await call(eeBusinessRegister.seed(), 'getCompany', {
    pathParams: { registryCode: '12345678' },
  })
  expect(status).toBe(200)
  expect(body).toMatchObject({
    name: 'Tamm & Kask OÜ',
    legalForm: 'OÜ',
    status: 'registered',
    founded: '2012-09-01',
  })
  expect(body).not.toHaveProperty('representatives')
})

test('returns a deleted company with the date it was deleted', async () => {
  const { body } = await call(eeBusinessRegister.seed(), 'getCompany', {
    pathParams: { registryCode: '10888883' },
  })
  expect(body).toMatchObject({ status: 'deleted', deleted: '2021-12-31' })
})

test('lists board members and founders with e-resident codes', async () => {
  const { body } = await call(eeBusinessRegister.seed(), 'getRepresentatives', {
    pathParams: { registryCode: '16000002' },
  })
  expect(body).toMatchObject({
    companyName: 'Baltic Ledger OÜ',
    items: [
      {
        personalCode: ANDRII,
        codeType: 'e-resident-code',
        role: 'founder',
        share: { amount: 1500 },
      },
      { personalCode: '38705057144', codeType: 'e-resident-code', role: 'founder' },
      { personalCode: ANDRII, role: 'board-member' },
    ],
  })
})

test('answers 404 for Kovalenko Digital OÜ before it is founded', async () => {
  const state = eeBusinessRegister.seed()
  for (const operationId of ['getCompany', 'getRepresentatives']) {
    const { status, body } = await call(state, operationId, {
      pathParams: { registryCode: '16554321' },
    })
    expect(status).toBe(404)
    expect(body).toMatchObject({ type: 'urn:sild:problem:not-found' })
  }
})

test('registers a company founded by an e-resident, which is then found', async () => {
  const state = eeBusinessRegister.seed()
  const peers = eResidentPeers()
  const { status, body, headers } = await found(state, { body: kovalenkoDigital() }, peers)
  expect(status).toBe(201)
  expect(body).toEqual({
    applicationId: 'EE-FA-2026-0001',
    status: 'registered',
    submittedOn: '2026-03-02',
    companyName: 'Kovalenko Digital OÜ',
    legalForm: 'OÜ',
    registryCode: '16554321',
    registeredOn: '2026-03-02',
  })
  expect(headers?.location).toBe('/founding-applications/EE-FA-2026-0001')
  expect(peers.calls.map((c) => `${c.service} ${c.path}`)).toEqual([
    `${POPULATION_REGISTER} /persons/${OLENA}`,
    `${E_RESIDENCY} /e-residents/${OLENA}`,
    `${POPULATION_REGISTER} /persons/${ANDRII}`,
    `${E_RESIDENCY} /e-residents/${ANDRII}`,
  ])

  const company = await call(state, 'getCompany', { pathParams: { registryCode: '16554321' } })
  expect(company.body).toMatchObject({
    name: 'Kovalenko Digital OÜ',
    status: 'registered',
    founded: '2026-03-02',
    address: { fullAddress: 'Harju maakond, Tallinn, Kesklinna linnaosa, Narva mnt 5' },
    shareCapital: { amount: 2500, currency: 'EUR' },
    activity: { emtakCode: '62011' },
  })
  const representatives = await call(state, 'getRepresentatives', {
    pathParams: { registryCode: '16554321' },
  })
  expect(representatives.body).toMatchObject({
    items: [
      {
        personalCode: OLENA,
        codeType: 'e-resident-code',
        givenName: 'Olena',
        role: 'founder',
        since: '2026-03-02',
        share: { amount: 2500 },
      },
      { personalCode: OLENA, role: 'board-member' },
      { personalCode: ANDRII, familyName: 'Shevchenko', role: 'board-member' },
    ],
  })
  const application = await call(state, 'getFoundingApplication', {
    pathParams: { applicationId: 'EE-FA-2026-0001' },
  })
  expect(application.body).toEqual(body)
})

test('accepts a founder from the population register with their personal code', async () => {
  const state = eeBusinessRegister.seed()
  const peers = fakePeers(({ service, path }) =>
    service === POPULATION_REGISTER && path === '/persons/49812014425'
      ? { status: 200, body: { givenName: 'Eva', familyName: 'Kuusk', status: 'alive' } }
      : undefined,
  )
  const request = {
    ...kovalenkoDigital(),
    companyName: 'Kuusk Kodu OÜ',
    founders: [{ personalCode: '49812014425', share: { amount: 2500, currency: 'EUR' } }],
    board: [{ personalCode: '49812014425' }],
  }
  const { body } = await found(state, { body: request }, peers)
  expect(body).toMatchObject({ status: 'registered', registryCode: '16554321' })
  expect(peers.calls).toHaveLength(1)
  expect(state.companies.at(-1)!.representatives[0]).toMatchObject({
    codeType: 'personal-code',
    givenName: 'Eva',
  })
})

test('rejects an application whose founder neither register knows, and registers nothing', async () => {
  const state = eeBusinessRegister.seed()
  const request = {
    ...kovalenkoDigital(),
    founders: [{ personalCode: UNKNOWN, share: { amount: 2500, currency: 'EUR' as const } }],
  }
  const { status, body } = await found(state, { body: request }, eResidentPeers())
  expect(status).toBe(201)
  expect(body).toMatchObject({
    status: 'rejected',
    reasons: [{ code: 'person-not-found', personalCode: UNKNOWN }],
  })
  expect(body).not.toHaveProperty('registryCode')
  expect(state.companies.find((c) => c.name === 'Kovalenko Digital OÜ')).toBeUndefined()
  const retry = await found(state, { body: kovalenkoDigital() }, eResidentPeers())
  expect(retry.body).toMatchObject({ applicationId: 'EE-FA-2026-0002', registryCode: '16554321' })
})

test('rejects a deceased founder and an e-resident whose digital ID is not active', async () => {
  const peers = fakePeers(({ service, path }) => {
    if (path === '/persons/35504224530')
      return {
        status: 200,
        body: { givenName: 'Margus', familyName: 'Rebane', status: 'deceased' },
      }
    if (service === E_RESIDENCY && path === `/e-residents/${ANDRII}`)
      return eResident('Andrii', 'Shevchenko', 'revoked')
    return undefined
  })
  const request = {
    ...kovalenkoDigital(),
    founders: [{ personalCode: '35504224530', share: { amount: 2500, currency: 'EUR' as const } }],
    board: [{ personalCode: ANDRII }],
  }
  const { body } = await found(eeBusinessRegister.seed(), { body: request }, peers)
  expect(body).toMatchObject({
    status: 'rejected',
    reasons: [
      { code: 'person-deceased', personalCode: '35504224530' },
      {
        code: 'e-residency-not-active',
        personalCode: ANDRII,
        message: expect.stringContaining('revoked'),
      },
    ],
  })
})

test('rejects a name without its legal form, a taken name and shares that miss the capital', async () => {
  const state = eeBusinessRegister.seed()
  const noForm = await found(
    state,
    { body: { ...kovalenkoDigital(), companyName: 'Kovalenko Digital' } },
    eResidentPeers(),
  )
  expect(noForm.body).toMatchObject({
    status: 'rejected',
    reasons: [{ code: 'name-without-legal-form' }],
  })
  const taken = await found(
    state,
    { body: { ...kovalenkoDigital(), companyName: 'tamm & kask OÜ' } },
    eResidentPeers(),
  )
  expect(taken.body).toMatchObject({
    reasons: [{ code: 'name-taken', message: expect.stringContaining('12345678') }],
  })
  const shares = await found(
    state,
    { body: { ...kovalenkoDigital(), shareCapital: { amount: 3000, currency: 'EUR' } } },
    eResidentPeers(),
  )
  expect(shares.body).toMatchObject({ reasons: [{ code: 'share-capital-mismatch' }] })
})

test('rejects with verification-unavailable when a register cannot answer', async () => {
  const failing = fakePeers(() => ({
    status: 500,
    body: { type: 'Server.ServerProxy.NetworkError' },
  }))
  const throwing: Peers = {
    call: async () => {
      throw new Error('connection refused')
    },
  }
  for (const peers of [failing, throwing]) {
    const { body } = await found(eeBusinessRegister.seed(), { body: kovalenkoDigital() }, peers)
    expect(body).toMatchObject({
      status: 'rejected',
      reasons: [
        { code: 'verification-unavailable', personalCode: OLENA },
        { code: 'verification-unavailable', personalCode: ANDRII },
      ],
    })
  }
})

test('answers 404 for an unknown founding application', async () => {
  const { status } = await call(eeBusinessRegister.seed(), 'getFoundingApplication', {
    pathParams: { applicationId: 'EE-FA-2026-0001' },
  })
  expect(status).toBe(404)
})

test('registers Kovalenko Digital OÜ when the population and e-Residency mocks answer', async () => {
  const population = eePopulationRegister.seed()
  const eResidency = eeEResidency.seed()
  const peers: Peers = {
    async call({ service, path }: PeerCall) {
      const [, resource, code = ''] = path.split('/')
      const response =
        service === POPULATION_REGISTER && resource === 'persons'
          ? await invoke(eePopulationRegister, population, 'getPerson', {
              pathParams: { personalCode: code },
            })
          : await invoke(eeEResidency, eResidency, 'getEResident', {
              pathParams: { personalCode: code },
            })
      return { status: response.status, headers: new Headers(), body: response.body }
    },
  }
  const { body } = await found(eeBusinessRegister.seed(), { body: kovalenkoDigital() }, peers)
  const registryCode = cast.companies.find((c) => c.id === 'kovalenko-digital')!.registryCode
  expect(body).toMatchObject({ status: 'registered', registryCode })
})

test('holds the Estonian companies of the cast, but not Kovalenko Digital OÜ yet', () => {
  const { companies } = eeBusinessRegister.seed()
  const people = new Map(cast.people.map((p) => [p.id, p]))
  const codeOf = (id: string) =>
    people.get(id)!.personalCode ?? people.get(id)!.eResident!.personalCode
  const estonian = cast.companies.filter((c) => c.country === 'EE' && c.status !== 'founding')
  expect(companies.map((c) => c.registryCode).sort()).toEqual(
    estonian.map((c) => c.registryCode).sort(),
  )
  for (const company of estonian) {
    const record = companies.find((c) => c.registryCode === company.registryCode)!
    expect(record).toMatchObject({
      name: company.name,
      status: company.status,
      founded: company.founded,
    })
    const holders = (role: string) =>
      record.representatives.filter((r) => r.role === role).map((r) => r.personalCode)
    expect(holders('founder')).toEqual((company.people.founders ?? []).map(codeOf))
    expect(holders('board-member')).toEqual((company.people.board ?? []).map(codeOf))
  }
})

test('gives independent state on every seed', () => {
  const first = eeBusinessRegister.seed()
  const second = eeBusinessRegister.seed()
  first.companies[0]!.representatives.pop()
  first.nextRegistrySerial++
  first.foundingApplications.push({
    applicationId: 'EE-FA-2026-0001',
    status: 'submitted',
    submittedOn: '2026-03-02',
    companyName: 'X OÜ',
    legalForm: 'OÜ',
  })
  expect(second.companies[0]!.representatives).toHaveLength(2)
  expect(second.nextRegistrySerial).toBe(655432)
  expect(eeBusinessRegister.seed().foundingApplications).toEqual([])
})
