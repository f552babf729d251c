import { expect, test } from 'vitest'
import {
  ACCESS_DENIED,
  CLIENT_PROXY_NETWORK_ERROR,
  FEDERATION_NOT_ALLOWED,
  PROVIDER_TIMEOUT,
  SERVER_PROXY_NETWORK_ERROR,
  SERVICE_FAILED,
} from '../../../specs/protocol/index.ts'
import { faultCodeIn } from '../../../specs/protocol/xroad-versions/index.ts'
import { EE_CLIENT_WITHOUT_RIGHTS, makeContext, outcomeOf } from '../test-kit.ts'
import { reachable } from './index.ts'

test('passes when the provider answered', () => {
  expect(outcomeOf(reachable, makeContext())).toEqual([])
})

test('fails when no HTTP response came back, quoting the transport error', () => {
  const [message] = outcomeOf(reachable, makeContext({ transportError: 'connect ECONNREFUSED' }))
  expect(message).toMatch(/no HTTP response came back: connect ECONNREFUSED/)
})

test.each([
  PROVIDER_TIMEOUT.code,
  SERVER_PROXY_NETWORK_ERROR.code,
  CLIENT_PROXY_NETWORK_ERROR.code,
  SERVICE_FAILED.code,
])('fails on the security-server fault %s', (code) => {
  const [message] = outcomeOf(
    reachable,
    makeContext({ fault: { code, message: 'Read timed out' } }),
  )
  // ee-test runs X-Road 7.8, so its security server writes the code in snake case.
  expect(message).toContain(`${faultCodeIn(code, '7.8')} "Read timed out"`)
})

test('passes an unreachable-provider fault the step expected', () => {
  const ctx = makeContext({
    fault: { code: PROVIDER_TIMEOUT.code },
    expect: { error: PROVIDER_TIMEOUT.code },
  })
  expect(outcomeOf(reachable, ctx)).toEqual([])
})

test('is not applied to a refusal made before the provider is called', () => {
  for (const code of [ACCESS_DENIED.code, FEDERATION_NOT_ALLOWED.code]) {
    const ctx = makeContext({ client: EE_CLIENT_WITHOUT_RIGHTS, fault: { code } })
    expect(outcomeOf(reachable, ctx)).toBe('not applied')
  }
})
