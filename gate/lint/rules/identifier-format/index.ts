import { createRulesetFunction, type IFunctionResult } from '@stoplight/spectral-core'
import { formatNames, formats, type FormatName } from '../../../../specs/formats/index.ts'
import { isObject, walkDocument, type Json, type Path } from '../../internal/walk.ts'

/**
 * The field names that say which identifier a value is, matched on the name with case, `_` and
 * `-` ignored, as a whole or as its ending (`founderPersonalCode`).
 */
export const IDENTIFIER_NAMES: ReadonlyArray<{ format: FormatName; endings: string[] }> = [
  { format: 'ee-personal-code', endings: ['personalcode', 'isikukood'] },
  { format: 'ee-registry-code', endings: ['registrycode', 'registrikood'] },
  { format: 'ua-rnokpp', endings: ['rnokpp'] },
  { format: 'ua-unzr', endings: ['unzr'] },
  { format: 'ua-edrpou', endings: ['edrpou'] },
]

/** The identifier format a field's name calls for, if any. */
export const formatForName = (name: string): FormatName | undefined => {
  const key = name.toLowerCase().replace(/[-_]/g, '')
  return IDENTIFIER_NAMES.find(({ endings }) => endings.some((e) => key.endsWith(e)))?.format
}

const isStringSchema = (schema: Json): boolean => {
  const type = schema.type
  if (type === undefined)
    return !('properties' in schema) && !('items' in schema) && !hasCombinator(schema)
  return type === 'string' || (Array.isArray(type) && type.includes('string'))
}

const hasCombinator = (schema: Json) => 'allOf' in schema || 'anyOf' in schema || 'oneOf' in schema

/**
 * Fields named for a national identifier (`personalCode`, `rnokpp`, `edrpou`…) declare its named
 * format, so validators check the real check digit instead of accepting any digits.
 */
export const identifierFormat = createRulesetFunction<unknown, null>(
  { input: null, options: null },
  function identifierFormat(document) {
    const results: IFunctionResult[] = []
    const check = (name: string, schema: unknown, path: Path) => {
      const expected = formatForName(name)
      if (!expected || !isObject(schema) || !isStringSchema(schema)) return
      if (schema.format === expected || isCountryFormat(schema.format)) return
      const has =
        typeof schema.format === 'string' ? `has format "${schema.format}"` : 'has no format'
      results.push({
        message: `"${name}" looks like ${article(formats[expected].title)} but ${has}; declare \`format: ${expected}\` so its check digit is validated`,
        path: typeof schema.format === 'string' ? [...path, 'format'] : path,
      })
    }
    walkDocument(
      document,
      ({ schema, path }) => {
        const properties = schema.properties
        if (isObject(properties))
          for (const [name, sub] of Object.entries(properties))
            check(name, sub, [...path, 'properties', name])
      },
      (holder, path) => {
        if (typeof holder.name === 'string' && typeof holder.in === 'string')
          check(holder.name, holder.schema, [...path, 'schema'])
      },
    )
    return results
  },
)

/**
 * A `format` with a country prefix (`ee-…`, `ua-…`) must be one of Sild's named formats: a
 * misspelt one is silently ignored by every validator.
 */
export const knownIdentifierFormat = createRulesetFunction<unknown, null>(
  { input: null, options: null },
  function knownIdentifierFormat(document) {
    const results: IFunctionResult[] = []
    walkDocument(document, ({ schema, path }) => {
      const format = schema.format
      if (!isCountryFormat(format)) return
      const closest = nearest(format)
      results.push({
        message: `unknown identifier format "${format}"${closest ? ` (did you mean "${closest}"?)` : ''}; known formats: ${formatNames.join(', ')}`,
        path: [...path, 'format'],
      })
    })
    return results
  },
)

// A country-prefixed format that is not one of the named ones: the unknown-format rule reports it.
const isCountryFormat = (format: unknown): format is string =>
  typeof format === 'string' &&
  /^(ee|ua)[-_]/i.test(format) &&
  !(formatNames as readonly string[]).includes(format)

// "an Estonian …", "a Ukrainian …"
const article = (title: string) => `${/^[aeio]/i.test(title) ? 'an' : 'a'} ${title}`

const nearest = (format: string): string | undefined => {
  const squash = (s: string) => s.toLowerCase().replace(/[^a-z]/g, '')
  return formatNames.find((name) => squash(name) === squash(format))
}
