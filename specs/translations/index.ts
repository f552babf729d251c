import { existsSync } from 'node:fs'
import {
  loadSourceFile,
  SildInputError,
  type JsonPath,
  type SourceLocation,
} from '../source-file/index.ts'

/** One text in other languages than the English of its file, by language code (`uk`, `et`). */
export type Texts = Record<string, string>

/**
 * What a visitor reads of an OpenAPI document, in other languages: its title, each operation's
 * summary (by operationId) and each parameter's description (by parameter name).
 */
export type SpecTranslations = {
  title?: Texts
  operations: Record<string, Texts>
  parameters: Record<string, Texts>
}

const LANGUAGE = /^[a-z]{2,3}$/
const HINT =
  'A translation file holds title, operations (by operationId) and parameters (by name), each a map from a language code (uk, et) to its text.'

/** The file beside a spec that holds its translations: `tax-board.yaml` → `tax-board.i18n.yaml`. */
export const translationsFile = (specFile: string): string =>
  specFile.replace(/\.(ya?ml|json)$/i, '') + '.i18n.yaml'

const textsAt = (
  value: unknown,
  path: JsonPath,
  locate: (path: JsonPath) => SourceLocation,
): Texts => {
  if (!isRecord(value))
    throw new SildInputError('expected a map of language → text', locate(path), HINT)
  for (const [lang, text] of Object.entries(value)) {
    if (!LANGUAGE.test(lang) || typeof text !== 'string' || text.trim() === '') {
      throw new SildInputError(
        `"${lang}" must be a language code (uk, et) with a text that is not empty`,
        locate([...path, lang]),
        HINT,
      )
    }
  }
  return value as Texts
}

const sectionAt = (
  value: unknown,
  key: 'operations' | 'parameters',
  locate: (path: JsonPath) => SourceLocation,
): Record<string, Texts> => {
  if (value === undefined) return {}
  if (!isRecord(value)) throw new SildInputError(`${key} must be a map`, locate([key]), HINT)
  return Object.fromEntries(
    Object.entries(value).map(([name, texts]) => [name, textsAt(texts, [key, name], locate)]),
  )
}

const cache = new Map<string, SpecTranslations>()

/**
 * The translations kept beside a spec (`<name>.i18n.yaml`), or none when there is no such file.
 * A file of the wrong shape is bad input, reported at its line and column.
 */
export const specTranslations = (specFile: string): SpecTranslations => {
  const file = translationsFile(specFile)
  const known = cache.get(file)
  if (known) return known
  let loaded: SpecTranslations = { operations: {}, parameters: {} }
  if (existsSync(file)) {
    const source = loadSourceFile(file)
    const root = source.value
    const locate = (path: JsonPath) => source.locate(path)
    if (!isRecord(root)) throw new SildInputError('expected a map', locate([]), HINT)
    for (const key of Object.keys(root)) {
      if (!['title', 'operations', 'parameters'].includes(key)) {
        throw new SildInputError(`unknown key "${key}"`, locate([key]), HINT)
      }
    }
    loaded = {
      ...(root.title === undefined ? {} : { title: textsAt(root.title, ['title'], locate) }),
      operations: sectionAt(root.operations, 'operations', locate),
      parameters: sectionAt(root.parameters, 'parameters', locate),
    }
  }
  cache.set(file, loaded)
  return loaded
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
