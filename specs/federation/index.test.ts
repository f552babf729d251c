import { mkdtempSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { SildInputError } from '../source-file/index.ts'
import { loadFederation } from './index.ts'

const dir = mkdtempSync(join(tmpdir(), 'sild-federation-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
mkdirSync(join(dir, 'x'))
writeFileSync(join(dir, 'x', 'svc.yaml'), 'openapi: 3.1.0\n')

const write = (name: string, text: string): string => {
  const file = join(dir, name)
  writeFileSync(file, text)
  return file
}

const loadError = (file: string): SildInputError => {
  try {
    loadFederation([file])
  } catch (error) {
    if (error instanceof SildInputError) return error
    throw error
  }
  throw new Error('expected a SildInputError')
}

test('loads the bundled federation with both countries and their services', () => {
  const fed = loadFederation()
  expect(fed.instance('ee-test')?.protocol).toBe('xroad-rest')
  expect(fed.instance('SEVDEIR-TEST')?.protocol).toBe('uxp-rest')
  expect(fed.serviceById('ee-population-register')?.key).toBe('ee-test/GOV/70008440/rr/population')
  const declared = fed.services.filter((s) => s.provider !== 'metaservice')
  expect(declared.filter((s) => s.instance === 'ee-test')).toHaveLength(4)
  expect(declared.filter((s) => s.instance === 'SEVDEIR-TEST')).toHaveLength(4)
})

test('offers the metaservices of every provider subsystem as services', () => {
  const fed = loadFederation()
  const meta = fed.serviceById('ee-test/GOV/70008440/rr/listMethods')
  expect(meta).toMatchObject({
    provider: 'metaservice',
    code: 'listMethods',
    subsystemKey: 'ee-test/GOV/70008440/rr',
  })
  expect(fed.subsystem('ee-test/GOV/70008440/rr')?.services.map((s) => s.code)).toEqual([
    'population',
  ])
})

test('grants access per method and path glob', () => {
  const fed = loadFederation()
  const kyc = 'ee-test/COM/14001233/kyc'
  const br = 'ee-test/GOV/70000310/arireg/business-register'
  expect(fed.allows(kyc, br, 'GET', '/companies/12345678')).toBe(true)
  expect(fed.allows(kyc, br, 'GET', '/companies/12345678/representatives')).toBe(true)
  expect(fed.allows(kyc, br, 'POST', '/founding-applications')).toBe(false)
  expect(
    fed.allows('ee-test/GOV/70000310/arireg', 'ee-test/GOV/70008440/rr/population', 'GET', '/x'),
  ).toBe(true)
})

test('accepts only allowed federations, case-insensitively', () => {
  const fed = loadFederation()
  expect(fed.acceptsFederation('SEVDEIR-TEST', 'ee-test')).toBe(true)
  expect(fed.acceptsFederation('sevdeir-test', 'EE-TEST')).toBe(true)
  expect(fed.acceptsFederation('SEVDEIR-TEST', 'FI-TEST')).toBe(false)
  expect(fed.acceptsFederation('ee-test', 'FI-TEST')).toBe(true)
})

const minimal = (extra = '') => `version: sild.federation/v1
instances:
  - code: zz-test
    protocol: xroad-rest
    securityServer: { member: GOV/1, code: ss1 }
    members:
      - class: GOV
        code: '1'
        subsystems:
          - code: sub
            services:
              - { id: zz-svc, code: svc, spec: x/svc.yaml, provider: mock }
${extra}`

test('reports an unknown property with its line and column', () => {
  const e = loadError(
    write(
      'unknown.yaml',
      minimal().replace('protocol: xroad-rest', 'protocol: xroad-rest\n    colour: blue'),
    ),
  )
  expect(e.message).toMatch(/unknown property "colour"/)
  expect(e.location).toMatchObject({ line: 5, column: 5 })
})

test('reports a protocol that does not exist, listing the valid ones', () => {
  const e = loadError(write('proto.yaml', minimal().replace('xroad-rest', 'soap')))
  expect(e.message).toMatch(/must be one of "xroad-rest", "uxp-rest"/)
  expect(e.location?.line).toBe(4)
})

test('reports a character strict-identifier-checks does not register, where it is', () => {
  const e = loadError(write('chars.yaml', minimal().replace('code: sub', 'code: "s b"')))
  expect(e.message).toMatch(/identifier "s b" has characters .* does not register/)
  expect(e.hint).toMatch(/strictIdentifierChecks: false/)
  expect(e.location?.line).toBe(10)
})

test('registers such a character where the instance turned strict-identifier-checks off', () => {
  const text = minimal()
    .replace('code: sub', 'code: "s b"')
    .replace('protocol: xroad-rest', 'protocol: xroad-rest\n    strictIdentifierChecks: false')
  const federation = loadFederation([write('lenient.yaml', text)])
  expect(federation.instances[0]?.strictIdentifierChecks).toBe(false)
  expect(federation.subsystem(`${federation.instances[0]?.code}/GOV/1/s b`)).toBeDefined()
})

test('never registers a colon, slash, percent or control character', () => {
  const e = loadError(write('colon.yaml', minimal().replace('code: sub', 'code: "s:b"')))
  expect(e.message).toMatch(/does not match the pattern/)
})

test('refuses xroadVersion on a uxp-rest instance, where it is', () => {
  const text = minimal().replace(
    'protocol: xroad-rest',
    "protocol: uxp-rest\n    xroadVersion: '7.8'",
  )
  const e = loadError(write('uxp-version.yaml', text))
  expect(e.message).toMatch(/xroadVersion is for xroad-rest instances/)
  expect(e.hint).toMatch(/assumed: no public source/)
})

test('reports a missing spec file where it is named', () => {
  const e = loadError(write('missing.yaml', minimal().replace('x/svc.yaml', 'x/nope.yaml')))
  expect(e.message).toMatch(/spec file not found: x\/nope.yaml/)
  expect(e.location?.line).toBe(12)
})

test('refuses a spec reached through a symbolic link that leads out of the folder', () => {
  const outside = mkdtempSync(join(tmpdir(), 'sild-outside-'))
  try {
    writeFileSync(join(outside, 'secret.yaml'), 'openapi: 3.1.0\n')
    symlinkSync(join(outside, 'secret.yaml'), join(dir, 'x', 'linked.yaml'))
    const e = loadError(write('link.yaml', minimal().replace('x/svc.yaml', 'x/linked.yaml')))
    expect(e.message).toMatch(
      /spec "x\/linked.yaml" is outside the folder of .* \(through a link\)/,
    )
    expect(e.location?.line).toBe(12)
  } finally {
    rmSync(outside, { recursive: true, force: true })
  }
})

test("refuses a spec reference that escapes the file's folder", () => {
  const e = loadError(write('escape.yaml', minimal().replace('x/svc.yaml', '../../etc/passwd')))
  expect(e.message).toMatch(/outside the folder/)
})

test('reports an access right for an unknown service', () => {
  const e = loadError(
    write(
      'right.yaml',
      minimal(
        'accessRights:\n  - { client: zz-test/GOV/1/sub, service: zz-test/GOV/1/sub/nope }\n',
      ),
    ),
  )
  expect(e.message).toMatch(/unknown service "zz-test\/GOV\/1\/sub\/nope"/)
  expect(e.location?.line).toBe(14)
})

test('reports a duplicate instance across the federation and a partner file', () => {
  const a = write('a.yaml', minimal())
  const b = write(
    'b.yaml',
    minimal().replace('zz-svc', 'zz-other').replace('code: svc', 'code: other'),
  )
  expect(() => loadFederation([a, b])).toThrow(/duplicate instance "zz-test"/)
})

const DIRECT = `version: sild.federation/v1
instances:
  - code: UA
    protocol: uxp-rest
    securityServer: { member: GOV/1, code: SS1 }
    members:
      - class: GOV
        code: '1'
        subsystems:
          - code: APP
            services:
              - { id: api, code: Api_v1, spec: x/svc.yaml, provider: mock, access: direct }
              - { id: reg, code: Register_v1, spec: x/svc.yaml, provider: mock }
`

test('serves a direct service without publishing it on the security servers', () => {
  const fed = loadFederation([write('direct.yaml', DIRECT)])
  expect(fed.serviceById('api')).toMatchObject({ direct: true, key: 'UA/GOV/1/APP/Api_v1' })
  // No security server knows it, no metaservice lists it.
  expect(fed.service('UA/GOV/1/APP/Api_v1')).toBeUndefined()
  expect(fed.subsystem('UA/GOV/1/APP')?.services.map((s) => s.code)).toEqual(['Register_v1'])
  expect(fed.serviceById('reg')?.direct).toBeUndefined()
})

test('refuses an access right to a direct service, saying why', () => {
  const file = write(
    'direct-right.yaml',
    `${DIRECT}accessRights:\n  - { client: UA/GOV/1/APP, service: UA/GOV/1/APP/Api_v1 }\n`,
  )
  const error = loadError(file)
  expect(error.message).toBe(
    'access right to "UA/GOV/1/APP/Api_v1", which clients reach directly (access: direct)',
  )
  expect(error.location?.line).toBe(15)
})
