import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { parseSource } from './index.ts'
import { PREBUILT_SOURCES, prebuiltSource, prebuiltValue } from './prebuilt.ts'

const root = mkdtempSync(join(tmpdir(), 'sild-prebuilt-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

const TEXT = 'openapi: 3.1.0\ninfo: { title: t, version: "1" }\npaths: {}\n'

/** Stores the parsed form of `text` for `rel` as the build does. */
const store = (rel: string, text: string): void => {
  const stored = prebuiltSource(text, parseSource(text, rel).value)
  if (stored === undefined) throw new Error('expected a stored form')
  const target = join(root, PREBUILT_SOURCES, `${rel}.json`)
  mkdirSync(dirname(target), { recursive: true })
  writeFileSync(target, stored)
}

test('gives the parsed value the build stored for exactly this text', () => {
  store('specs/a.yaml', TEXT)
  expect(prebuiltValue(join(root, 'specs/a.yaml'), TEXT, root)).toEqual({
    value: parseSource(TEXT, 'a.yaml').value,
  })
})

test('gives nothing once the file has changed, nor for a file the build did not store', () => {
  store('specs/b.yaml', TEXT)
  expect(prebuiltValue(join(root, 'specs/b.yaml'), `${TEXT}x-changed: 1\n`, root)).toBeUndefined()
  expect(prebuiltValue(join(root, 'specs/none.yaml'), TEXT, root)).toBeUndefined()
  expect(prebuiltValue(join(root, '..', 'specs/b.yaml'), TEXT, root)).toBeUndefined()
})

test('stores nothing for a value JSON cannot carry exactly', () => {
  for (const text of ['a: .nan\n', 'a: .inf\n', 'a: -0\n']) {
    expect(prebuiltSource(text, parseSource(text, 'f.yaml').value)).toBeUndefined()
  }
  expect(prebuiltSource('a: 0\n', parseSource('a: 0\n', 'f.yaml').value)).toBeDefined()
})
