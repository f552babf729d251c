import { expect, test } from 'vitest'
import { compilePathGlob } from './path-glob.ts'

const cases: Array<[string, string, boolean]> = [
  ['**', '', true],
  ['**', '/a/b/c', true],
  ['/*/', '/a/', true],
  ['/*/', '/a/b/', false],
  ['', '', true],
  ['', ' ', false],
  ['.^$+{[]|()', '.^$+{[]|()', true],
  ['**/bar/**', 'a/b/c/bar/e/f', true],
  ['**/bar/**', 'a/b/c/foo/e/f', false],
  ['**\\*', '/what/ever*', true],
  ['**\\*', '/what/ever!', false],
  ['simple', 'prefix.simple.suffix', false],
  ['/companies/*', '/companies/12345678', true],
  ['/companies/*', '/companies/12345678/representatives', false],
  ['/companies/**', '/companies/12345678/representatives', true],
]

test.each(cases)('glob %j matches %j: %s', (glob, path, expected) => {
  expect(compilePathGlob(glob).test(path)).toBe(expected)
})
