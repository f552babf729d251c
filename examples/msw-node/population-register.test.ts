// Sild's sandbox inside a project's own vitest suite: msw answers for both security servers and
// every register in-process, with the world data, so the tests start nothing.
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest'
import { sandboxHandlers } from 'sild/msw'

const sild = sandboxHandlers()
const server = setupServer(...sild.handlers)

beforeAll(async () => {
  server.listen({ onUnhandledRequest: 'error' })
  // The sandbox loads its specs and world once, here rather than in the first test's time.
  await sild.sandbox()
}, 60_000)
afterEach(() => sild.reset())
afterAll(async () => {
  server.close()
  await sild.close()
})

const PORTAL = { 'X-Road-Client': 'ee-test/GOV/70006317/eesti-ee' }
const POPULATION = 'http://ee-test.ss.sild.test/r1/ee-test/GOV/70008440/rr/population'

test('reads an Estonian person through the X-Road security server', async () => {
  const response = await fetch(`${POPULATION}/persons/48001013546`, { headers: PORTAL })
  expect(response.status).toBe(200)
  expect(await response.json()).toMatchObject({ givenName: 'Mari', familyName: 'Tamm' })
})

test('answers a wrong check digit with the register’s 400', async () => {
  const response = await fetch(`${POPULATION}/persons/48001013547`, { headers: PORTAL })
  expect(response.status).toBe(400)
})

test('refuses a call without X-Road-Client as X-Road 7.8 does, with a 500 from its own security server', async () => {
  const response = await fetch(`${POPULATION}/persons/48001013546`)
  expect(response.status).toBe(500)
  expect(response.headers.get('x-road-error')).toBe('server.clientproxy.invalid_client_identifier')
})
