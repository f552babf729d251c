// md-test's own unit test of its portal client: Sild's msw handlers answer for the Estonian and
// Ukrainian registers and both security servers in-process, so nothing is started.
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest'
import { sandboxHandlers } from 'sild/msw'
import { createPortalClient, RegisterError } from './client.ts'

const sild = sandboxHandlers({ partner: new URL('./partner.yaml', import.meta.url).pathname })
const server = setupServer(...sild.handlers)

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => sild.reset())
afterAll(async () => {
  server.close()
  await sild.close()
})

const portal = createPortalClient({ securityServer: 'http://md-test.ss.sild.test' })

test('reads an Estonian person through the security servers', async () => {
  const person = await portal.estonianPerson('48001013546')
  expect(person).toMatchObject({ givenName: 'Mari', familyName: 'Tamm', status: 'alive' })
})

test('reads a Ukrainian company across the X-Road and Trembita border', async () => {
  const entity = await portal.ukrainianEntity('38123450')
  expect(entity).toMatchObject({ shortNameLatin: 'Karpaty Software LLC' })
})

test('surfaces a wrong check digit as the register answered it', async () => {
  const error = await portal.estonianPerson('48001013547').catch((e: unknown) => e)
  expect(error).toBeInstanceOf(RegisterError)
  expect((error as RegisterError).status).toBe(400)
})

test('is refused a register md-test holds no right for', async () => {
  const sandbox = await sild.sandbox()
  const response = await fetch(
    'http://md-test.ss.sild.test/r1/ee-test/GOV/70000349/emta/tax/persons/48001013546/tax-debt',
    { headers: { 'X-Road-Client': 'md-test/GOV/1010600034821/portal' } },
  )
  expect(response.status).toBe(500)
  expect(response.headers.get('x-road-error')).toBe('Server.ServerProxy.AccessDenied')
  expect(sandbox.federation.instance('md-test')?.protocol).toBe('xroad-rest')
})
