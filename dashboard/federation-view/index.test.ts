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

test('gives each security server its X-Road version, and marks the UXP assumptions as assumed', () => {
  const byCode = new Map(view.instances.map((i) => [i.code, i]))
  expect(byCode.get('ee-test')?.faultStyle).toBe('X-Road 7.8')
  expect(byCode.get('FI-TEST')?.faultStyle).toBe('X-Road 7.6')
  const ua = byCode.get('SEVDEIR-TEST')
  expect(ua?.faultStyle).toMatch(/assumed: no public source/)
  expect(ua?.assumed).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/Uxp-Error header\. — assumed: no public source: /),
      expect.stringMatching(/Client\.MissingHeaderField\. — assumed: no public source: /),
    ]),
  )
  expect(byCode.get('ee-test')?.assumed.every((a) => /assumed: no public source/.test(a))).toBe(
    true,
  )
})
