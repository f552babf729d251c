import { problem } from '../problem.ts'
import { worldSeed } from '../world-seed.ts'
import type { ServiceMock } from '../types.ts'

export type IdentityDocumentType = 'internal-passport' | 'foreign-passport'
export type IdentityDocumentStatus = 'valid' | 'expired' | 'lost' | 'invalid'

export type IdentityDocument = {
  type: IdentityDocumentType
  number: string
  issueDate: string
  expirationDate: string
  issuer: string
  valid: boolean
  status: IdentityDocumentStatus
}

/** A person as ЄДДР records and answers it (specs/ua/demographic-register.yaml `Person`). */
export type DemographicRecord = {
  unzr: string
  /** Absent for a person who refused an RNOKPP for religious beliefs (`rnokppRefused`). */
  rnokpp?: string
  rnokppRefused?: true
  lastName: string
  firstName: string
  patronymic: string
  lastNameLatin: string
  firstNameLatin: string
  birthDate: string
  sex: 'M' | 'F'
  birthPlace: string
  birthPlaceLatin: string
  citizenship: 'UA'
  status: 'active' | 'deceased'
  deathDate?: string
  documents: IdentityDocument[]
}

export type DemographicRegisterState = { persons: DemographicRecord[] }

const SEED = worldSeed<DemographicRegisterState>(
  new URL('../../world/ua-demographic-register.yaml', import.meta.url),
)

/** ЄДДР (Unified State Demographic Register) of the State Migration Service. */
export const uaDemographicRegister: ServiceMock<DemographicRegisterState> = {
  id: 'ua-demographic-register',
  seed: SEED,
  handlers: {
    getPersonByUnzr: ({ pathParams }, { state }) => {
      const person = state.persons.find((p) => p.unzr === pathParams.unzr)
      return person
        ? { status: 200, body: person }
        : problem('notFound', `ЄДДР has no person with UNZR ${pathParams.unzr}`)
    },
    searchPersonsByRnokpp: ({ query }, { state }) => {
      const rnokpp = query.get('rnokpp')
      return { status: 200, body: { persons: state.persons.filter((p) => p.rnokpp === rnokpp) } }
    },
    getDocumentValidity: ({ pathParams }, { state }) => {
      const number = pathParams.documentNumber
      for (const person of state.persons) {
        const document = person.documents.find((d) => d.number === number)
        if (document) {
          const { type, valid, status, expirationDate } = document
          return {
            status: 200,
            body: { documentNumber: number, type, valid, status, expirationDate },
          }
        }
      }
      return problem('notFound', `ЄДДР has no document number ${number}`)
    },
  },
}
