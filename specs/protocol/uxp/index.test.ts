import fc from 'fast-check'
import { expect, test } from 'vitest'
import { ACCESS_DENIED, xroadFault } from '../xroad-errors/index.ts'
import {
  UXP_CHOICES,
  UXP_HEADER,
  UXP_HEADER_DISPLAY,
  formatUxpServiceId,
  parsePurposeIds,
  parseUxpClientId,
  parseUxpServiceId,
  renderUxpError,
  requiresPurpose,
  uxpServicePath,
} from './index.ts'

test('names every header in lower case and in the Trembita guide form', () => {
  for (const [key, name] of Object.entries(UXP_HEADER)) {
    expect(UXP_HEADER_DISPLAY[key as keyof typeof UXP_HEADER].toLowerCase()).toBe(name)
  }
  expect(UXP_HEADER_DISPLAY.queryId).toBe('Uxp-QueryID')
})

test('parses a Uxp-Client with an underscore subsystem code', () => {
  expect(parseUxpClientId('SEVDEIR-TEST/GOV/00000001/SUB_1')).toEqual({
    ok: true,
    value: {
      instance: 'SEVDEIR-TEST',
      memberClass: 'GOV',
      memberCode: '00000001',
      subsystemCode: 'SUB_1',
    },
  })
})

test('refuses a member-level Uxp-Client and a missing one', () => {
  expect(parseUxpClientId('SEVDEIR-TEST/GOV/00000001')).toMatchObject({
    ok: false,
    error: { code: 'InvalidClientIdentifier' },
  })
  expect(parseUxpClientId(null)).toMatchObject({
    ok: false,
    error: { code: 'MissingClientIdentifier' },
  })
})

test('parses a Uxp-Service with and without a version', () => {
  expect(parseUxpServiceId('SEVDEIR-TEST/GOV/00000002/SUB_2/space/1')).toEqual({
    ok: true,
    value: {
      instance: 'SEVDEIR-TEST',
      memberClass: 'GOV',
      memberCode: '00000002',
      subsystemCode: 'SUB_2',
      serviceCode: 'space',
      serviceVersion: '1',
    },
  })
  const unversioned = parseUxpServiceId('SEVDEIR-TEST/GOV/37508470/EDDR/DemographicRegister_v1')
  expect(unversioned).toMatchObject({ ok: true, value: { serviceCode: 'DemographicRegister_v1' } })
  expect(unversioned.ok && 'serviceVersion' in unversioned.value).toBe(false)
})

test('rejects a Uxp-Service with 4 or 7 parts, empty parts or bad characters', () => {
  expect(parseUxpServiceId('SEVDEIR-TEST/GOV/00000002/SUB_2')).toMatchObject({
    ok: false,
    error: { code: 'InvalidServiceIdentifier' },
  })
  expect(parseUxpServiceId('SEVDEIR-TEST/GOV/00000002/SUB_2/space/1/x').ok).toBe(false)
  expect(parseUxpServiceId('SEVDEIR-TEST/GOV/00000002//space')).toMatchObject({
    ok: false,
    error: { code: 'EmptyPart' },
  })
  expect(parseUxpServiceId('SEVDEIR-TEST/GOV/00000002/SUB_2/%3Cscript%3E')).toMatchObject({
    ok: false,
    error: { code: 'InvalidCharacters' },
  })
})

test('reads an empty trailing version as no version, as a public sample client sends it', () => {
  expect(parseUxpServiceId('SEVDEIR-TEST/GOV/00000002/SUB_2/space/')).toEqual({
    ok: true,
    value: {
      instance: 'SEVDEIR-TEST',
      memberClass: 'GOV',
      memberCode: '00000002',
      subsystemCode: 'SUB_2',
      serviceCode: 'space',
    },
  })
})

test('decodes each Uxp-Service part separately and formats it back', () => {
  const parsed = parseUxpServiceId('SEVDEIR%2DTEST/GOV/43220851/DIIA/Diia_v1/2')
  expect(parsed).toMatchObject({
    ok: true,
    value: { instance: 'SEVDEIR-TEST', serviceVersion: '2' },
  })
  if (parsed.ok)
    expect(formatUxpServiceId(parsed.value)).toBe('SEVDEIR-TEST/GOV/43220851/DIIA/Diia_v1/2')
})

test('finds the provider path behind the /restapi endpoint', () => {
  expect(uxpServicePath('/restapi')).toBe('/')
  expect(uxpServicePath('/restapi/persons/1234567890')).toBe('/persons/1234567890')
  expect(uxpServicePath('/restapix')).toBeUndefined()
  expect(uxpServicePath('/r1/SEVDEIR-TEST/GOV/1/A/b')).toBeUndefined()
})

test('parses the declaration-of-purpose ids', () => {
  expect(parsePurposeIds('purpose-1')).toEqual({ ok: true, value: ['purpose-1'] })
  expect(parsePurposeIds(' a , b ')).toEqual({ ok: true, value: ['a', 'b'] })
  expect(parsePurposeIds('a,,b')).toMatchObject({ ok: false, error: { code: 'EmptyPart' } })
  expect(parsePurposeIds('')).toMatchObject({ ok: false, error: { code: 'EmptyPart' } })
})

test('requires a purpose only for services that handle personal data', () => {
  expect(requiresPurpose({ personalData: true })).toBe(true)
  expect(requiresPurpose({ personalData: false })).toBe(false)
  expect(requiresPurpose({})).toBe(false)
})

test('renders faults with the code in Uxp-Error instead of X-Road-Error', () => {
  const rendered = renderUxpError(xroadFault(ACCESS_DENIED, 'd', 'SERVICE:x'), null)
  expect(rendered.status).toBe(500)
  expect(rendered.headers).toEqual({
    'content-type': 'application/json;charset=utf-8',
    'uxp-error': 'Server.ServerProxy.AccessDenied',
  })
  expect(UXP_CHOICES.missingHeaderFault.code).toBe('Client.MissingHeaderField')
})

test('never throws on arbitrary input', () => {
  const anyString = fc.oneof(
    fc.string({ unit: 'binary' }),
    fc.string({ unit: fc.constantFrom('/', '%', '2', 'F', ',', '_', 'a', ' ', '\uD800') }),
  )
  fc.assert(
    fc.property(anyString, (s) => {
      expect(typeof parseUxpClientId(s).ok).toBe('boolean')
      expect(typeof parseUxpServiceId(s).ok).toBe('boolean')
      expect(typeof parsePurposeIds(s).ok).toBe('boolean')
      uxpServicePath(s)
    }),
    { seed: 42, numRuns: 500 },
  )
})
