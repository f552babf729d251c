import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { isAbsolute, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { isDeepStrictEqual } from 'node:util'

/**
 * The folder, in the package, of the parsed form of the YAML files the package ships (its specs,
 * federation and scenarios): the build parses them once, so that no start-up parses them again.
 */
export const PREBUILT_SOURCES = 'prebuilt-sources'

// dist/ when compiled: where the build wrote PREBUILT_SOURCES. The sources have none.
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url))

type Prebuilt = { sha256: string; value: unknown }

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex')

/**
 * The parsed value of one of the package's own files, when the build stored one for exactly this
 * text; undefined for any other file, or when the file has changed since.
 */
export const prebuiltValue = (
  file: string,
  text: string,
  root = PACKAGE_ROOT,
): { value: unknown } | undefined => {
  const rel = relative(root, file)
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return undefined
  let stored: Prebuilt
  try {
    stored = JSON.parse(readFileSync(join(root, PREBUILT_SOURCES, `${rel}.json`), 'utf8'))
  } catch {
    return undefined
  }
  return stored.sha256 === sha256(text) ? { value: stored.value } : undefined
}

/**
 * What the build stores for a file's text and its parsed value, or undefined when JSON cannot
 * carry the value exactly (YAML's `.nan`, `.inf` and `-0` have no JSON form).
 */
export const prebuiltSource = (text: string, value: unknown): string | undefined => {
  const json = JSON.stringify({ sha256: sha256(text), value } satisfies Prebuilt)
  return isDeepStrictEqual((JSON.parse(json) as Prebuilt).value, value) ? json : undefined
}
