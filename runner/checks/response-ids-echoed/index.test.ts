import { expect, test } from 'vitest'
import { ACCESS_DENIED, UXP_HEADER, XROAD_HEADER } from '../../../specs/protocol/index.ts'
import { EE_CLIENT_WITHOUT_RIGHTS, makeContext, outcomeOf } from '../test-kit.ts'
import { responseIdsEchoed } from './index.ts'

test('passes an X-Road response echoing client, service and the client-chosen message id', () => {
  const ctx = makeContext({ requestHeaders: { [XROAD_HEADER.id]: 'my-message-1' } })
  expect(ctx.exchange.response?.headers[XROAD_HEADER.id]).toBe('my-message-1')
  expect(outcomeOf(responseIdsEchoed, ctx)).toEqual([])
})

test('passes a generated X-Road-Id when the client sent none', () => {
  expect(outcomeOf(responseIdsEchoed, makeContext())).toEqual([])
})

test('compares ids by their decoded parts', () => {
  const ctx = makeContext({
    responseHeaders: { [XROAD_HEADER.client]: 'ee-test/GOV/70006317/eesti%2Dee' },
  })
  expect(outcomeOf(responseIdsEchoed, ctx)).toEqual([])
})

test('fails a different message id, naming both', () => {
  const ctx = makeContext({
    requestHeaders: { [XROAD_HEADER.id]: 'my-message-1' },
    responseHeaders: { [XROAD_HEADER.id]: 'other-message' },
  })
  expect(outcomeOf(responseIdsEchoed, ctx)).toEqual([
    `X-Road-Id is "other-message" in the response; expected the client's "my-message-1"`,
  ])
})

test('fails a missing X-Road-Service and a wrong X-Road-Client', () => {
  const ctx = makeContext({
    responseHeaders: {
      [XROAD_HEADER.service]: undefined,
      [XROAD_HEADER.client]: 'ee-test/GOV/70000310/arireg',
    },
  })
  expect(outcomeOf(responseIdsEchoed, ctx)).toEqual([
    expect.stringMatching(/^X-Road-Client is "ee-test\/GOV\/70000310\/arireg"/),
    expect.stringMatching(/^the response has no X-Road-Service header/),
  ])
})

test('passes a Trembita response echoing Uxp-Client, Uxp-Service and Uxp-QueryID', () => {
  const ctx = makeContext({ protocol: 'uxp-rest', requestHeaders: { [UXP_HEADER.queryId]: 'q-1' } })
  expect(outcomeOf(responseIdsEchoed, ctx)).toEqual([])
})

test('fails a Trembita response without Uxp-QueryID', () => {
  const ctx = makeContext({
    protocol: 'uxp-rest',
    responseHeaders: { [UXP_HEADER.queryId]: undefined },
  })
  expect(outcomeOf(responseIdsEchoed, ctx)).toEqual([expect.stringContaining('no Uxp-QueryID')])
})

test('fails a Trembita response naming another service version than the one called', () => {
  const service = 'SEVDEIR-TEST/GOV/37508470/EDDR/DemographicRegister_v1'
  const ctx = makeContext({
    protocol: 'uxp-rest',
    requestHeaders: { [UXP_HEADER.service]: `${service}/2` },
    responseHeaders: { [UXP_HEADER.service]: `${service}/1` },
  })
  expect(outcomeOf(responseIdsEchoed, ctx)).toEqual([expect.stringContaining('version "1"')])
})

test('is not applied to security-server faults', () => {
  const ctx = makeContext({ client: EE_CLIENT_WITHOUT_RIGHTS, fault: { code: ACCESS_DENIED.code } })
  expect(outcomeOf(responseIdsEchoed, ctx)).toBe('not applied')
})
