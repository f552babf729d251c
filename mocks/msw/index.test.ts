import { setupServer } from 'msw/node'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { sandboxHandlers } from './index.ts'

const sild = sandboxHandlers()
const server = setupServer(...sild.handlers)
const unhandled: string[] = []

beforeAll(() =>
  server.listen({ onUnhandledRequest: (request) => void unhandled.push(request.url) }),
)
afterAll(async () => {
  server.close()
  await sild.close()
})

test('answers an Estonian call through the X-Road security server in-process', async () => {
  const response = await fetch(
    'http://ee-test.ss.sild.test/r1/ee-test/GOV/70008440/rr/population/persons/48001013546',
    { headers: { 'X-Road-Client': 'ee-test/GOV/70006317/eesti-ee' } },
  )
  expect(response.status).toBe(200)
  expect(response.headers.get('x-road-request-hash')).toMatch(/^[A-Za-z0-9+/]{86}==$/)
  expect(await response.json()).toMatchObject({ familyName: 'Tamm' })
})

test('answers a Ukrainian call through the Trembita security server, refusals included', async () => {
  const response = await fetch('http://sevdeir-test.ss.sild.test/restapi/legal-entities/38123450', {
    headers: {
      'Uxp-Client': 'SEVDEIR-TEST/GOV/44312340/KYC',
      'Uxp-Service': 'SEVDEIR-TEST/GOV/00015622/EDR/LegalEntities_v1',
    },
  })
  expect(response.status).toBe(400)
  expect(response.headers.get('uxp-error')).toBe('Client.MissingHeaderField')
})

test('calls a mock directly on its service host', async () => {
  const response = await fetch(
    'http://ua-legal-entities-register.service.sild.test/legal-entities/38123450',
  )
  expect(response.status).toBe(200)
  expect(await response.json()).toMatchObject({ shortNameLatin: 'Karpaty Software LLC' })
})

test('leaves hosts outside the sandbox to other handlers', async () => {
  await fetch('http://sild.test.example.org/r1/x').catch(() => undefined)
  expect(unhandled).toEqual(['http://sild.test.example.org/r1/x'])
})

test('shares one sandbox between the handlers and the test', async () => {
  const sandbox = await sild.sandbox()
  expect(sandbox.securityServers.has('SEVDEIR-TEST')).toBe(true)
  expect(sandbox.log.size).toBeGreaterThan(0)
})
