import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test, vi } from 'vitest'
import { loadPartnerFederation, PROFILES } from '../specs/partner/index.ts'
import { main } from './main.ts'

const dir = mkdtempSync(join(tmpdir(), 'sild-init-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const sild = async (...argv: string[]) => {
  const out: string[] = []
  const capture = (chunk: string | Uint8Array) => {
    out.push(String(chunk))
    return true
  }
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(capture as never)
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(capture as never)
  try {
    return { code: await main(argv), output: out.join('') }
  } finally {
    stdout.mockRestore()
    stderr.mockRestore()
  }
}

test('scaffolds a partner file that loads and claims every profile', async () => {
  const file = join(dir, 'all.yaml')
  const { code, output } = await sild('init', 'md-test', '--country', 'MD', '--out', file)
  expect(code).toBe(0)
  expect(output).toMatch(`sild run --partner ${file}`)
  const { federation, partner } = loadPartnerFederation(file)
  expect(partner.instance).toBe('md-test')
  expect(partner.claims.map((c) => c.profile.id)).toEqual(Object.keys(PROFILES).sort())
  expect(federation.instance('md-test')?.country).toBe('MD')
  expect(partner.needs.map((r) => r.service)).toEqual([
    'md-test/GOV/0000000000001/business-register/business-register',
    'md-test/GOV/0000000000001/population-register/population-register',
    'md-test/GOV/0000000000001/demographic-register/demographic-register',
    'md-test/GOV/0000000000001/legal-entities-register/legal-entities-register',
    'ee-test/GOV/70008440/rr/population',
    'SEVDEIR-TEST/GOV/00015622/EDR/LegalEntities_v1',
  ])
})

test("grants each claimed profile's callers, with their endpoints", async () => {
  const file = join(dir, 'population.yaml')
  await sild(
    'init',
    'kz-test',
    '--protocol',
    'uxp-rest',
    '--profiles',
    'ee-population-register',
    '--out',
    file,
  )
  const { partner } = loadPartnerFederation(file)
  expect(partner.protocol).toBe('uxp-rest')
  expect(partner.claims.map((c) => c.profile.id)).toEqual(['ee-population-register'])
  expect(partner.grants.filter((g) => !g.client.startsWith('kz-test/'))).toEqual([
    {
      client: 'ee-test/GOV/70006317/eesti-ee',
      service: 'kz-test/GOV/0000000000001/population-register/population-register',
    },
    {
      client: 'ee-test/GOV/70000310/arireg',
      service: 'kz-test/GOV/0000000000001/population-register/population-register',
      endpoints: [{ method: 'GET', path: '/persons/*' }],
    },
  ])
})

test('comments every field a person fills in', async () => {
  const file = join(dir, 'comments.yaml')
  await sild('init', 'md-test', '--out', file)
  const text = readFileSync(file, 'utf8')
  expect(text).toMatch(/# The base URL of your implementation/)
  expect(text).toMatch(
    /# A valid personal code your register does not hold\.\n {4}missingPersonalCode: "47010209999"/,
  )
})

test('never overwrites a file without --force', async () => {
  const file = join(dir, 'taken.yaml')
  writeFileSync(file, 'mine\n')
  const refused = await sild('init', 'md-test', '--out', file)
  expect(refused.code).toBe(2)
  expect(refused.output).toMatch(/taken.yaml already exists/)
  expect(readFileSync(file, 'utf8')).toBe('mine\n')
  expect((await sild('init', 'md-test', '--out', file, '--force')).code).toBe(0)
})

test('refuses an instance the sandbox already has, and leaves no file behind', async () => {
  const file = join(dir, 'clash.yaml')
  const { code, output } = await sild('init', 'EE-TEST', '--out', file)
  expect(code).toBe(2)
  expect(output).toMatch(/instance "EE-TEST" is already in the sandbox's federation/)
  expect(existsSync(file)).toBe(false)
})

test('refuses an instance whose service ids the sandbox already has, writing nothing', async () => {
  const file = join(dir, 'ee.yaml')
  const { code, output } = await sild('init', 'ee', '--out', file)
  expect(code).toBe(2)
  expect(output).toMatch(/a partner file for "ee" would not load: duplicate service id/)
  expect(output).toMatch(/Nothing was written/)
  expect(existsSync(file)).toBe(false)
})

test('refuses an instance code with characters X-Road does not allow', async () => {
  const { code, output } = await sild('init', 'md test', '--out', join(dir, 'x.yaml'))
  expect(code).toBe(2)
  expect(output).toMatch(/"md test" is not an instance code/)
})

test('refuses an unknown profile, naming the known ones', async () => {
  const { code, output } = await sild(
    'init',
    'md-test',
    '--profiles',
    'ee-census',
    '--out',
    join(dir, 'y.yaml'),
  )
  expect(code).toBe(2)
  expect(output).toMatch(
    /unknown profile ee-census; the profiles: ee-business-register, ee-population-register, ua-demographic-register, ua-legal-entities-register/,
  )
})

test('lists the profiles with the test data each needs', async () => {
  const { code, output } = await sild('init', '--list-profiles')
  expect(code).toBe(0)
  expect(output).toMatch(/ua-legal-entities-register {2}Legal-entities register/)
  expect(output).toMatch(
    /missingEdrpou \(ua-edrpou\): A valid EDRPOU code your register does not hold/,
  )
})
