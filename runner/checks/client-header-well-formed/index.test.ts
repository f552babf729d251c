import { expect, test } from 'vitest'
import { DEFAULT_FEDERATION_FILE, loadFederation } from '../../../specs/federation/index.ts'
import { CLIENT_ID_MISSING, UXP_HEADER, XROAD_HEADER } from '../../../specs/protocol/index.ts'
import { makeContext, outcomeOf } from '../test-kit.ts'
import { clientHeaderWellFormed } from './index.ts'

test('passes a well-formed X-Road-Client', () => {
  expect(outcomeOf(clientHeaderWellFormed, makeContext())).toEqual([])
})

test('passes a well-formed Uxp-Client', () => {
  expect(outcomeOf(clientHeaderWellFormed, makeContext({ protocol: 'uxp-rest' }))).toEqual([])
})

test('fails a request that names its client only in a GovStack header', () => {
  const ctx = makeContext({
    requestHeaders: {
      [XROAD_HEADER.client]: undefined,
      'information-mediator-client': 'ee-test/GOV/70006317/eesti-ee',
    },
  })
  expect(outcomeOf(clientHeaderWellFormed, ctx)).toEqual([
    expect.stringMatching(/^the request has no X-Road-Client header/),
  ])
})

test('fails an X-Road-Client with too few parts, quoting it', () => {
  const ctx = makeContext({ requestHeaders: { [XROAD_HEADER.client]: 'ee-test/GOV' } })
  expect(outcomeOf(clientHeaderWellFormed, ctx)).toEqual([
    expect.stringMatching(/^X-Road-Client "ee-test\/GOV" does not parse: Invalid Client Id/),
  ])
})

test('fails a missing client header', () => {
  const ctx = makeContext({ requestHeaders: { [XROAD_HEADER.client]: undefined } })
  expect(outcomeOf(clientHeaderWellFormed, ctx)).toEqual([
    expect.stringMatching(/^the request has no X-Road-Client header/),
  ])
})

test('fails a member-level Uxp-Client, which Trembita does not register', () => {
  const ctx = makeContext({
    protocol: 'uxp-rest',
    requestHeaders: { [UXP_HEADER.client]: 'SEVDEIR-TEST/GOV/43220851' },
  })
  expect(outcomeOf(clientHeaderWellFormed, ctx)).toEqual([expect.stringContaining('Uxp-Client')])
})

test('is not applied when the step sends a malformed client id on purpose', () => {
  const ctx = makeContext({
    requestHeaders: { [XROAD_HEADER.client]: undefined },
    expect: { error: CLIENT_ID_MISSING.code },
  })
  expect(outcomeOf(clientHeaderWellFormed, ctx)).toBe('not applied')
})

test('fails characters outside PR-REST §4.8 where the instance has strict-identifier-checks', () => {
  const ctx = makeContext({
    requestHeaders: { [XROAD_HEADER.client]: 'ee-test/GOV/70006317/eesti_ee' },
  })
  expect(outcomeOf(clientHeaderWellFormed, ctx)).toEqual([
    expect.stringMatching(
      /contains characters that are not allowed.*ee-test has strict-identifier-checks$/,
    ),
  ])
})

test('passes the same characters where the instance turned strict-identifier-checks off', () => {
  const lenient = loadFederation([
    DEFAULT_FEDERATION_FILE,
    {
      file: 'lenient.yaml',
      value: LENIENT_INSTANCE,
      locate: () => ({ file: 'lenient.yaml', line: 1, column: 1 }),
    },
  ])
  const ctx = {
    ...makeContext({ requestHeaders: { [XROAD_HEADER.client]: 'lt-test/GOV/1/sub_1' } }),
    federation: lenient,
  }
  ctx.exchange.client = 'lt-test/GOV/1/sub_1'
  expect(outcomeOf(clientHeaderWellFormed, ctx)).toEqual([])
})

const LENIENT_INSTANCE = {
  version: 'sild.federation/v1',
  instances: [
    {
      code: 'lt-test',
      protocol: 'xroad-rest',
      strictIdentifierChecks: false,
      securityServer: { member: 'GOV/1', code: 'ss1' },
      members: [{ class: 'GOV', code: '1', subsystems: [{ code: 'sub_1' }] }],
    },
  ],
}
