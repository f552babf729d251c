import fc from 'fast-check'
import { expect, test } from 'vitest'
import {
  describeClientId,
  describeSecurityServerId,
  describeServiceId,
  formatClientId,
  formatR1Path,
  formatServiceId,
  parseClientId,
  parseR1Path,
  parseRepresentedParty,
  parseSecurityServerId,
  parseServiceId,
  subsystemKey,
  type ServiceId,
} from './index.ts'

const POPULATION: ServiceId = {
  instance: 'ee-test',
  memberClass: 'GOV',
  memberCode: '70008440',
  subsystemCode: 'rr',
  serviceCode: 'population',
}

const errorCode = (result: { ok: boolean; error?: { code: string } }) => result.error?.code

test('parses a subsystem client id', () => {
  expect(parseClientId('ee-test/GOV/70006317/eesti-ee')).toEqual({
    ok: true,
    value: {
      instance: 'ee-test',
      memberClass: 'GOV',
      memberCode: '70006317',
      subsystemCode: 'eesti-ee',
    },
  })
})

test('parses a member client id without a subsystem', () => {
  const result = parseClientId('ee-test/GOV/70006317')
  expect(result).toEqual({
    ok: true,
    value: { instance: 'ee-test', memberClass: 'GOV', memberCode: '70006317' },
  })
  expect(result.ok && 'subsystemCode' in result.value).toBe(false)
})

test('decodes each client id part separately', () => {
  expect(parseClientId('ee%2Dtest/GOV/1234567%2D1/cli%65nt')).toEqual({
    ok: true,
    value: {
      instance: 'ee-test',
      memberClass: 'GOV',
      memberCode: '1234567-1',
      subsystemCode: 'client',
    },
  })
})

test('reports a missing client header', () => {
  expect(parseClientId(undefined)).toMatchObject({
    ok: false,
    error: { code: 'MissingClientIdentifier', message: 'The client identifier is missing' },
  })
  expect(errorCode(parseClientId(null))).toBe('MissingClientIdentifier')
})

test('rejects client ids with fewer than 3 or more than 4 parts', () => {
  for (const value of ['', 'ee-test', 'ee-test/GOV', 'ee-test/GOV/70006317/eesti-ee/extra']) {
    expect(parseClientId(value)).toMatchObject({
      ok: false,
      error: { code: 'InvalidClientIdentifier', message: 'Invalid Client Id' },
    })
  }
})

test('rejects empty client id parts', () => {
  expect(errorCode(parseClientId('ee-test//70006317/x'))).toBe('EmptyPart')
  expect(errorCode(parseClientId('ee-test/GOV/70006317/'))).toBe('EmptyPart')
})

test('rejects characters a URI segment cannot carry unencoded', () => {
  expect(parseClientId('ee-test/GOV/7000 6317/x')).toMatchObject({
    ok: false,
    error: { code: 'InvalidPercentEncoding', message: 'Invalid character in path segment' },
  })
  expect(errorCode(parseClientId('ee-test/GOV/<script>/x'))).toBe('InvalidPercentEncoding')
})

test('rejects decoded characters outside PR-REST §4.8', () => {
  for (const value of [
    'ee-test/GOV/7000%206317/x',
    'ee-test/GOV/%3Cscript%3E/x',
    'ee-test/GOV/70006317/a_b',
    'ee-test/GOV/70006317/%C3%B6',
  ]) {
    expect(errorCode(parseClientId(value))).toBe('InvalidCharacters')
  }
})

test('accepts all PR-REST §4.8 punctuation', () => {
  expect(parseClientId("EE/COM/a'()+,-.=%3F/b").ok).toBe(true)
})

test('accepts any decodable part under the lenient charset', () => {
  expect(parseClientId('EE/BUSINESS/consumer/sub%2Fsystem', { charset: 'lenient' })).toEqual({
    ok: true,
    value: {
      instance: 'EE',
      memberClass: 'BUSINESS',
      memberCode: 'consumer',
      subsystemCode: 'sub/system',
    },
  })
  expect(errorCode(parseClientId('EE/BUSINESS/consumer/sub%2Fsystem'))).toBe('InvalidCharacters')
})

test('parses a service id of exactly 5 parts', () => {
  expect(parseServiceId('ee-test/GOV/70008440/rr/population')).toEqual({
    ok: true,
    value: POPULATION,
  })
  for (const value of ['ee-test/GOV/70008440/rr', 'ee-test/GOV/70008440/rr/population/v1']) {
    expect(parseServiceId(value)).toMatchObject({
      ok: false,
      error: { code: 'InvalidServiceIdentifier', message: 'Invalid Service Id' },
    })
  }
})

test('parses a security server id of exactly 4 parts', () => {
  expect(parseSecurityServerId('ee-test/GOV/70006317/ss1')).toEqual({
    ok: true,
    value: { instance: 'ee-test', memberClass: 'GOV', memberCode: '70006317', serverCode: 'ss1' },
  })
  expect(parseSecurityServerId('ee-test/GOV/70006317')).toMatchObject({
    ok: false,
    error: { code: 'InvalidSecurityServerIdentifier', message: 'Invalid SecurityServer Id' },
  })
})

test('parses a represented party with or without its member class', () => {
  expect(parseRepresentedParty('COM/14001233')).toEqual({
    ok: true,
    value: { memberClass: 'COM', memberCode: '14001233' },
  })
  expect(parseRepresentedParty('14001233')).toEqual({ ok: true, value: { memberCode: '14001233' } })
  expect(errorCode(parseRepresentedParty('ee-test/COM/14001233'))).toBe('InvalidRepresentedParty')
})

test('parses an /r1/ path into the service id and the provider path', () => {
  expect(parseR1Path('/r1/ee-test/GOV/70008440/rr/population/persons/38001085718')).toEqual({
    ok: true,
    value: { protocolVersion: 'r1', serviceId: POPULATION, servicePath: '/persons/38001085718' },
  })
})

test('gives an empty provider path for a bare service id and "/" for a trailing slash', () => {
  expect(parseR1Path('/r1/ee-test/GOV/70008440/rr/population')).toMatchObject({
    ok: true,
    value: { servicePath: '' },
  })
  expect(parseR1Path('/r1/ee-test/GOV/70008440/rr/population/')).toMatchObject({
    ok: true,
    value: { servicePath: '/' },
  })
})

test('passes the provider path through without decoding it', () => {
  expect(parseR1Path('/r1/EE/BUSINESS/producer/sub/service/path%3B/x%2Fy')).toMatchObject({
    ok: true,
    value: { servicePath: '/path%3B/x%2Fy' },
  })
})

test('decodes an encoded slash in the service code after splitting', () => {
  const result = parseR1Path('/r1/INSTANCE/CLASS2/MEMBER2/SUBSYSTEM2/BAR%2FSERVICE/v1/bar/zyggy', {
    charset: 'lenient',
  })
  expect(result).toEqual({
    ok: true,
    value: {
      protocolVersion: 'r1',
      serviceId: {
        instance: 'INSTANCE',
        memberClass: 'CLASS2',
        memberCode: 'MEMBER2',
        subsystemCode: 'SUBSYSTEM2',
        serviceCode: 'BAR/SERVICE',
      },
      servicePath: '/v1/bar/zyggy',
    },
  })
})

test('rejects a decoded slash in a service code under PR-REST §4.8', () => {
  expect(errorCode(parseR1Path('/r1/INSTANCE/CLASS2/MEMBER2/SUBSYSTEM2/BAR%2FSERVICE'))).toBe(
    'InvalidCharacters',
  )
})

test('rejects an unsupported protocol version', () => {
  expect(parseR1Path('/r2/ee-test/GOV/70008440/rr/population')).toMatchObject({
    ok: false,
    error: { code: 'UnsupportedProtocolVersion', message: 'Unsupported protocol version 2' },
  })
})

test('rejects the pre-0.2.0 v1 prefix and other version segments', () => {
  expect(parseR1Path('/v1/ee-test/GOV/70008440/rr/population')).toMatchObject({
    ok: false,
    error: { code: 'InvalidProtocolVersion', message: 'Invalid protocol version v1' },
  })
  expect(errorCode(parseR1Path('/r10/ee-test/GOV/70008440/rr/population'))).toBe(
    'InvalidProtocolVersion',
  )
})

test('rejects a path with fewer than 5 service id segments', () => {
  for (const path of ['/r1/ee-test/GOV/70008440/rr', '/r1/invalid', '/r1/', '/', '']) {
    expect(parseR1Path(path)).toMatchObject({
      ok: false,
      error: { code: 'InvalidRequestUri', message: 'Invalid request URI' },
    })
  }
})

test('rejects a path that does not start with a slash', () => {
  expect(errorCode(parseR1Path('r1/ee-test/GOV/70008440/rr/population'))).toBe('InvalidRequestUri')
})

test('rejects empty service id segments in a path', () => {
  expect(errorCode(parseR1Path('/r1/ee-test/GOV//rr/population'))).toBe('EmptyPart')
})

test('formats ids percent-encoding each part', () => {
  expect(
    formatClientId({ instance: 'EE', memberClass: 'COM', memberCode: 'a b', subsystemCode: 'x/y' }),
  ).toBe('EE/COM/a%20b/x%2Fy')
  expect(formatClientId({ instance: 'EE', memberClass: 'COM', memberCode: '123' })).toBe(
    'EE/COM/123',
  )
  expect(formatServiceId({ ...POPULATION, serviceCode: 'BAR/SERVICE' })).toBe(
    'ee-test/GOV/70008440/rr/BAR%2FSERVICE',
  )
  expect(formatR1Path(POPULATION, '/persons/1')).toBe(
    '/r1/ee-test/GOV/70008440/rr/population/persons/1',
  )
})

test('gives the owning subsystem key of client and service ids', () => {
  expect(subsystemKey(POPULATION)).toBe('ee-test/GOV/70008440/rr')
  expect(
    subsystemKey({ instance: 'EE', memberClass: 'GOV', memberCode: '1', subsystemCode: 'a' }),
  ).toBe('EE/GOV/1/a')
  expect(subsystemKey({ instance: 'EE', memberClass: 'GOV', memberCode: '1' })).toBe('EE/GOV/1')
})

test('describes ids the way X-Road prints them in fault messages', () => {
  expect(describeServiceId(POPULATION)).toBe('SERVICE:ee-test/GOV/70008440/rr/population')
  expect(
    describeClientId({ instance: 'EE', memberClass: 'GOV', memberCode: '1', subsystemCode: 'a' }),
  ).toBe('SUBSYSTEM:EE/GOV/1/a')
  expect(describeClientId({ instance: 'EE', memberClass: 'GOV', memberCode: '1' })).toBe(
    'MEMBER:EE/GOV/1',
  )
  expect(
    describeSecurityServerId({
      instance: 'EE',
      memberClass: 'GOV',
      memberCode: '1',
      serverCode: 'ss1',
    }),
  ).toBe('SERVER:EE/GOV/1/ss1')
})

const anyString = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({
    unit: fc.constantFrom('/', '%', '2', 'F', 'r', '1', 'a', ' ', 'ö', '\u0000', '\uD800'),
  }),
)

test('never throws on arbitrary input', () => {
  fc.assert(
    fc.property(anyString, (s) => {
      for (const charset of ['pr-rest', 'lenient'] as const) {
        for (const parse of [
          parseClientId,
          parseServiceId,
          parseSecurityServerId,
          parseRepresentedParty,
          parseR1Path,
        ]) {
          expect(typeof parse(s, { charset }).ok).toBe('boolean')
        }
      }
    }),
    { seed: 42, numRuns: 500 },
  )
})

const part = fc.string({
  unit: fc.constantFrom(..."AZaz09'()+,-.=?".split('')),
  minLength: 1,
  maxLength: 8,
})

test('parses back what it formats', () => {
  fc.assert(
    fc.property(
      part,
      part,
      part,
      part,
      part,
      (instance, memberClass, memberCode, subsystemCode, serviceCode) => {
        const id = { instance, memberClass, memberCode, subsystemCode, serviceCode }
        expect(parseServiceId(formatServiceId(id))).toEqual({ ok: true, value: id })
        expect(parseR1Path(formatR1Path(id, '/x'))).toEqual({
          ok: true,
          value: { protocolVersion: 'r1', serviceId: id, servicePath: '/x' },
        })
        const client = { instance, memberClass, memberCode, subsystemCode }
        expect(parseClientId(formatClientId(client))).toEqual({ ok: true, value: client })
      },
    ),
    { seed: 42, numRuns: 500 },
  )
})
