import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'
import { assumed, assumedFacts, PROTOCOL_FACTS, unsourcedFacts } from './index.ts'
import { renderProtocolFacts } from './markdown.ts'
import { FACTS_DOCUMENT } from './write.ts'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))

test('every protocol fact has a source or is marked assumed', () => {
  expect(unsourcedFacts(PROTOCOL_FACTS).map((f) => f.id)).toEqual([])
})

test('every protocol fact names a test file that exists and mentions the fact', () => {
  const unpinned = PROTOCOL_FACTS.filter((fact) => {
    const file = `${ROOT}${fact.test}`
    return !existsSync(file) || !readFileSync(file, 'utf8').includes(fact.id)
  })
  expect(unpinned.map((f) => `${f.id} → ${f.test}`)).toEqual([])
})

test('protocol fact ids are unique kebab-case', () => {
  const ids = PROTOCOL_FACTS.map((f) => f.id)
  expect(new Set(ids).size).toBe(ids.length)
  expect(ids.filter((id) => !/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(id))).toEqual([])
})

test('docs/protocol-facts.md is the catalogue as generated (npm run docs:facts)', () => {
  expect(readFileSync(FACTS_DOCUMENT, 'utf8')).toBe(renderProtocolFacts())
})

test('the facts document marks each assumed fact as assumed', () => {
  const doc = renderProtocolFacts()
  for (const fact of assumedFacts()) {
    const row = doc.split('\n').find((line) => line.startsWith(`| \`${fact.id}\``))
    expect(row).toContain('assumed: no public source')
  }
})

test('finds a fact with no source, a source without a version, or an empty assumption', () => {
  const base = PROTOCOL_FACTS[0]!
  const broken = [
    { ...base, id: 'no-source', basis: { sources: [] } },
    {
      ...base,
      id: 'no-version',
      basis: { sources: [{ document: 'PR-REST', version: '', section: '4.6' }] },
    },
    { ...base, id: 'empty-assumption', basis: { assumed: ' ' } },
    base,
  ]
  expect(unsourcedFacts(broken).map((f) => f.id)).toEqual([
    'no-source',
    'no-version',
    'empty-assumption',
  ])
})

test('the assumed mark of the UXP error format reads as a user meets it', () => {
  expect(assumed('uxp-error-format').short).toBe('UXP error format: assumed: no public source')
  expect(() => assumed('xroad-fault-status')).toThrow(/not assumed/)
})
