import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'
import { loadFederation } from '../../../specs/federation/index.ts'
import { lintFederation, TREMBITA_SERVICE_CODE } from './index.ts'

const LINT = fileURLToPath(new URL('../../../test/fixtures/specs-lint/', import.meta.url))

test('Trembita service codes are ServiceName_vN', () => {
  expect(TREMBITA_SERVICE_CODE.test('GetPersonFullNameByDRFOCode_v1')).toBe(true)
  expect(TREMBITA_SERVICE_CODE.test('DemographicRegister_v12')).toBe(true)
  expect(TREMBITA_SERVICE_CODE.test('getPersons')).toBe(false)
  expect(TREMBITA_SERVICE_CODE.test('GetPersons_1')).toBe(false)
})

test('the bundled federation follows the naming conventions', () => {
  expect(lintFederation(loadFederation(), { whole: true })).toEqual([])
})

test('checks members only for the whole federation, services only for the linted specs', () => {
  const federation = loadFederation([`${LINT}federation.yaml`])
  const rules = (options: Parameters<typeof lintFederation>[1]) =>
    lintFederation(federation, options).map((f) => `${f.rule} ${f.line}:${f.column}`)
  expect(rules({ whole: true })).toEqual([
    'sild-member-code 11:9',
    'sild-identifier-charset 16:17',
    'sild-trembita-service-code 33:17',
  ])
  expect(rules({ specs: [`${LINT}good-register.yaml`] })).toEqual([
    'sild-trembita-service-code 33:17',
  ])
})

test("points at a spec whose x-sild-service is not the federation's id for it", () => {
  const dir = mkdtempSync(join(tmpdir(), 'sild-service-id-'))
  try {
    cpSync(`${LINT}good-register.yaml`, join(dir, 'register.yaml'))
    const raw = readFileSync(`${LINT}federation.yaml`, 'utf8')
      .replace('spec: bad-register.yaml', 'spec: register.yaml')
      .replace('spec: good-register.yaml', 'spec: register.yaml')
    writeFileSync(join(dir, 'federation.yaml'), raw)
    const findings = lintFederation(loadFederation([join(dir, 'federation.yaml')]), {
      specs: [join(dir, 'register.yaml')],
    })
    expect(
      findings
        .filter((f) => f.rule === 'sild-service-id')
        .map((f) => `${f.file.split('/').pop()}:${f.line}:${f.column} ${f.message}`),
    ).toEqual([
      'register.yaml:6:3 x-sild-service is "ua-register" but the federation serves this spec as "bad-register"; scenarios bind sources by this id, so make them equal',
    ])
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
