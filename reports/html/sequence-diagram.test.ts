import { expect, test } from 'vitest'
import type { Exchange } from '../../runner/types.ts'
import { sampleRunReport } from '../test-fixtures/run-report.ts'
import { sequenceDiagram } from './sequence-diagram.ts'

const LABELS = {
  title: 'diagram',
  securityServer: 'security server',
  border: 'border',
  noResponse: 'no response',
}

const exchanges = (): Exchange[] =>
  sampleRunReport().scenarios.flatMap((s) =>
    s.workflows.flatMap((w) => w.steps.flatMap((st) => (st.exchange ? [st.exchange] : []))),
  )

const byOperation = (operationId: string): Exchange => {
  const found = exchanges().find((e) => e.operationId === operationId)
  if (!found) throw new Error(`fixture has no ${operationId}`)
  return found
}

const draw = (...list: Exchange[]) =>
  sequenceDiagram(
    list.map((exchange, i) => ({ exchange, failed: false, href: `x${i}` })),
    LABELS,
  )

const lifelineTitles = (svg: string) =>
  [...svg.matchAll(/<g class="lifeline (?:ss|is)"><title>([^<]*)<\/title>/g)].map((m) => m[1])

test('orders lifelines client, its security server, the provider instance’s server, provider', () => {
  expect(lifelineTitles(draw(byOperation('getLegalEntity')))).toEqual([
    'ee-test/COM/14001233/kyc',
    'ee-test security server',
    'SEVDEIR-TEST security server',
    'SEVDEIR-TEST/GOV/00015622/EDR/LegalEntities_v1',
  ])
})

test('puts services of the first instance right of its security server, before the border', () => {
  const svg = draw(byOperation('createSharingRequest'), byOperation('submitApplication'))
  expect(lifelineTitles(svg)).toEqual([
    'ee-test/GOV/70008747/e-residency',
    'ee-test/GOV/70006317/eesti-ee',
    'ee-test security server',
    'ee-test/GOV/70008747/e-residency/e-residency',
    'SEVDEIR-TEST security server',
    'SEVDEIR-TEST/GOV/43220851/DIIA/Diia_v1',
  ])
  expect(svg.match(/<g class="border">/g)).toHaveLength(1)
})

test('draws a security-server fault coming back from the provider’s security server', () => {
  const svg = draw(byOperation('getTaxDebt'))
  expect(svg.match(/class="request"/g)).toHaveLength(3)
  expect(svg.match(/class="response"/g)).toHaveLength(2)
  expect(svg).toContain('500 Server.ServerProxy.AccessDenied')
})

test('ends a request without a response at the client’s security server', () => {
  const svg = draw(byOperation('getOpenAPI'))
  expect(svg.match(/class="request"/g)).toHaveLength(1)
  expect(svg).not.toContain('class="response"')
  expect(svg).toContain('class="cross"')
  expect(svg).toContain('no response: ECONNREFUSED')
})

test('escapes names and labels from the report', () => {
  const exchange = { ...byOperation('getLegalEntity'), operationId: '<script>x</script>' }
  const svg = draw(exchange)
  expect(svg).not.toContain('<script>')
  expect(svg).toContain('&lt;script&gt;x&lt;/script&gt;')
})

test('links each exchange to its details and marks it when its step failed', () => {
  const svg = sequenceDiagram(
    [{ exchange: byOperation('getLegalEntity'), failed: true, href: 's1-w1-2' }],
    LABELS,
  )
  expect(svg).toContain('<a href="#s1-w1-2" class="exchange failed">')
})
