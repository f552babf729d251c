import { expect, test } from 'vitest'
import type { MockRequest, MockResponse, Peers } from '../types.ts'
import { uaTaxService, type TaxServiceState } from './index.ts'

const peers: Peers = {
  call: async () => {
    throw new Error('ДПС calls no other service')
  },
}

const call = async (
  operationId: string,
  init: Partial<MockRequest>,
  state: TaxServiceState = uaTaxService.seed(),
): Promise<MockResponse> => {
  const handler = uaTaxService.handlers[operationId]
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

const certify = (body: unknown, state?: TaxServiceState) =>
  call('createTaxResidencyCertificate', { method: 'POST', body }, state)

test('returns a taxpayer by RNOKPP', async () => {
  const response = await call('getTaxpayer', { pathParams: { rnokpp: '3475819119' } })
  expect(response.status).toBe(200)
  expect(response.body).toMatchObject({
    rnokpp: '3475819119',
    name: 'Поліщук Богдан Михайлович',
    registrationStatus: { code: 'registered' },
    taxAddress: { settlement: 'м. Вінниця' },
    vatPayer: false,
    individualEntrepreneur: true,
    singleTaxGroup: 3,
  })
})

test('answers 404 for an RNOKPP the tax service does not hold', async () => {
  const response = await call('getTaxpayer', { pathParams: { rnokpp: '1234567899' } })
  expect(response.status).toBe(404)
})

test('issues a numbered certificate on the sandbox date that later calls can read', async () => {
  const state = uaTaxService.seed()
  const created = await certify({ rnokpp: '3475819119', year: 2025, country: 'EE' }, state)
  expect(created).toEqual({
    status: 201,
    headers: { location: '/tax-residency-certificates/TRC-0002' },
    body: {
      certificateNumber: 'TRC-0002',
      taxpayer: {
        rnokpp: '3475819119',
        name: 'Поліщук Богдан Михайлович',
        nameLatin: 'Bohdan Polishchuk',
      },
      year: 2025,
      country: 'EE',
      issueDate: '2026-03-02',
      status: 'issued',
    },
  })
  const read = await call(
    'getTaxResidencyCertificate',
    { pathParams: { certificateNumber: 'TRC-0002' } },
    state,
  )
  expect(read).toEqual({ status: 200, body: created.body })
  const next = await certify({ rnokpp: '3711718429', year: 2026, country: 'EE' }, state)
  expect(next.body).toMatchObject({ certificateNumber: 'TRC-0003' })
})

test('issues a certificate to a legal entity by EDRPOU code', async () => {
  const response = await certify({ edrpou: '38123450', year: 2025, country: 'EE' })
  expect(response.status).toBe(201)
  expect(response.body).toMatchObject({
    taxpayer: { edrpou: '38123450', nameLatin: 'Karpaty Software LLC' },
  })
})

test('refuses a certificate to a taxpayer taken off the register with 409', async () => {
  const response = await certify({ rnokpp: '2185117716', year: 2023, country: 'EE' })
  expect(response.status).toBe(409)
  expect(response.body).toMatchObject({ type: 'urn:sild:problem:conflict' })
})

test('refuses a certificate for a year after the sandbox date with 400', async () => {
  const response = await certify({ rnokpp: '3475819119', year: 2027, country: 'EE' })
  expect(response.status).toBe(400)
  expect(response.body).toMatchObject({ invalidParams: [{ name: 'year' }] })
})

test('answers 404 when asked to certify an unknown taxpayer', async () => {
  const response = await certify({ edrpou: '12345674', year: 2025, country: 'EE' })
  expect(response.status).toBe(404)
})

test('returns the seeded certificate and 404 for an unknown number', async () => {
  const known = await call('getTaxResidencyCertificate', {
    pathParams: { certificateNumber: 'TRC-0001' },
  })
  const unknown = await call('getTaxResidencyCertificate', {
    pathParams: { certificateNumber: 'TRC-9999' },
  })
  expect(known.body).toMatchObject({
    taxpayer: { rnokpp: '3711718429' },
    year: 2025,
    country: 'EE',
  })
  expect(unknown.status).toBe(404)
})

test('two seeds are independent of each other', async () => {
  const first = uaTaxService.seed()
  await certify({ rnokpp: '3475819119', year: 2025, country: 'EE' }, first)
  const second = uaTaxService.seed()
  expect(first.certificates).toHaveLength(2)
  expect(second.certificates).toHaveLength(1)
  expect(second.nextCertificate).toBe(2)
})
