import { beforeAll, expect, test } from 'vitest'
import { loadEeContract, type EeContract } from '../../../specs/ee/contract/index.ts'
import { cast, fakePeers, invoke, type FakePeers, type RequestInit } from '../ee-test-kit/index.ts'
import type { Peers } from '../types.ts'
import {
  UA_DEMOGRAPHIC_REGISTER,
  eeEResidency,
  type Applicant,
  type EResidencyState,
} from './index.ts'

let contract: EeContract
beforeAll(async () => {
  contract = await loadEeContract('e-residency.yaml')
})

const call = async (
  state: EResidencyState,
  operationId: string,
  init: RequestInit = {},
  peers?: Peers,
) => {
  const response = await invoke(eeEResidency, state, operationId, init, peers)
  expect(contract.responseErrors(operationId, response.status, response.body)).toEqual([])
  return response
}

const olena = (): Applicant => ({
  givenName: 'Olena',
  familyName: 'Kovalenko',
  sex: 'F',
  birthDate: '1990-03-14',
  citizenship: 'UA',
  identityDocument: {
    type: 'passport',
    number: 'FA100234',
    issuingCountry: 'UA',
    expiryDate: '2031-06-15',
  },
  unzr: '19900314-00234',
  rnokpp: '3294510725',
})

/** Olena Kovalenko as ЄДДР answers for her (specs/ua/demographic-register.yaml). */
const olenaInEddr = (changes: Record<string, unknown> = {}) => ({
  unzr: '19900314-00234',
  rnokpp: '3294510725',
  lastName: 'Коваленко',
  firstName: 'Олена',
  patronymic: 'Петрівна',
  lastNameLatin: 'Kovalenko',
  firstNameLatin: 'Olena',
  birthDate: '1990-03-14',
  sex: 'F',
  birthPlace: 'м. Київ',
  citizenship: 'UA',
  status: 'active',
  documents: [
    {
      type: 'internal-passport',
      number: '000023401',
      issueDate: '2019-04-10',
      expirationDate: '2029-04-10',
      valid: true,
    },
    {
      type: 'foreign-passport',
      number: 'FA100234',
      issueDate: '2021-06-15',
      expirationDate: '2031-06-15',
      valid: true,
    },
  ],
  ...changes,
})

const eddr = (answer: { status: number; body?: unknown }): FakePeers =>
  fakePeers((c) => (c.service === UA_DEMOGRAPHIC_REGISTER ? answer : undefined))

const OFFICER = { 'x-road-userid': 'EE49007075080' }
const NEW_ID = 'EE-APP-2026-0005'

const submit = (
  state: EResidencyState,
  applicant: Applicant,
  peers: Peers,
  extra: Record<string, unknown> = {},
) =>
  call(
    state,
    'submitApplication',
    { body: { applicant, pickupLocation: 'Estonian Embassy in Kyiv', ...extra } },
    peers,
  )
const get = (state: EResidencyState, applicationId: string) =>
  call(state, 'getApplication', { pathParams: { applicationId } })
const decide = (
  state: EResidencyState,
  applicationId: string,
  body: unknown,
  peers: Peers = fakePeers(),
) =>
  call(state, 'decideApplication', { pathParams: { applicationId }, body, headers: OFFICER }, peers)

test('submits an application and runs the ЄДДР background check across the border', async () => {
  const state = eeEResidency.seed()
  const peers = eddr({ status: 200, body: olenaInEddr() })
  const { status, body, headers } = await submit(state, olena(), peers)
  expect(status).toBe(201)
  expect(body).toMatchObject({
    applicationId: NEW_ID,
    status: 'submitted',
    submittedOn: '2026-03-02',
    documents: [],
  })
  expect(headers?.location).toBe(`/applications/${NEW_ID}`)
  expect(peers.calls).toEqual([
    {
      service: UA_DEMOGRAPHIC_REGISTER,
      method: 'GET',
      path: '/persons/19900314-00234',
      headers: { 'Uxp-Purpose-Ids': 'e-residency-background-check' },
    },
  ])

  const { body: stored } = await get(state, NEW_ID)
  expect(stored).toMatchObject({
    status: 'background-check',
    backgroundCheck: {
      outcome: 'passed',
      register: UA_DEMOGRAPHIC_REGISTER,
      personFound: true,
      namesMatch: true,
      birthDateMatches: true,
      personActive: true,
      validDocument: true,
      issues: [],
    },
  })
})

test('moves an application through its statuses to an active e-resident with a card', async () => {
  const state = eeEResidency.seed()
  const popescu = {
    ...olena(),
    givenName: 'Mihai',
    familyName: 'Popescu',
    sex: 'M' as const,
    birthDate: '1984-12-24',
    citizenship: 'MD',
  }
  delete popescu.unzr
  delete popescu.rnokpp
  popescu.identityDocument = {
    type: 'passport',
    number: 'AB1234567',
    issuingCountry: 'MD',
    expiryDate: '2030-01-01',
  }
  const peers = fakePeers()
  await submit(state, popescu, peers)
  expect((await get(state, NEW_ID)).body).toMatchObject({
    status: 'background-check',
    backgroundCheck: { outcome: 'manual' },
  })
  expect(peers.calls).toEqual([])

  const approved = await decide(state, NEW_ID, { decision: 'approve' })
  // Born 1984-12-24, a man of the 1900s (3), with the next serial 715; check digit per stdnum.
  const personalCode = '38412247151'
  expect(approved.body).toMatchObject({
    status: 'approved',
    personalCode,
    decision: { decision: 'approve', decidedOn: '2026-03-02', decidedBy: 'EE49007075080' },
  })
  expect((await call(state, 'getEResident', { pathParams: { personalCode } })).status).toBe(404)

  const issued = await call(state, 'issueCard', { pathParams: { applicationId: NEW_ID } })
  expect(issued.body).toMatchObject({
    status: 'card-issued',
    cardIssuedOn: '2026-03-02',
    cardNumber: 'NC0007713',
  })
  const resident = await call(state, 'getEResident', { pathParams: { personalCode } })
  expect(resident.body).toEqual({
    personalCode,
    givenName: 'Mihai',
    familyName: 'Popescu',
    citizenship: 'MD',
    status: 'active',
    eResidentSince: '2026-03-02',
    cardNumber: 'NC0007713',
    validUntil: '2031-03-01',
  })
  const card = await call(state, 'getEResidentCard', { pathParams: { personalCode } })
  expect(card.body).toMatchObject({
    documentNumber: 'NC0007713',
    documentType: 'digi-id',
    pickupLocation: 'Estonian Embassy in Kyiv',
  })
})

test('keeps the personal code and e-resident date of an e-resident who applies again', async () => {
  const state = eeEResidency.seed()
  const peers = eddr({ status: 200, body: olenaInEddr() })
  await submit(state, olena(), peers)
  const { body } = await decide(state, NEW_ID, { decision: 'approve' }, peers)
  expect(body).toMatchObject({ personalCode: '49003147126' })
  await call(state, 'issueCard', { pathParams: { applicationId: NEW_ID } })
  const resident = await call(state, 'getEResident', {
    pathParams: { personalCode: '49003147126' },
  })
  expect(resident.body).toMatchObject({ eResidentSince: '2026-02-16', cardNumber: 'NC0007713' })
  expect(state.eResidents.filter((r) => r.personalCode === '49003147126')).toHaveLength(1)
})

test('answers 409 to a second decision', async () => {
  const state = eeEResidency.seed()
  const first = await decide(state, 'EE-APP-2026-0004', {
    decision: 'reject',
    reason: 'Incomplete application.',
  })
  expect(first.body).toMatchObject({
    status: 'rejected',
    decision: { reason: 'Incomplete application.' },
  })
  for (const body of [{ decision: 'approve' }, { decision: 'reject', reason: 'Again.' }]) {
    const again = await decide(state, 'EE-APP-2026-0004', body)
    expect(again.status).toBe(409)
    expect(again.body).toMatchObject({
      type: 'urn:sild:problem:conflict',
      detail: expect.stringContaining('rejected'),
    })
  }
  expect((await decide(state, 'EE-APP-2026-0001', { decision: 'approve' })).status).toBe(409)
})

test('fails the background check of a passport that expired and refuses to approve it', async () => {
  const state = eeEResidency.seed()
  const mykola: Applicant = {
    givenName: 'Mykola',
    familyName: 'Tkachenko',
    sex: 'M',
    birthDate: '1988-05-09',
    citizenship: 'UA',
    identityDocument: {
      type: 'passport',
      number: 'FA100756',
      issuingCountry: 'UA',
      expiryDate: '2023-04-15',
    },
    unzr: '19880509-00756',
  }
  const inEddr = olenaInEddr({
    unzr: '19880509-00756',
    lastNameLatin: 'Tkachenko',
    firstNameLatin: 'Mykola',
    birthDate: '1988-05-09',
    rnokpp: '3227113512',
    documents: [
      {
        type: 'foreign-passport',
        number: 'FA100756',
        issueDate: '2013-04-15',
        expirationDate: '2023-04-15',
        valid: false,
      },
    ],
  })
  await submit(state, mykola, eddr({ status: 200, body: inEddr }))
  const { body } = await get(state, NEW_ID)
  expect(body).toMatchObject({
    backgroundCheck: { outcome: 'failed', namesMatch: true, validDocument: false },
  })
  const approve = await decide(state, NEW_ID, { decision: 'approve' })
  expect(approve.status).toBe(409)
  expect(approve.body).toMatchObject({ detail: expect.stringContaining('expired on 2023-04-15') })
  expect(
    (await decide(state, NEW_ID, { decision: 'reject', reason: 'Expired passport.' })).status,
  ).toBe(200)
})

test('records a deceased person, other names and an unknown UNZR as failed checks', async () => {
  const cases = [
    {
      answer: { status: 200, body: olenaInEddr({ status: 'deceased' }) },
      expected: { personActive: false },
    },
    {
      answer: { status: 200, body: olenaInEddr({ firstNameLatin: 'Olha' }) },
      expected: { namesMatch: false },
    },
    {
      answer: { status: 200, body: olenaInEddr({ rnokpp: '3294510733' }) },
      expected: { issues: ['RNOKPP differs from ЄДДР'] },
    },
    { answer: { status: 404 }, expected: { personFound: false } },
  ]
  for (const { answer, expected } of cases) {
    const state = eeEResidency.seed()
    await submit(state, olena(), eddr(answer))
    expect((await get(state, NEW_ID)).body).toMatchObject({
      backgroundCheck: { outcome: 'failed', ...expected },
    })
  }
})

test('repeats a check that could not reach ЄДДР when the application is approved', async () => {
  const state = eeEResidency.seed()
  const down: Peers = {
    call: async () => {
      throw new Error('connection refused')
    },
  }
  await submit(state, olena(), down)
  expect((await get(state, NEW_ID)).body).toMatchObject({
    backgroundCheck: { outcome: 'unavailable', issues: ['ЄДДР could not be reached'] },
  })
  const stillDown = await decide(state, NEW_ID, { decision: 'approve' }, eddr({ status: 500 }))
  expect(stillDown.status).toBe(409)
  const up = eddr({ status: 200, body: olenaInEddr() })
  const approved = await decide(state, NEW_ID, { decision: 'approve' }, up)
  expect(approved.body).toMatchObject({
    status: 'approved',
    backgroundCheck: { outcome: 'passed' },
  })
  expect(up.calls).toHaveLength(1)
})

test('completes the seeded background check of Iryna Bondarenko on approval', async () => {
  const state = eeEResidency.seed()
  const peers = eddr({
    status: 200,
    body: olenaInEddr({
      unzr: '19931121-00496',
      rnokpp: '3429312124',
      firstNameLatin: 'Iryna',
      lastNameLatin: 'Bondarenko',
      birthDate: '1993-11-21',
    }),
  })
  const { body } = await decide(state, 'EE-APP-2026-0003', { decision: 'approve' }, peers)
  expect(peers.calls.map((c) => c.path)).toEqual(['/persons/19931121-00496'])
  expect(body).toMatchObject({ status: 'approved', personalCode: '49311217158' })
})

test('attaches documents Diia delivers for a named application', async () => {
  const state = eeEResidency.seed()
  const delivery = {
    requestId: 'ppa-diia-2026-0007',
    applicationId: 'EE-APP-2026-0003',
    documentTypes: ['foreign-passport'],
    documents: [
      {
        type: 'foreign-passport',
        data: {
          docNumber: 'FA100496',
          issueDate: '2022-08-30',
          expirationDate: '2032-08-30',
          unzr: '19931121-00496',
        },
      },
    ],
  }
  const { status, body } = await call(state, 'receiveDiiaDocuments', { body: delivery })
  expect(status).toBe(202)
  expect(body).toEqual({
    requestId: 'ppa-diia-2026-0007',
    received: true,
    applicationId: 'EE-APP-2026-0003',
  })
  expect((await get(state, 'EE-APP-2026-0003')).body).toMatchObject({
    documents: [
      {
        source: 'diia',
        requestId: 'ppa-diia-2026-0007',
        type: 'foreign-passport',
        docNumber: 'FA100496',
        receivedOn: '2026-03-02',
      },
    ],
  })
})

test('links a Diia delivery to the application submitted under its request id, and uses its UNZR', async () => {
  const state = eeEResidency.seed()
  const delivery = {
    requestId: 'REQ-0001',
    documentTypes: ['foreign-passport'],
    documents: [
      {
        type: 'foreign-passport',
        data: { lastNameEN: 'Kovalenko', docNumber: 'FA100234', unzr: '19900314-00234' },
      },
    ],
  }
  const early = await call(state, 'receiveDiiaDocuments', { body: delivery })
  expect(early.body).toEqual({ requestId: 'REQ-0001', received: true })

  const { unzr: _, ...withoutUnzr } = olena()
  const peers = eddr({ status: 200, body: olenaInEddr() })
  const submitted = await submit(state, withoutUnzr, peers, { diiaRequestId: 'REQ-0001' })
  expect(submitted.body).toMatchObject({
    documents: [{ requestId: 'REQ-0001', docNumber: 'FA100234' }],
  })
  expect(peers.calls.map((c) => c.path)).toEqual(['/persons/19900314-00234'])

  const again = await call(state, 'receiveDiiaDocuments', { body: delivery })
  expect(again.body).toEqual({ requestId: 'REQ-0001', received: true, applicationId: NEW_ID })
  expect((await get(state, NEW_ID)).body).toMatchObject({ documents: [{ requestId: 'REQ-0001' }] })
})

test('leaves the check of a Ukrainian without a UNZR incomplete', async () => {
  const state = eeEResidency.seed()
  const { unzr: _, ...withoutUnzr } = olena()
  const peers = fakePeers()
  await submit(state, withoutUnzr, peers)
  expect((await get(state, NEW_ID)).body).toMatchObject({
    backgroundCheck: { outcome: 'incomplete' },
  })
  expect(peers.calls).toEqual([])
})

test('answers 404 for unknown applications and e-residents', async () => {
  const state = eeEResidency.seed()
  const unknownApplication = { pathParams: { applicationId: 'EE-APP-2026-0099' } }
  expect((await call(state, 'getApplication', unknownApplication)).status).toBe(404)
  expect(
    (
      await call(state, 'decideApplication', {
        ...unknownApplication,
        body: { decision: 'approve' },
      })
    ).status,
  ).toBe(404)
  expect((await call(state, 'issueCard', unknownApplication)).status).toBe(404)
  const delivery = {
    requestId: 'x',
    applicationId: 'EE-APP-2026-0099',
    documentTypes: ['foreign-passport'],
    documents: [{ type: 'foreign-passport', data: {} }],
  }
  expect((await call(state, 'receiveDiiaDocuments', { body: delivery })).status).toBe(404)
  for (const operationId of ['getEResident', 'getEResidentCard']) {
    const { status } = await call(state, operationId, {
      pathParams: { personalCode: '48001013546' },
    })
    expect(status).toBe(404)
  }
})

test('answers 409 to a card for an application that is not approved', async () => {
  const state = eeEResidency.seed()
  for (const applicationId of ['EE-APP-2026-0003', 'EE-APP-2026-0002', 'EE-APP-2026-0001']) {
    expect((await call(state, 'issueCard', { pathParams: { applicationId } })).status).toBe(409)
  }
})

test('reads a card past its expiry as expired', async () => {
  const state = eeEResidency.seed()
  state.today = '2027-06-15'
  const { body } = await call(state, 'getEResident', {
    pathParams: { personalCode: '38507027138' },
  })
  expect(body).toMatchObject({ status: 'expired', validUntil: '2027-06-14' })
})

test('holds the e-residents and applicants of the cast in their states', () => {
  const { applications, eResidents } = eeEResidency.seed()
  const applicants = cast.people.filter((p) => p.eResident)
  for (const person of applicants) {
    const mine = applications.filter(
      (a) =>
        a.applicant.givenName === person.givenName && a.applicant.familyName === person.familyName,
    )
    expect(
      mine.map((a) => a.status),
      person.id,
    ).toEqual([person.eResident!.status])
    expect(mine[0]!.applicant).toMatchObject({
      birthDate: person.birthDate,
      sex: person.sex,
      citizenship: person.citizenship,
    })
    if (person.unzr) expect(mine[0]!.applicant.unzr).toBe(person.unzr)
    if (person.eResident!.status === 'card-issued') {
      expect(mine[0]!.personalCode).toBe(person.eResident!.personalCode)
      expect(
        eResidents.find((r) => r.personalCode === person.eResident!.personalCode),
      ).toMatchObject({
        givenName: person.givenName,
        familyName: person.familyName,
        status: 'active',
      })
    }
  }
  expect(eResidents).toHaveLength(
    applicants.filter((p) => p.eResident!.status === 'card-issued').length,
  )
})

test('gives independent state on every seed', () => {
  const first = eeEResidency.seed()
  const second = eeEResidency.seed()
  first.applications[0]!.applicant.givenName = 'Changed'
  first.eResidents[0]!.card.documentNumber = 'XX0000000'
  first.nextApplicationNumber = 99
  first.diiaDeliveries.pop()
  expect(second.applications[0]!.applicant.givenName).toBe('Lukas')
  expect(second.eResidents[0]!.card.documentNumber).toBe('NC0006950')
  expect(second.nextApplicationNumber).toBe(5)
  expect(eeEResidency.seed().diiaDeliveries).toHaveLength(1)
})
