import { problem } from '../problem.ts'
import { worldSeed } from '../world-seed.ts'
import type { ServiceMock } from '../types.ts'

export type LegalEntityStatusCode = 'registered' | 'terminating' | 'terminated'

export type LegalEntityAddress = {
  postalCode: string
  region: string
  settlement: string
  street: string
  full: string
}

/** A legal entity as ЄДР records and answers it (specs/ua/legal-entities-register.yaml). */
export type LegalEntityRecord = {
  edrpou: string
  name: string
  shortName: string
  shortNameLatin: string
  legalForm: { code: string; name: string; nameLatin?: string }
  status: { code: LegalEntityStatusCode; name: string }
  registrationDate: string
  termination?: { reason: string; startDate: string; endDate?: string }
  address: LegalEntityAddress
  heads: Array<{ name: string; nameLatin?: string; role: string; roleName: string; since: string }>
  founders: Array<{
    type: 'person' | 'legal-entity'
    name: string
    nameLatin?: string
    rnokpp?: string
    edrpou?: string
    foreignCode?: string
    country: string
    share: number
    contribution?: number
  }>
  activities: Array<{ code: string; name: string; primary: boolean }>
  authorisedCapital?: { amount: number; currency: 'UAH' }
}

export type LegalEntitiesRegisterState = { legalEntities: LegalEntityRecord[] }

const SEED = worldSeed<LegalEntitiesRegisterState>(
  new URL('../../world/ua-legal-entities-register.yaml', import.meta.url),
)

/** ЄДР (Unified State Register of legal entities) of the Ministry of Justice. */
export const uaLegalEntitiesRegister: ServiceMock<LegalEntitiesRegisterState> = {
  id: 'ua-legal-entities-register',
  seed: SEED,
  handlers: {
    getLegalEntity: ({ pathParams }, { state }) => {
      const entity = state.legalEntities.find((e) => e.edrpou === pathParams.edrpou)
      return entity
        ? { status: 200, body: entity }
        : problem('notFound', `ЄДР has no legal entity with EDRPOU code ${pathParams.edrpou}`)
    },
  },
}
