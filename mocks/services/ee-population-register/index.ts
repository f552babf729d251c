import { problem } from '../problem.ts'
import { worldSeed } from '../world-seed.ts'
import type { OperationHandler, ServiceMock } from '../types.ts'

export type AdsAddress = {
  adsOid: string
  adrId?: number
  fullAddress: string
  county: string
  municipality: string
  settlement?: string
  street: string
  house: string
  apartment?: string
  postalCode: string
}

export type PersonRecord = {
  personalCode: string
  givenName: string
  familyName: string
  sex: 'M' | 'F'
  birthDate: string
  birthPlace?: string
  citizenship: string
  status: 'alive' | 'deceased'
  deathDate?: string
  residence?: { registeredSince: string; address: AdsAddress }
}

export type PopulationRegisterState = { persons: PersonRecord[] }

const SEED = worldSeed<PopulationRegisterState>(
  new URL('../../world/ee-population-register.yaml', import.meta.url),
)

/** Case- and diacritics-insensitive form of a name, so `Tonu` finds `Tõnu`. */
export const foldName = (name: string): string =>
  name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim()

const findPerson = (state: PopulationRegisterState, code: string | undefined) =>
  state.persons.find((p) => p.personalCode === code)

const notFound = (code: string | undefined) =>
  problem('notFound', `No person with personal code ${code} in the population register`)

const toPerson = ({ residence, ...person }: PersonRecord) => {
  if (!residence) return person
  const { fullAddress, county, municipality, postalCode } = residence.address
  return { ...person, residence: { fullAddress, county, municipality, postalCode } }
}

const getPerson: OperationHandler<PopulationRegisterState> = ({ pathParams }, { state }) => {
  const person = findPerson(state, pathParams.personalCode)
  return person ? { status: 200, body: toPerson(person) } : notFound(pathParams.personalCode)
}

const getResidence: OperationHandler<PopulationRegisterState> = ({ pathParams }, { state }) => {
  const person = findPerson(state, pathParams.personalCode)
  if (!person) return notFound(pathParams.personalCode)
  if (!person.residence) {
    return problem(
      'notFound',
      `Person ${person.personalCode} has no current residence` +
        (person.deathDate ? ` (deceased on ${person.deathDate})` : ''),
    )
  }
  return {
    status: 200,
    body: { personalCode: person.personalCode, ...structuredClone(person.residence) },
  }
}

const searchPersons: OperationHandler<PopulationRegisterState> = ({ query }, { state }) => {
  const givenName = query.get('givenName')
  const familyName = query.get('familyName')
  const birthDate = query.get('birthDate')
  if (!givenName && !familyName && !birthDate) {
    return problem('validationFailed', 'Give at least one of givenName, familyName, birthDate', [
      { name: 'givenName', reason: 'at least one search criterion is required' },
    ])
  }
  const items = state.persons
    .filter(
      (p) =>
        (!givenName || foldName(p.givenName) === foldName(givenName)) &&
        (!familyName || foldName(p.familyName) === foldName(familyName)) &&
        (!birthDate || p.birthDate === birthDate),
    )
    .map(({ personalCode, givenName, familyName, birthDate, status }) => ({
      personalCode,
      givenName,
      familyName,
      birthDate,
      status,
    }))
  return { status: 200, body: { total: items.length, items } }
}

/** Rahvastikuregister: persons and residence addresses of the Estonian population register. */
export const eePopulationRegister: ServiceMock<PopulationRegisterState> = {
  id: 'ee-population-register',
  seed: SEED,
  handlers: { getPerson, getResidence, searchPersons },
}
