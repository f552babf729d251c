import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, expect, test } from 'vitest'
import { loadFederation } from '../federation/index.ts'
import { SildInputError } from '../source-file/index.ts'
import { loadPartner, loadPartnerFederation } from './index.ts'

const EXAMPLE = fileURLToPath(new URL('../../examples/partner-md/partner.yaml', import.meta.url))
const TEXT = readFileSync(EXAMPLE, 'utf8')

const dir = mkdtempSync(join(tmpdir(), 'sild-partner-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let files = 0
/** The example partner file with one edit (everywhere it occurs), written to a fresh folder. */
const variant = (from: string, to: string): string => {
  if (!TEXT.includes(from)) throw new Error(`the example has no ${JSON.stringify(from)}`)
  const folder = join(dir, String(++files))
  mkdirSync(folder)
  const file = join(folder, 'partner.yaml')
  writeFileSync(file, TEXT.replaceAll(from, to))
  return file
}

/** The 1-based line of the first occurrence of `text` in `file`. */
const lineOf = (file: string, text: string): number =>
  readFileSync(file, 'utf8')
    .split('\n')
    .findIndex((line) => line.includes(text)) + 1

const failure = (load: () => unknown): SildInputError => {
  try {
    load()
  } catch (error) {
    if (error instanceof SildInputError) return error
    throw error
  }
  throw new Error('expected a SildInputError')
}

test('loads the example partner with its claims, test data and rights', () => {
  const partner = loadPartner(EXAMPLE)
  expect(partner.instance).toBe('md-test')
  expect(partner.protocol).toBe('xroad-rest')
  expect(partner.claims.map((c) => [c.profile.id, c.serviceId, c.serviceKey])).toEqual([
    [
      'ee-population-register',
      'md-population-register',
      'md-test/GOV/1003600150045/rsp/population',
    ],
    [
      'ua-legal-entities-register',
      'md-legal-entities-register',
      'md-test/GOV/1003600150045/rsud/legal-entities',
    ],
  ])
  expect(partner.testData['ee-population-register']?.personalCode).toBe('38507124218')
  expect(partner.grants).toHaveLength(6)
  expect(partner.needs).toHaveLength(4)
})

test("joins the sandbox with the profile's bundled spec and the federation agreement", () => {
  const { federation } = loadPartnerFederation(EXAMPLE)
  const service = federation.serviceById('md-population-register')
  expect(service?.specFile).toBe(federation.serviceById('ee-population-register')?.specFile)
  expect(service?.provider).toBe('http://127.0.0.1:8090/population')
  expect(federation.acceptsFederation('ee-test', 'md-test')).toBe(true)
  expect(federation.acceptsFederation('SEVDEIR-TEST', 'md-test')).toBe(true)
  expect(federation.acceptsFederation('FI-TEST', 'md-test')).toBe(false)
  expect(
    federation.allows(
      'md-test/GOV/1010600034821/portal',
      'ee-test/GOV/70008440/rr/population',
      'GET',
      '/persons/48001013546',
    ),
  ).toBe(true)
})

test('leaves the bundled federation as it was', () => {
  loadPartnerFederation(EXAMPLE)
  const fed = loadFederation()
  expect(fed.instance('md-test')).toBeUndefined()
  expect(fed.instance('ee-test')?.allowedFederations).toEqual(['SEVDEIR-TEST', 'FI-TEST'])
})

test('names an unknown profile with the known ones, at its line', () => {
  const file = variant('profile: ee-population-register', 'profile: ee-population-registry')
  const error = failure(() => loadPartner(file))
  expect(error.message).toMatch(
    /unknown profile "ee-population-registry"; the profiles: ee-business-register, ee-population-register, ua-demographic-register, ua-legal-entities-register/,
  )
  expect(error.location).toMatchObject({ line: lineOf(file, 'ee-population-registry'), column: 17 })
})

test('refuses a profile claimed by two services', () => {
  const file = variant('profile: ua-legal-entities-register', 'profile: ee-population-register')
  const error = failure(() => loadPartner(file))
  expect(error.message).toMatch(
    /profile ee-population-register is claimed twice \(first by service md-population-register\)/,
  )
  expect(error.location?.line).toBe(lineOf(file, 'id: md-legal-entities-register') + 2)
})

test('refuses a test-data identifier that fails its check digit, saying why', () => {
  const file = variant("personalCode: '38507124218'", "personalCode: '38507124219'")
  const error = failure(() => loadPartner(file))
  expect(error.message).toMatch(
    /testData.ee-population-register.personalCode "38507124219" is not a valid ee-personal-code: check digit 9 does not match \(expected 8\)/,
  )
  expect(error.location?.line).toBe(lineOf(file, '38507124219'))
})

test('lists the test data a claimed profile lacks', () => {
  const file = variant("    missingEdrpou: '41099994'\n", '')
  const error = failure(() => loadPartner(file))
  expect(error.message).toBe('testData.ua-legal-entities-register lacks missingEdrpou')
  expect(error.hint).toMatch(/A valid EDRPOU code your register does not hold/)
})

test('refuses test data for a profile no service claims', () => {
  const file = variant('testData:\n', 'testData:\n  ee-business-register: { registryCode: x }\n')
  const error = failure(() => loadPartner(file))
  expect(error.message).toMatch(/test data for profile "ee-business-register", which no service/)
  expect(error.location?.line).toBe(lineOf(file, 'ee-business-register'))
})

test('refuses an access right that involves neither side of the partner', () => {
  const file = variant(
    'accessRights:\n',
    'accessRights:\n  - client: ee-test/COM/14001233/kyc\n    service: ee-test/GOV/70008440/rr/population\n',
  )
  const error = failure(() => loadPartner(file))
  expect(error.message).toMatch(/involves neither side of md-test/)
  expect(error.location?.line).toBe(lineOf(file, 'client: ee-test/COM/14001233/kyc'))
})

test('reports an unknown field at its file:line:column', () => {
  const file = variant(
    '    protocol: xroad-rest',
    '    protocol: xroad-rest\n    protocols: [uxp-rest]',
  )
  const error = failure(() => loadPartner(file))
  expect(error.message).toMatch(/invalid partner file: unknown property "protocols"/)
  expect(error.location).toMatchObject({ line: lineOf(file, 'protocols:'), column: 5 })
})

test('reports a service that names neither a profile nor a spec', () => {
  const file = variant('                profile: ee-population-register\n', '')
  const error = failure(() => loadPartner(file))
  expect(error.message).toMatch(/invalid partner file: .*(profile|spec)/)
  expect(error.location?.line).toBe(lineOf(file, 'id: md-population-register'))
})

test('refuses an access right to a service the sandbox does not have', () => {
  const file = variant(
    'service: ee-test/GOV/70008440/rr/population',
    'service: ee-test/GOV/70008440/rr/populace',
  )
  const error = failure(() => loadPartnerFederation(file))
  expect(error.message).toMatch(
    /access right to unknown service "ee-test\/GOV\/70008440\/rr\/populace"/,
  )
  expect(error.location?.file).toBe(file)
  expect(error.location?.line).toBe(lineOf(file, 'rr/populace'))
})

test('refuses an instance code the sandbox already has', () => {
  const file = variant('md-test', 'ee-test')
  const error = failure(() => loadPartnerFederation(file))
  expect(error.message).toMatch(/duplicate instance "ee-test"/)
  expect(error.location).toMatchObject({ file, line: lineOf(file, '- code: ee-test') })
})

test('refuses a federation with an instance the sandbox does not have', () => {
  const file = variant(
    'allowedFederations: [ee-test, SEVDEIR-TEST]',
    'allowedFederations: [ee-test, LV-TEST]',
  )
  const error = failure(() => loadPartnerFederation(file))
  expect(error.message).toMatch(/allowedFederations names "LV-TEST", which is no instance/)
  expect(error.location?.line).toBe(lineOf(file, 'LV-TEST'))
})

test('refuses a local file that would shadow a profile spec', () => {
  const file = variant('version: sild.partner/v1', 'version: sild.partner/v1')
  mkdirSync(join(file, '..', 'ee'))
  writeFileSync(join(file, '..', 'ee', 'population-register.yaml'), 'openapi: 3.1.0\n')
  const error = failure(() => loadPartnerFederation(file))
  expect(error.message).toMatch(/shadows the bundled spec/)
})
