import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, test, vi } from 'vitest'
import { parse } from 'yaml'
import { diffSpecs } from '../gate/diff/index.ts'

// Consecutive versions of real public specs (GovStack Consent and Digital Registries, X-Road's
// Central Server and Security Server management APIs), each pair read by hand: the diff must
// reach the same verdict, name the change, and say nothing on stderr.

const CORPUS = fileURLToPath(new URL('./fixtures/diff-corpus/', import.meta.url))

type Pair = {
  id: string
  repository: string
  path: string
  verdict: 'breaking' | 'non-breaking'
  rule?: string
  reason: string
}

const pairs = (parse(readFileSync(join(CORPUS, 'corpus.yaml'), 'utf8')) as { pairs: Pair[] }).pairs

const stderr: string[] = []
beforeAll(() => {
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr.push(String(chunk))
    return true
  })
  vi.spyOn(console, 'error').mockImplementation((...args) => {
    stderr.push(args.join(' '))
  })
})
afterAll(() => vi.restoreAllMocks())

test('the corpus holds at least 20 real pairs, each with its source and reason', () => {
  expect(pairs.length).toBeGreaterThanOrEqual(20)
  for (const p of pairs) expect(p.repository && p.reason && p.verdict).toBeTruthy()
})

test.each(pairs)(
  '$id is $verdict ($reason)',
  async ({ id, path, verdict, rule }) => {
    const result = await diffSpecs(
      { file: join(CORPUS, id, 'old', path) },
      { file: join(CORPUS, id, 'new', path) },
    )
    const all = [...result.breaking, ...result.nonBreaking]
    expect(result.breaking.length > 0 ? 'breaking' : 'non-breaking').toBe(verdict)
    if (rule) expect(all.map((c) => c.rule)).toContain(rule)
    expect(all.filter((c) => /undefined/.test(c.message))).toEqual([])
    expect(all.filter((c) => c.rule === 'unclassified-change')).toEqual([])
    expect(stderr).toEqual([])
  },
  240_000,
)

test('one rename across a shared schema is a few grouped findings, not one per operation', async () => {
  const dir = join(CORPUS, 'consent-snake-to-camel')
  const file = 'api/consent-openapi.yaml'
  const result = await diffSpecs({ file: join(dir, 'old', file) }, { file: join(dir, 'new', file) })
  expect(result.breaking.length).toBeLessThan(100)
  const grouped = result.breaking.filter((c) => (c.occurrences ?? 1) > 1)
  expect(grouped.length).toBeGreaterThan(0)
  expect(grouped[0]?.message).toMatch(/\(\d+ places/)
  // A removed property is not also reported as "became optional".
  const removed = new Set(
    result.breaking
      .filter((c) => c.rule === 'response-property-removed')
      .map((c) => c.message.split(' removed;')[0]),
  )
  const alsoOptional = result.breaking.filter(
    (c) =>
      c.rule === 'response-property-became-optional' &&
      removed.has(c.message.split(' became optional')[0]),
  )
  expect(alsoOptional).toEqual([])
}, 240_000)
