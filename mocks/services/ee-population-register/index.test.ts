import { beforeAll, expect, test } from 'vitest'
import { loadEeContract, type EeContract } from '../../../specs/ee/contract/index.ts'
import { cast, invoke } from '../ee-test-kit/index.ts'
import { eePopulationRegister } from './index.ts'

let contract: EeContract
beforeAll(async () => {
  contract = await loadEeContract('population-register.yaml')
})

const call = async (operationId: string, init: Parameters<typeof invoke>[3] = {}) => {
  const response = await invoke(
    eePopulationRegister,
    eePopulationRegister.seed(),
    operationId,
    init,
  )
  expect(contract.responseErrors(operationId, response.status, response.body)).toEqual([])
  return response
}

test('returns a person with a summary of the residence address', async () => {
  const { status, body } = await call('getPerson', { pathParams: { personalCode: '48001013546' } })
  expect(status).toBe(200)
  expect(body).toMatchObject({
    givenName: 'Mari',
    familyName: 'Tamm',
    sex: 'F',
    birthDate: '1980-01-01',
    citizenship: 'EE',
    status: 'alive',
    residence: { municipality: 'Tallinn', postalCode: '10115' },
  })
})

test('returns a deceased person with the date of death and no residence', async () => {
  const { body } = await call('getPerson', { pathParams: { personalCode: '35504224530' } })
  expect(body).toMatchObject({ status: 'deceased', deathDate: '2023-10-05' })
  expect(body).not.toHaveProperty('residence')
})

test('returns the ADS residence address', async () => {
  const { status, body } = await call('getResidence', {
    pathParams: { personalCode: '49812014425' },
  })
  expect(status).toBe(200)
  expect(body).toMatchObject({
    personalCode: '49812014425',
    address: {
      county: 'Lääne-Viru maakond',
      municipality: 'Rakvere linn',
      street: 'Pikk tn',
      postalCode: '44307',
    },
  })
})

test('answers 404 for the residence of a deceased person', async () => {
  const { status, body } = await call('getResidence', {
    pathParams: { personalCode: '35504224530' },
  })
  expect(status).toBe(404)
  expect(body).toMatchObject({
    type: 'urn:sild:problem:not-found',
    detail: expect.stringContaining('2023-10-05'),
  })
})

test('answers 404 for a valid personal code the register does not hold', async () => {
  for (const operationId of ['getPerson', 'getResidence']) {
    const { status } = await call(operationId, { pathParams: { personalCode: '38001085718' } })
    expect(status).toBe(404)
  }
})

test('does not hold e-residents, who are not residents', async () => {
  const { status } = await call('getPerson', { pathParams: { personalCode: '49003147126' } })
  expect(status).toBe(404)
})

test('finds persons by name ignoring case and diacritics', async () => {
  const { body } = await call('searchPersons', { query: { givenName: 'tonu', familyName: 'METS' } })
  expect(body).toEqual({
    total: 1,
    items: [
      {
        personalCode: '36511043875',
        givenName: 'Tõnu',
        familyName: 'Mets',
        birthDate: '1965-11-04',
        status: 'alive',
      },
    ],
  })
})

test('combines criteria and answers an empty list when nobody matches', async () => {
  const found = await call('searchPersons', { query: { birthDate: '1980-01-01' } })
  expect(found.body).toMatchObject({ total: 1, items: [{ personalCode: '48001013546' }] })
  const none = await call('searchPersons', {
    query: { givenName: 'Mari', birthDate: '1981-01-01' },
  })
  expect(none.body).toEqual({ total: 0, items: [] })
})

test('answers 400 to a search without any criterion', async () => {
  const { status, body } = await call('searchPersons')
  expect(status).toBe(400)
  expect(body).toMatchObject({ type: 'urn:sild:problem:validation-failed' })
})

test('holds every Estonian of the cast with the same names, dates and deaths', () => {
  const { persons } = eePopulationRegister.seed()
  const estonians = cast.people.filter((p) => p.personalCode)
  expect(persons.map((p) => p.personalCode).sort()).toEqual(
    estonians.map((p) => p.personalCode).sort(),
  )
  for (const person of estonians) {
    expect(persons.find((p) => p.personalCode === person.personalCode)).toMatchObject({
      givenName: person.givenName,
      familyName: person.familyName,
      sex: person.sex,
      birthDate: person.birthDate,
      citizenship: person.citizenship,
      status: person.deceased ? 'deceased' : 'alive',
      ...(person.deceased ? { deathDate: person.deceased } : {}),
    })
  }
})

test('gives independent state on every seed', () => {
  const first = eePopulationRegister.seed()
  const second = eePopulationRegister.seed()
  first.persons[0]!.givenName = 'Changed'
  first.persons[0]!.residence!.address.street = 'Changed'
  first.persons.pop()
  expect(second.persons[0]!.givenName).toBe('Mari')
  expect(second.persons[0]!.residence!.address.street).toBe('Tartu mnt')
  expect(eePopulationRegister.seed().persons).toHaveLength(second.persons.length)
})

test('answers with copies that do not alias the register state', async () => {
  const state = eePopulationRegister.seed()
  const { body } = await invoke(eePopulationRegister, state, 'getResidence', {
    pathParams: { personalCode: '48001013546' },
  })
  ;(body as { address: { street: string } }).address.street = 'Changed'
  expect(state.persons[0]!.residence!.address.street).toBe('Tartu mnt')
})
