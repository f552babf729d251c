import { expect, test } from 'vitest'
import { ACCESS_DENIED } from '../../../specs/protocol/index.ts'
import { EE_CLIENT_WITHOUT_RIGHTS, makeContext } from '../test-kit.ts'
import type { ExchangeCheck } from '../types.ts'
import { onFault, onProviderAnswer, onXroadClient } from './index.ts'

const always: ExchangeCheck = {
  scope: 'exchange',
  name: 'always',
  title: 'Always',
  level: 1,
  severity: 'low',
  mandatory: false,
  appliedBy: 'every call',
  applies: () => true,
  run: () => undefined,
}

const answer = makeContext()
const fault = makeContext({ client: EE_CLIENT_WITHOUT_RIGHTS, fault: { code: ACCESS_DENIED.code } })
const nothing = makeContext({ transportError: 'timeout' })

test('onProviderAnswer applies to provider answers only', () => {
  const check = onProviderAnswer(always)
  expect([answer, fault, nothing].map(check.applies)).toEqual([true, false, false])
})

test('onFault applies to security-server faults only', () => {
  const check = onFault(always)
  expect([answer, fault, nothing].map(check.applies)).toEqual([false, true, false])
})

test('onXroadClient applies to X-Road clients only', () => {
  const check = onXroadClient(always)
  expect([answer, makeContext({ protocol: 'uxp-rest' })].map(check.applies)).toEqual([true, false])
})

test('keeps the wrapped check’s own precondition and metadata', () => {
  const check = onProviderAnswer({ ...always, applies: () => false })
  expect(check.applies(answer)).toBe(false)
  expect(check.name).toBe('always')
})
