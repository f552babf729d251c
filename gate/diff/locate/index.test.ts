import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'
import { locateUsage, type SourceCache } from './index.ts'

const multifile = fileURLToPath(
  new URL('../../../test/fixtures/specs-multifile/v1/', import.meta.url),
)
const corpus = fileURLToPath(new URL('../../../test/fixtures/specs-diff/', import.meta.url))

test('follows $refs into other files, through components, to the line of the value', () => {
  const cache: SourceCache = new Map()
  const at = locateUsage(cache, `${multifile}openapi.yaml`, [
    'paths',
    '/books/{isbn}',
    'get',
    'responses',
    '200',
    'content',
    'application/json',
    'schema',
    'properties',
    'language',
    'enum',
    1,
  ])
  expect(at).toMatchObject({ file: `${multifile}schemas/book.yaml`, line: 10, exact: true })
})

test('counts the path item parameters after the operation own, as api-smart-diff does', () => {
  const at = locateUsage(new Map(), `${multifile}openapi.yaml`, [
    'paths',
    '/books/{isbn}',
    'get',
    'parameters',
    0,
    'schema',
    'pattern',
  ])
  expect(at).toMatchObject({ file: `${multifile}paths/book.yaml`, line: 8, exact: true })
})

test('finds a property in an allOf part', () => {
  const at = locateUsage(new Map(), `${corpus}cases/all-of-split.yaml`, [
    'paths',
    '/persons/{personalCode}',
    'get',
    'responses',
    '200',
    'content',
    'application/json',
    'schema',
    'properties',
    'givenName',
  ])
  expect(at.exact).toBe(true)
  expect(at.line).toBeGreaterThan(80)
})

test('falls back to the nearest place that exists', () => {
  const at = locateUsage(new Map(), `${corpus}base.yaml`, [
    'paths',
    '/persons',
    'get',
    'responses',
    '404',
  ])
  expect(at).toMatchObject({ exact: false, line: 21 })
})
