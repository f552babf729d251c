import { readFileSync } from 'node:fs'
import { parse } from 'yaml'

export type CastPerson = {
  id: string
  givenName: string
  familyName: string
  nativeName?: string
  sex: 'M' | 'F'
  birthDate: string
  birthPlace: string
  citizenship: string
  personalCode?: string
  rnokpp?: string
  unzr?: string
  deceased?: string
  eResident?: { personalCode?: string; status: string }
}

export type CastCompany = {
  id: string
  country: 'EE' | 'UA'
  name: string
  nameLatin?: string
  registryCode?: string
  edrpou?: string
  status: string
  founded?: string
  deleted?: string
  people: { founders?: string[]; board?: string[]; heads?: string[] }
}

export type Cast = { people: CastPerson[]; companies: CastCompany[] }

const worldFile = (name: string) => new URL(`../../mocks/world/${name}.yaml`, import.meta.url)

/** The shared story of mocks/world/cast.yaml, which every register's seed is derived from. */
export const cast = parse(readFileSync(worldFile('cast'), 'utf8')) as Cast

export const castPerson = (id: string): CastPerson => {
  const person = cast.people.find((p) => p.id === id)
  if (!person) throw new Error(`cast.yaml names "${id}" but has no such person`)
  return person
}

/** The personal code a person holds in Estonia: their own, or the one e-Residency gave them. */
export const estonianCode = (person: CastPerson): string | undefined =>
  person.personalCode ?? person.eResident?.personalCode

/** A register's own seed records (mocks/world/<service-id>.yaml). */
export const worldSeed = (serviceId: string): unknown =>
  parse(readFileSync(worldFile(serviceId), 'utf8'))

/** The first scalar stored under `key` anywhere in `value`, depth first. */
export const findScalar = (value: unknown, key: string): string | number | boolean | undefined => {
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = findScalar(item, key)
      if (found !== undefined) return found
    }
    return undefined
  }
  if (value === null || typeof value !== 'object') return undefined
  for (const [k, v] of Object.entries(value)) {
    if (k === key && ['string', 'number', 'boolean'].includes(typeof v)) {
      return v as string | number | boolean
    }
  }
  for (const v of Object.values(value)) {
    const found = findScalar(v, key)
    if (found !== undefined) return found
  }
  return undefined
}
