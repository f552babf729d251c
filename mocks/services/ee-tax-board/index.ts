import { problem } from '../problem.ts'
import { worldSeed } from '../world-seed.ts'
import type { OperationHandler, ServiceMock } from '../types.ts'

export type Taxpayer = {
  /** Personal code of a person, registry code of a company. */
  code: string
  kind: 'person' | 'company'
  name: string
  /** The period of Estonian tax residency; absent for a non-resident (e.g. an e-resident). */
  residentFrom?: string
  residentUntil?: string
  /** Tax debt in euros. */
  debt: number
}

export type Certificate = {
  certificateNumber: string
  holder: { personalCode?: string; registryCode?: string; name: string }
  country: string
  year: number
  period: { from: string; to: string }
  status: 'valid' | 'revoked'
  issuedOn: string
}

export type TaxBoardState = {
  /** The sandbox's date: certificates are issued and debts reported as of it. */
  today: string
  nextCertificateNumber: number
  taxpayers: Taxpayer[]
  certificates: Certificate[]
}

const SEED = worldSeed<TaxBoardState>(new URL('../../world/ee-tax-board.yaml', import.meta.url))

const findTaxpayer = (state: TaxBoardState, code: string | undefined, kind: Taxpayer['kind']) =>
  state.taxpayers.find((t) => t.code === code && t.kind === kind)

const taxpayerNotFound = (code: string | undefined) =>
  problem('notFound', `No taxpayer with code ${code} at the Tax and Customs Board`)

/** The part of `year` the taxpayer was resident, up to today; undefined if none. */
const residentPeriod = (taxpayer: Taxpayer, year: number, today: string) => {
  if (!taxpayer.residentFrom) return undefined
  const limits = [`${year}-12-31`, today, taxpayer.residentUntil ?? today]
  const from = [`${year}-01-01`, taxpayer.residentFrom].sort().at(-1)!
  const to = limits.sort()[0]!
  return from <= to ? { from, to } : undefined
}

const issueTaxResidencyCertificate: OperationHandler<TaxBoardState> = ({ body }, { state }) => {
  const request = body as {
    personalCode?: string
    registryCode?: string
    year: number
    country: string
  }
  if (request.year > Number(state.today.slice(0, 4))) {
    return problem('validationFailed', `Residency in ${request.year} cannot be certified yet`, [
      { name: 'year', reason: 'must not be after the current year' },
    ])
  }
  const code = request.personalCode ?? request.registryCode
  const taxpayer = findTaxpayer(state, code, request.personalCode ? 'person' : 'company')
  if (!taxpayer) return taxpayerNotFound(code)
  const period = residentPeriod(taxpayer, request.year, state.today)
  if (!period) {
    return problem(
      'conflict',
      `${taxpayer.name} (${code}) was not resident in Estonia for tax purposes in ${request.year}`,
    )
  }
  const certificate: Certificate = {
    certificateNumber: `TRC-${state.today.slice(0, 4)}-${String(state.nextCertificateNumber++).padStart(4, '0')}`,
    holder: {
      ...(taxpayer.kind === 'person'
        ? { personalCode: taxpayer.code }
        : { registryCode: taxpayer.code }),
      name: taxpayer.name,
    },
    country: request.country,
    year: request.year,
    period,
    status: 'valid',
    issuedOn: state.today,
  }
  state.certificates.push(certificate)
  return {
    status: 201,
    headers: { location: `/tax-residency-certificates/${certificate.certificateNumber}` },
    body: structuredClone(certificate),
  }
}

const getTaxResidencyCertificate: OperationHandler<TaxBoardState> = ({ pathParams }, { state }) => {
  const certificate = state.certificates.find(
    (c) => c.certificateNumber === pathParams.certificateNumber,
  )
  return certificate
    ? { status: 200, body: structuredClone(certificate) }
    : problem('notFound', `No tax residency certificate ${pathParams.certificateNumber}`)
}

const debtStatus = (taxpayer: Taxpayer, today: string) => ({
  hasDebt: taxpayer.debt > 0,
  amount: taxpayer.debt,
  currency: 'EUR',
  asOf: today,
})

const getPersonTaxDebt: OperationHandler<TaxBoardState> = ({ pathParams }, { state }) => {
  const taxpayer = findTaxpayer(state, pathParams.personalCode, 'person')
  if (!taxpayer) return taxpayerNotFound(pathParams.personalCode)
  return {
    status: 200,
    body: { personalCode: taxpayer.code, ...debtStatus(taxpayer, state.today) },
  }
}

const getCompanyTaxDebt: OperationHandler<TaxBoardState> = ({ pathParams }, { state }) => {
  const taxpayer = findTaxpayer(state, pathParams.registryCode, 'company')
  if (!taxpayer) return taxpayerNotFound(pathParams.registryCode)
  return {
    status: 200,
    body: { registryCode: taxpayer.code, ...debtStatus(taxpayer, state.today) },
  }
}

/** Maksu- ja Tolliamet: tax residency certificates and tax debt status. */
export const eeTaxBoard: ServiceMock<TaxBoardState> = {
  id: 'ee-tax-board',
  seed: SEED,
  handlers: {
    issueTaxResidencyCertificate,
    getTaxResidencyCertificate,
    getPersonTaxDebt,
    getCompanyTaxDebt,
  },
}
