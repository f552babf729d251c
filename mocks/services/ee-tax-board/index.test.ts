import { beforeAll, expect, test } from 'vitest'
import { loadEeContract, type EeContract } from '../../../specs/ee/contract/index.ts'
import { cast, invoke, type RequestInit } from '../ee-test-kit/index.ts'
import { eeTaxBoard, type TaxBoardState } from './index.ts'

let contract: EeContract
beforeAll(async () => {
  contract = await loadEeContract('tax-board.yaml')
})

const call = async (state: TaxBoardState, operationId: string, init: RequestInit = {}) => {
  const response = await invoke(eeTaxBoard, state, operationId, init)
  expect(contract.responseErrors(operationId, response.status, response.body)).toEqual([])
  return response
}
const certify = (state: TaxBoardState, body: Record<string, unknown>) =>
  call(state, 'issueTaxResidencyCertificate', { body })

test('issues a certificate for a resident person, which can then be read', async () => {
  const state = eeTaxBoard.seed()
  const { status, body, headers } = await certify(state, {
    personalCode: '38302284976',
    year: 2025,
    country: 'UA',
  })
  expect(status).toBe(201)
  expect(body).toEqual({
    certificateNumber: 'TRC-2026-0002',
    holder: { personalCode: '38302284976', name: 'Martin Kuusik' },
    country: 'UA',
    year: 2025,
    period: { from: '2025-01-01', to: '2025-12-31' },
    status: 'valid',
    issuedOn: '2026-03-02',
  })
  expect(headers?.location).toBe('/tax-residency-certificates/TRC-2026-0002')
  const read = await call(state, 'getTaxResidencyCertificate', {
    pathParams: { certificateNumber: 'TRC-2026-0002' },
  })
  expect(read.body).toEqual(body)
})

test('issues a certificate for a company by registry code', async () => {
  const { body } = await certify(eeTaxBoard.seed(), {
    registryCode: '16000002',
    year: 2021,
    country: 'UA',
  })
  expect(body).toMatchObject({
    holder: { registryCode: '16000002', name: 'Baltic Ledger OÜ' },
    period: { from: '2021-02-02', to: '2021-12-31' },
  })
})

test('certifies only the resident part of a year, up to today', async () => {
  const state = eeTaxBoard.seed()
  const deceased = await certify(state, { personalCode: '35504224530', year: 2023, country: 'FI' })
  expect(deceased.body).toMatchObject({ period: { from: '2023-01-01', to: '2023-10-05' } })
  const thisYear = await certify(state, { personalCode: '48001013546', year: 2026, country: 'LV' })
  expect(thisYear.body).toMatchObject({
    certificateNumber: 'TRC-2026-0003',
    period: { from: '2026-01-01', to: '2026-03-02' },
  })
})

test('answers 409 for a taxpayer who was not resident in that year', async () => {
  const state = eeTaxBoard.seed()
  const eResident = await certify(state, { personalCode: '49003147126', year: 2025, country: 'UA' })
  expect(eResident.status).toBe(409)
  expect(eResident.body).toMatchObject({
    type: 'urn:sild:problem:conflict',
    detail: expect.stringContaining('Olena Kovalenko'),
  })
  expect(
    (await certify(state, { registryCode: '10888883', year: 2023, country: 'FI' })).status,
  ).toBe(409)
  expect(
    (await certify(state, { personalCode: '60510104869', year: 2004, country: 'FI' })).status,
  ).toBe(409)
  expect(state.certificates).toHaveLength(1)
})

test('answers 400 for a year after the current one', async () => {
  const { status, body } = await certify(eeTaxBoard.seed(), {
    personalCode: '48001013546',
    year: 2027,
    country: 'UA',
  })
  expect(status).toBe(400)
  expect(body).toMatchObject({ invalidParams: [{ name: 'year' }] })
})

test('answers 404 for unknown taxpayers and certificates', async () => {
  const state = eeTaxBoard.seed()
  expect(
    (await certify(state, { registryCode: '16554321', year: 2025, country: 'UA' })).status,
  ).toBe(404)
  expect(
    (await certify(state, { personalCode: '38001085718', year: 2025, country: 'UA' })).status,
  ).toBe(404)
  const certificate = await call(state, 'getTaxResidencyCertificate', {
    pathParams: { certificateNumber: 'TRC-2026-0002' },
  })
  expect(certificate.status).toBe(404)
  expect(
    (await call(state, 'getPersonTaxDebt', { pathParams: { personalCode: '38001085718' } })).status,
  ).toBe(404)
  expect(
    (await call(state, 'getCompanyTaxDebt', { pathParams: { registryCode: '16554321' } })).status,
  ).toBe(404)
})

test('reports the tax debt of persons and companies as of today', async () => {
  const state = eeTaxBoard.seed()
  const priit = await call(state, 'getPersonTaxDebt', {
    pathParams: { personalCode: '39209194313' },
  })
  expect(priit.body).toEqual({
    personalCode: '39209194313',
    hasDebt: true,
    amount: 1284.5,
    currency: 'EUR',
    asOf: '2026-03-02',
  })
  const mari = await call(state, 'getPersonTaxDebt', {
    pathParams: { personalCode: '48001013546' },
  })
  expect(mari.body).toMatchObject({ hasDebt: false, amount: 0 })
  const biotech = await call(state, 'getCompanyTaxDebt', {
    pathParams: { registryCode: '15111113' },
  })
  expect(biotech.body).toMatchObject({ registryCode: '15111113', hasDebt: true, amount: 3410 })
})

test('knows every Estonian, e-resident and Estonian company of the cast, but not Kovalenko Digital OÜ', () => {
  const codes = eeTaxBoard
    .seed()
    .taxpayers.map((t) => t.code)
    .sort()
  const people = cast.people.map((p) => p.personalCode ?? p.eResident?.personalCode).filter(Boolean)
  const companies = cast.companies
    .filter((c) => c.country === 'EE' && c.status !== 'founding')
    .map((c) => c.registryCode)
  expect(codes).toEqual([...people, ...companies].sort())
})

test('gives independent state on every seed', () => {
  const first = eeTaxBoard.seed()
  const second = eeTaxBoard.seed()
  first.taxpayers[0]!.debt = 100
  first.certificates[0]!.period.to = '2025-06-30'
  first.nextCertificateNumber = 9
  expect(second.taxpayers[0]!.debt).toBe(0)
  expect(second.certificates[0]!.period.to).toBe('2025-12-31')
  expect(eeTaxBoard.seed().nextCertificateNumber).toBe(2)
})
