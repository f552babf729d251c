import { expect, test } from 'vitest'
import { XROAD_FAULTS } from '../xroad-errors/index.ts'
import { faultCodeIn, isFaultCodeOf, statusForFaultCodeIn } from './index.ts'

// xroad-fault-codes-7-8: the spellings of ErrorCodes.java at tag 7.8.0, as RestProxyTest asserts them.
test.each([
  ['Server.ServerProxy.AccessDenied', 'server.serverproxy.access_denied'],
  ['Server.ServerProxy.ServiceType', 'server.serverproxy.service_type'],
  ['Server.ClientProxy.InvalidClientIdentifier', 'server.clientproxy.invalid_client_identifier'],
  ['Server.ServerProxy.IOError', 'server.serverproxy.io_error'],
  ['Server.ClientProxy.OutdatedGlobalConf', 'server.clientproxy.global_conf_outdated'],
  ['Signer.HSMNonOperational', 'signer.hsm_non_operational'],
  ['Client.BadRequest', 'client.bad_request'],
  [
    'Server.ServerProxy.ServiceFailed.UnknownMember',
    'server.serverproxy.service_failed.unknown_member',
  ],
])('writes %s as %s in X-Road 7.8 and back in 7.6', (seven6, seven8) => {
  expect(faultCodeIn(seven6, '7.8')).toBe(seven8)
  expect(faultCodeIn(seven8, '7.6')).toBe(seven6)
  expect(faultCodeIn(seven6, '7.6')).toBe(seven6)
  expect(faultCodeIn(seven8, '7.8')).toBe(seven8)
  expect(isFaultCodeOf(seven8, '7.8')).toBe(true)
  expect(isFaultCodeOf(seven6, '7.8')).toBe(false)
})

test('round-trips every code in the catalogue', () => {
  for (const { code } of Object.values(XROAD_FAULTS)) {
    const snake = faultCodeIn(code, '7.8')
    expect(snake).toMatch(/^[a-z_.]+$/)
    expect(faultCodeIn(snake, '7.6')).toBe(code)
  }
})

test('picks the status as each version does: 7.6 by "Server.", 7.8 by "server."', () => {
  expect(statusForFaultCodeIn('Server.ServerProxy.AccessDenied', '7.6')).toBe(500)
  expect(statusForFaultCodeIn('server.serverproxy.access_denied', '7.8')).toBe(500)
  expect(statusForFaultCodeIn('server.serverproxy.access_denied', '7.6')).toBe(400)
  expect(statusForFaultCodeIn('Server.ServerProxy.AccessDenied', '7.8')).toBe(400)
  expect(statusForFaultCodeIn('client.bad_request', '7.8')).toBe(400)
  expect(statusForFaultCodeIn('Signer.CannotSign', '7.6')).toBe(400)
})
