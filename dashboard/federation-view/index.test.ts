import { expect, test } from 'vitest'
import { loadFederation } from '../../specs/federation/index.ts'
import { federationView } from './index.ts'

const view = federationView(loadFederation(), new Map())

test('links every pair of instances with what each side accepts', () => {
  expect(view.links).toContainEqual({
    a: 'ee-test',
    b: 'SEVDEIR-TEST',
    aAcceptsB: true,
    bAcceptsA: true,
  })
  expect(view.links).toContainEqual({
    a: 'SEVDEIR-TEST',
    b: 'FI-TEST',
    aAcceptsB: false,
    bAcceptsA: true,
  })
})

test('lists services under their subsystem, with the metaservices apart', () => {
  const rr = view.instances
    .find((i) => i.code === 'ee-test')
    ?.members.flatMap((m) => m.subsystems)
    .find((s) => s.code === 'rr')
  expect(rr?.services.map((s) => [s.id, s.provider])).toEqual([['ee-population-register', 'mock']])
  expect(rr?.metaservices).toEqual(['listMethods', 'allowedMethods', 'getOpenAPI'])
})

test('names the service of each access right and keeps its endpoints', () => {
  expect(view.accessRights).toContainEqual({
    client: 'ee-test/COM/14001233/kyc',
    service: 'SEVDEIR-TEST/GOV/00015622/EDR/LegalEntities_v1',
    serviceId: 'ua-legal-entities-register',
    endpoints: [{ method: 'GET', path: '/legal-entities/**' }],
  })
})
