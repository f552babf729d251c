import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'
import { parse } from 'yaml'
import { loadSpec } from '../../../specs/openapi/index.ts'
import { specValidator } from '../../../specs/openapi/validator.ts'
import type { MockRequest, MockResponse, Peers } from '../types.ts'
import { uaDemographicRegister, type DemographicRegisterState } from './index.ts'

const peers: Peers = {
  call: async () => {
    throw new Error('ЄДДР calls no other service')
  },
}

const call = async (
  operationId: string,
  init: Partial<MockRequest> = {},
  state: DemographicRegisterState = uaDemographicRegister.seed(),
): Promise<MockResponse> => {
  const handler = uaDemographicRegister.handlers[operationId]
  if (!handler) throw new Error(`no handler for ${operationId}`)
  const request: MockRequest = {
    operationId,
    method: 'GET',
    path: '/',
    pathParams: {},
    query: new URLSearchParams(),
    headers: new Headers(),
    body: undefined,
    ...init,
  }
  return handler(request, { state, peers })
}

test('returns a person by UNZR with exactly the fields the e-Residency mock relies on', async () => {
  const response = await call('getPersonByUnzr', { pathParams: { unzr: '19900314-00234' } })
  expect(response.status).toBe(200)
  expect(response.body).toEqual({
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
    birthPlaceLatin: 'Kyiv',
    citizenship: 'UA',
    status: 'active',
    documents: [
      {
        type: 'internal-passport',
        number: '000023401',
        issueDate: '2019-04-10',
        expirationDate: '2029-04-10',
        issuer: '8031',
        valid: true,
        status: 'valid',
      },
      {
        type: 'foreign-passport',
        number: 'FA100234',
        issueDate: '2021-06-15',
        expirationDate: '2031-06-15',
        issuer: '8031',
        valid: true,
        status: 'valid',
      },
    ],
  })
})

test('answers 404 for a UNZR the register does not hold', async () => {
  const response = await call('getPersonByUnzr', { pathParams: { unzr: '19900101-00018' } })
  expect(response.status).toBe(404)
  expect(response.body).toMatchObject({ type: 'urn:sild:problem:not-found', status: 404 })
})

test('records Viktor Marchenko as deceased with his date of death and an invalidated ID card', async () => {
  const response = await call('getPersonByUnzr', { pathParams: { unzr: '19591029-01531' } })
  expect(response.body).toMatchObject({
    status: 'deceased',
    deathDate: '2024-02-11',
    documents: [{ type: 'internal-passport', valid: false, status: 'invalid' }],
  })
})

test('finds a person by RNOKPP', async () => {
  const response = await call('searchPersonsByRnokpp', {
    query: new URLSearchParams({ rnokpp: '3122911413' }),
  })
  const { persons } = response.body as { persons: Array<{ unzr: string; lastNameLatin: string }> }
  expect(response.status).toBe(200)
  expect(persons.map((p) => [p.unzr, p.lastNameLatin])).toEqual([['19850702-00365', 'Shevchenko']])
})

test('answers an empty list for an RNOKPP nobody has', async () => {
  const response = await call('searchPersonsByRnokpp', {
    query: new URLSearchParams({ rnokpp: '1234567899' }),
  })
  expect(response).toEqual({ status: 200, body: { persons: [] } })
})

test("reports Mykola Tkachenko's foreign passport as expired", async () => {
  const response = await call('getDocumentValidity', { pathParams: { documentNumber: 'FA100756' } })
  expect(response).toEqual({
    status: 200,
    body: {
      documentNumber: 'FA100756',
      type: 'foreign-passport',
      valid: false,
      status: 'expired',
      expirationDate: '2023-04-15',
    },
  })
})

test('has no valid document at all for Mykola Tkachenko', async () => {
  const state = uaDemographicRegister.seed()
  const mykola = state.persons.find((p) => p.unzr === '19880509-00756')
  expect(mykola?.documents.map((d) => d.status)).toEqual(['expired', 'expired'])
})

test('reports a lost passport as lost and a current one as valid', async () => {
  const lost = await call('getDocumentValidity', { pathParams: { documentNumber: 'FA000626' } })
  const current = await call('getDocumentValidity', { pathParams: { documentNumber: 'FA100626' } })
  expect(lost.body).toMatchObject({ valid: false, status: 'lost' })
  expect(current.body).toMatchObject({ valid: true, status: 'valid' })
})

test('answers 404 for a document number the register never issued', async () => {
  const response = await call('getDocumentValidity', { pathParams: { documentNumber: 'FA999999' } })
  expect(response.status).toBe(404)
})

test('gives every Ukrainian of the cast a record with the same identifiers, names and dates', () => {
  type CastPerson = {
    givenName: string
    familyName: string
    nativeName?: string
    sex: string
    birthDate: string
    citizenship: string
    rnokpp?: string
    unzr?: string
    deceased?: string
  }
  const cast = parse(readFileSync(new URL('../../world/cast.yaml', import.meta.url), 'utf8')) as {
    people: CastPerson[]
  }
  const ukrainians = cast.people.filter((p) => p.citizenship === 'UA')
  const { persons } = uaDemographicRegister.seed()
  expect(persons).toHaveLength(ukrainians.length)
  for (const p of ukrainians) {
    const record = persons.find((r) => r.unzr === p.unzr)
    expect(record, p.unzr).toMatchObject({
      ...(p.rnokpp === undefined ? { rnokppRefused: true } : { rnokpp: p.rnokpp }),
      firstName: p.nativeName?.split(' ')[0],
      lastName: p.nativeName?.split(' ')[1],
      firstNameLatin: p.givenName,
      lastNameLatin: p.familyName,
      birthDate: p.birthDate,
      sex: p.sex,
      status: p.deceased ? 'deceased' : 'active',
    })
    expect(record?.deathDate).toBe(p.deceased)
    expect(record?.documents.some((d) => d.type === 'internal-passport')).toBe(true)
  }
})

test('two seeds are independent of each other', () => {
  const first = uaDemographicRegister.seed()
  const second = uaDemographicRegister.seed()
  first.persons[0]!.documents[0]!.status = 'lost'
  first.persons.pop()
  expect(second.persons[0]!.documents[0]!.status).toBe('valid')
  expect(second.persons).toHaveLength(first.persons.length + 1)
})

// ua-person-without-rnokpp: Tax Code of Ukraine Art. 70.5; the world holds one such person.
const HANNA = '19681102-04174'

test('holds a person who refused an RNOKPP, found by UNZR and answered without one (ua-person-without-rnokpp)', async () => {
  const response = await call('getPersonByUnzr', { pathParams: { unzr: HANNA } })
  expect(response.status).toBe(200)
  expect(response.body).toMatchObject({
    unzr: HANNA,
    rnokppRefused: true,
    lastNameLatin: 'Honchar',
  })
  expect(response.body).not.toHaveProperty('rnokpp')
})

test('the ЄДДР schema takes a person without an RNOKPP only when she refused one', async () => {
  const spec = await loadSpec(
    fileURLToPath(new URL('../../../specs/ua/demographic-register.yaml', import.meta.url)),
  )
  const validator = specValidator(spec)
  const operation = spec.operation('getPersonByUnzr')!
  const answer = (body: unknown) =>
    validator
      .validateResponse(operation, {
        status: 200,
        headers: new Headers(),
        contentType: 'application/json',
        body,
      })
      .map((d) => d.code)
  const hanna = (await call('getPersonByUnzr', { pathParams: { unzr: HANNA } })).body as Record<
    string,
    unknown
  >
  expect(answer(hanna)).toEqual([])
  expect(answer({ ...hanna, rnokppRefused: undefined })).not.toEqual([])
  expect(answer({ ...hanna, rnokpp: '3294510725' })).not.toEqual([])
  const olena = (await call('getPersonByUnzr', { pathParams: { unzr: '19900314-00234' } })).body
  expect(answer(olena)).toEqual([])
})
