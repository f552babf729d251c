import { afterAll, beforeAll, expect, test } from 'vitest'
import {
  bundledSandbox,
  DEMOGRAPHIC,
  EE,
  EESTI_EE,
  POPULATION,
  UA,
  UNZR,
} from '../security-server/fixtures/index.ts'
import type { Sandbox } from './index.ts'

let sb: Sandbox
beforeAll(async () => {
  sb = await bundledSandbox()
})
afterAll(() => sb.close())

const ARIREG = 'ee-test/GOV/70000310/arireg'
const BUSINESS = `${ARIREG}/business-register`
const E_RESIDENCY_CLIENT = 'ee-test/GOV/70008747/e-residency'
const E_RESIDENCY = `${E_RESIDENCY_CLIENT}/e-residency`
/** Olena Kovalenko, an e-resident not in the population register, and Andrii Shevchenko. */
const OLENA = '49003147126'
const ANDRII = '38507027138'

const post = (path: string, body: unknown) =>
  sb.dispatcher.fetch(`${sb.urls.securityServers[EE]}${path}`, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'X-Road-Client': EESTI_EE, 'content-type': 'application/json' },
  })

test('serves every service of the federation and one security server per instance', () => {
  expect(Object.keys(sb.urls.securityServers).sort()).toEqual(
    sb.federation.instances.map((i) => i.code).sort(),
  )
  expect(Object.keys(sb.urls.services).sort()).toEqual(
    sb.federation.services
      .filter((s) => s.provider === 'mock')
      .map((s) => s.id)
      .sort(),
  )
})

test('the business register checks founders through the security server as its own subsystem', async () => {
  const before = sb.log.size
  const response = await post(`/r1/${BUSINESS}/founding-applications`, {
    companyName: 'Kovalenko Digital OÜ',
    legalForm: 'OÜ',
    shareCapital: { amount: 2500, currency: 'EUR' },
    address: {
      county: 'Harju maakond',
      municipality: 'Tallinn',
      settlement: 'Kesklinna linnaosa',
      street: 'Narva mnt',
      house: '5',
      postalCode: '10117',
    },
    activity: { emtakCode: '62011' },
    founders: [{ personalCode: OLENA, share: { amount: 2500, currency: 'EUR' } }],
    board: [{ personalCode: OLENA }, { personalCode: ANDRII }],
  })
  expect(response.status).toBe(201)
  expect(await response.json()).toMatchObject({ status: 'registered' })
  const exchanges = sb.log
    .records()
    .slice(before)
    .map((r) => [r.client, r.service, r.path, r.status, r.roles])
  expect(exchanges).toEqual([
    [ARIREG, POPULATION, `/persons/${OLENA}`, 404, ['consumer', 'provider']],
    [ARIREG, E_RESIDENCY, `/e-residents/${OLENA}`, 200, ['consumer', 'provider']],
    [ARIREG, POPULATION, `/persons/${ANDRII}`, 404, ['consumer', 'provider']],
    [ARIREG, E_RESIDENCY, `/e-residents/${ANDRII}`, 200, ['consumer', 'provider']],
    [EESTI_EE, BUSINESS, '/founding-applications', 201, ['consumer', 'provider']],
  ])
})

test('e-Residency checks a Ukrainian applicant in ЄДДР across the border, with a declared purpose', async () => {
  const spec = sb.specs.get('ee-e-residency')!.document
  const example =
    spec.paths['/applications'].post.requestBody.content['application/json'].examples.olenaKovalenko
      .value
  const before = sb.log.size
  const response = await post(`/r1/${E_RESIDENCY}/applications`, example)
  expect(response.status).toBe(201)
  const { applicationId } = await response.json()

  const crossBorder = sb.log
    .records()
    .slice(before)
    .filter((r) => r.service === DEMOGRAPHIC)
  expect(crossBorder).toMatchObject([
    {
      instance: UA,
      roles: ['provider'],
      client: E_RESIDENCY_CLIENT,
      path: `/persons/${UNZR}`,
      status: 200,
      translation: 'xroad-rest→uxp-rest',
      requestHeaders: { 'uxp-purpose-ids': expect.any(String) },
    },
    { instance: EE, roles: ['consumer'], client: E_RESIDENCY_CLIENT, status: 200 },
  ])

  const application = await sb.dispatcher.fetch(
    `${sb.urls.securityServers[EE]}/r1/${E_RESIDENCY}/applications/${applicationId}`,
    { headers: { 'X-Road-Client': EESTI_EE } },
  )
  const { backgroundCheck } = await application.json()
  expect(backgroundCheck.register).toBe(DEMOGRAPHIC)
  expect(backgroundCheck.outcome).not.toBe('unavailable')
})

test('reset restores the registers’ seed records', async () => {
  const company = (code: string) =>
    sb.dispatcher.fetch(`${sb.urls.securityServers[EE]}/r1/${BUSINESS}/companies/${code}`, {
      headers: { 'X-Road-Client': 'ee-test/COM/14001233/kyc' },
    })
  const founded = await post(`/r1/${BUSINESS}/founding-applications`, {
    companyName: 'Reset Test OÜ',
    legalForm: 'OÜ',
    shareCapital: { amount: 2500, currency: 'EUR' },
    address: {
      county: 'Harju maakond',
      municipality: 'Tallinn',
      street: 'Narva mnt',
      house: '7',
      postalCode: '10117',
    },
    founders: [{ personalCode: ANDRII, share: { amount: 2500, currency: 'EUR' } }],
    board: [{ personalCode: ANDRII }],
  })
  const { registryCode } = await founded.json()
  expect(registryCode).toMatch(/^\d{8}$/)
  expect((await company(registryCode)).status).toBe(200)
  sb.reset()
  expect((await company(registryCode)).status).toBe(404)
})
