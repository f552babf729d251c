import { expect, test } from 'vitest'
import {
  ACCESS_DENIED,
  CLIENT_PROXY_UNKNOWN_MEMBER,
  FEDERATION_NOT_ALLOWED,
  SERVICE_DISABLED,
  UNKNOWN_SERVICE,
} from '../../../specs/protocol/index.ts'
import { EE_CLIENT_WITHOUT_RIGHTS, makeContext, outcomeOf, UA_CLIENT } from '../test-kit.ts'
import { unauthorizedRefused } from './index.ts'

test('is not applied when the client holds an access right', () => {
  expect(outcomeOf(unauthorizedRefused, makeContext())).toBe('not applied')
})

test('passes AccessDenied for a client without an access right', () => {
  const ctx = makeContext({ client: EE_CLIENT_WITHOUT_RIGHTS, fault: { code: ACCESS_DENIED.code } })
  expect(outcomeOf(unauthorizedRefused, ctx)).toEqual([])
})

test('fails when the provider served a client without an access right', () => {
  expect(outcomeOf(unauthorizedRefused, makeContext({ client: EE_CLIENT_WITHOUT_RIGHTS }))).toEqual(
    [
      'ee-test/COM/14001233/kyc has no access right for GET /persons/38001085718 on ee-test/GOV/70008440/rr/population; expected fault server.serverproxy.access_denied (X-Road 7.8 style, as ee-test declares), got status 200 from the provider',
    ],
  )
})

test('fails a refusal that comes only after the access check', () => {
  const ctx = makeContext({
    client: EE_CLIENT_WITHOUT_RIGHTS,
    fault: { code: SERVICE_DISABLED.code },
  })
  expect(outcomeOf(unauthorizedRefused, ctx)).toEqual([
    expect.stringContaining('got fault server.serverproxy.service_disabled (status 500)'),
  ])
})

test('checks the method and path against endpoint-scoped rights', () => {
  // DIIA may GET /persons/** on the demographic register, nothing else.
  const allowed = makeContext({ protocol: 'uxp-rest', client: UA_CLIENT })
  expect(outcomeOf(unauthorizedRefused, allowed)).toBe('not applied')
  const denied = makeContext({
    protocol: 'uxp-rest',
    client: UA_CLIENT,
    method: 'DELETE',
    operationId: 'getPerson',
  })
  expect(outcomeOf(unauthorizedRefused, denied)).toEqual([
    expect.stringContaining('no access right for DELETE /persons/38001085718'),
  ])
})

test('is not applied when the call was refused before access rights were checked', () => {
  for (const code of [
    CLIENT_PROXY_UNKNOWN_MEMBER.code,
    FEDERATION_NOT_ALLOWED.code,
    UNKNOWN_SERVICE.code,
    'Client.InvalidClientIdentifier',
  ]) {
    const ctx = makeContext({ client: EE_CLIENT_WITHOUT_RIGHTS, fault: { code } })
    expect(outcomeOf(unauthorizedRefused, ctx)).toBe('not applied')
  }
})
