import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { REPOSITORY_CLIENT, repositoryFederation } from './index.ts'

const SPEC = "openapi: 3.1.0\ninfo: { title: t, version: '1' }\npaths: {}\n"
let root: string
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'sild-mock-federation-'))
  for (const path of [
    'api/Vehicle Register.yaml',
    'consent/openapi.yaml',
    'other/vehicle-register.json',
  ]) {
    mkdirSync(join(root, path, '..'), { recursive: true })
    writeFileSync(join(root, path), SPEC)
  }
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

test('makes each spec a mocked service, named after its file or, for openapi.yaml, its folder', () => {
  const { federation } = repositoryFederation(root, [
    join(root, 'api/Vehicle Register.yaml'),
    join(root, 'consent/openapi.yaml'),
    join(root, 'other/vehicle-register.json'),
  ])
  const services = federation.services.filter((s) => s.provider !== 'metaservice')
  expect(services.map((s) => [s.id, s.provider, s.specFile])).toEqual([
    ['vehicle-register', 'mock', join(root, 'api/Vehicle Register.yaml')],
    ['consent', 'mock', join(root, 'consent/openapi.yaml')],
    ['vehicle-register-2', 'mock', join(root, 'other/vehicle-register.json')],
  ])
})

test('grants its client every service, and only its client', () => {
  const { federation, client } = repositoryFederation(root, [join(root, 'consent/openapi.yaml')])
  expect(client).toBe(REPOSITORY_CLIENT)
  const consent = federation.serviceById('consent')?.key ?? ''
  expect(federation.subsystem(client)).toBeDefined()
  expect(federation.allows(client, consent, 'POST', '/anything/')).toBe(true)
  expect(
    federation.allows(`${consent.split('/').slice(0, 4).join('/')}`, consent, 'GET', '/'),
  ).toBe(false)
})
