import { problem } from '../problem.ts'
import { worldSeed } from '../world-seed.ts'
import type { ServiceMock } from '../types.ts'

export type TaxAddress = {
  postalCode: string
  region: string
  settlement: string
  street: string
  full: string
}

type Registration = {
  registrationStatus: { code: 'registered' | 'deregistered'; name: string }
  deregistrationDate?: string
  taxAddress: TaxAddress
  taxOffice: string
  taxpayerSince: string
  vatPayer: boolean
}

/** A natural-person taxpayer as ДПС answers it (specs/ua/tax-service.yaml `Taxpayer`). */
export type IndividualTaxpayer = Registration & {
  rnokpp: string
  name: string
  nameLatin: string
  individualEntrepreneur: boolean
  singleTaxGroup?: number
}

export type LegalEntityTaxpayer = Registration & {
  edrpou: string
  name: string
  nameLatin: string
  vatNumber?: string
}

export type TaxResidencyCertificate = {
  certificateNumber: string
  taxpayer: { rnokpp?: string; edrpou?: string; name: string; nameLatin?: string }
  year: number
  country: string
  issueDate: string
  status: 'issued' | 'revoked'
}

export type TaxServiceState = {
  /** The sandbox calendar date certificates are issued on. */
  today: string
  nextCertificate: number
  individuals: IndividualTaxpayer[]
  legalEntities: LegalEntityTaxpayer[]
  certificates: TaxResidencyCertificate[]
}

type CertificateRequest = { rnokpp?: string; edrpou?: string; year: number; country: string }

const SEED = worldSeed<TaxServiceState>(new URL('../../world/ua-tax-service.yaml', import.meta.url))

/** ДПС (State Tax Service): taxpayers and certificates of Ukrainian tax residency. */
export const uaTaxService: ServiceMock<TaxServiceState> = {
  id: 'ua-tax-service',
  seed: SEED,
  handlers: {
    getTaxpayer: ({ pathParams }, { state }) => {
      const taxpayer = state.individuals.find((t) => t.rnokpp === pathParams.rnokpp)
      return taxpayer
        ? { status: 200, body: taxpayer }
        : problem('notFound', `ДПС has no taxpayer with RNOKPP ${pathParams.rnokpp}`)
    },
    createTaxResidencyCertificate: ({ body }, { state }) => {
      const { rnokpp, edrpou, year, country } = body as CertificateRequest
      const taxpayer = rnokpp
        ? state.individuals.find((t) => t.rnokpp === rnokpp)
        : state.legalEntities.find((t) => t.edrpou === edrpou)
      const identifier = rnokpp ? `RNOKPP ${rnokpp}` : `EDRPOU code ${edrpou}`
      if (!taxpayer) return problem('notFound', `ДПС has no taxpayer with ${identifier}`)
      if (taxpayer.registrationStatus.code !== 'registered') {
        return problem(
          'conflict',
          `the taxpayer with ${identifier} was taken off the register on ${taxpayer.deregistrationDate}`,
        )
      }
      const currentYear = Number(state.today.slice(0, 4))
      if (year > currentYear) {
        return problem('validationFailed', `residency can be confirmed up to ${currentYear}`, [
          { name: 'year', reason: `must not be after ${currentYear}` },
        ])
      }
      const certificate: TaxResidencyCertificate = {
        certificateNumber: `TRC-${String(state.nextCertificate++).padStart(4, '0')}`,
        taxpayer: {
          ...(rnokpp ? { rnokpp } : { edrpou }),
          name: taxpayer.name,
          nameLatin: taxpayer.nameLatin,
        },
        year,
        country,
        issueDate: state.today,
        status: 'issued',
      }
      state.certificates.push(certificate)
      return {
        status: 201,
        headers: { location: `/tax-residency-certificates/${certificate.certificateNumber}` },
        body: certificate,
      }
    },
    getTaxResidencyCertificate: ({ pathParams }, { state }) => {
      const number = pathParams.certificateNumber
      const certificate = state.certificates.find((c) => c.certificateNumber === number)
      return certificate
        ? { status: 200, body: certificate }
        : problem('notFound', `ДПС issued no certificate ${number}`)
    },
  },
}
