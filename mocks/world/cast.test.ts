import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'
import {
  decodeEePersonalCode,
  decodeUaRnokpp,
  decodeUaUnzr,
  formatNames,
  formats,
  type FormatName,
} from '../../specs/formats/index.ts'
import { parseSource, type JsonPath } from '../../specs/source-file/index.ts'

const file = fileURLToPath(new URL('./cast.yaml', import.meta.url))
const source = parseSource(readFileSync(file, 'utf8'), file)

type Person = { id: string; sex: unknown; birthDate: unknown }
type Company = { id: string; registryCode?: unknown; edrpou?: unknown }
const cast = source.value as { people: Person[]; companies: Company[] }

type Identifier = {
  holder: string
  field: string
  format: FormatName
  value: unknown
  path: JsonPath
  /** For people: what the identifier encodes, and what the cast records about its holder. */
  decoded?: Record<string, unknown> | undefined
  expected?: Record<string, unknown>
}

type Decoder = (value: string) => Record<string, unknown> | undefined

const PERSON_FIELDS: ReadonlyArray<{
  path: readonly string[]
  format: FormatName
  decode: Decoder
  encodesSex: boolean
}> = [
  {
    path: ['personalCode'],
    format: 'ee-personal-code',
    decode: decodeEePersonalCode,
    encodesSex: true,
  },
  {
    path: ['eResident', 'personalCode'],
    format: 'ee-personal-code',
    decode: decodeEePersonalCode,
    encodesSex: true,
  },
  { path: ['rnokpp'], format: 'ua-rnokpp', decode: decodeUaRnokpp, encodesSex: true },
  { path: ['unzr'], format: 'ua-unzr', decode: decodeUaUnzr, encodesSex: false },
]

const COMPANY_FIELDS: ReadonlyArray<{ field: 'registryCode' | 'edrpou'; format: FormatName }> = [
  { field: 'registryCode', format: 'ee-registry-code' },
  { field: 'edrpou', format: 'ua-edrpou' },
]

const valueAt = (record: unknown, path: readonly string[]): unknown =>
  path.reduce<unknown>(
    (node, key) =>
      node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined,
    record,
  )

const identifiers: Identifier[] = [
  ...cast.people.flatMap((person, index) =>
    PERSON_FIELDS.flatMap(({ path, format, decode, encodesSex }) => {
      const value = valueAt(person, path)
      if (value === undefined) return []
      const { birthDate, sex } = person
      return [
        {
          holder: person.id,
          field: path.join('.'),
          format,
          value,
          path: ['people', index, ...path],
          decoded: decode(value as string),
          expected: encodesSex ? { birthDate, sex } : { birthDate },
        },
      ]
    }),
  ),
  ...cast.companies.flatMap((company, index) =>
    COMPANY_FIELDS.flatMap(({ field, format }) =>
      company[field] === undefined
        ? []
        : [
            {
              holder: company.id,
              field,
              format,
              value: company[field],
              path: ['companies', index, field],
            },
          ],
    ),
  ),
]
const personal = identifiers.filter((i) => i.expected !== undefined)

const where = ({ path }: Identifier): string => {
  const { line, column } = source.locate(path)
  return `cast.yaml:${line}:${column}`
}

test('finds identifiers of every format in the cast', () => {
  for (const name of formatNames) {
    expect(identifiers.filter((i) => i.format === name).length, name).toBeGreaterThan(0)
  }
})

test.each(identifiers)('$holder $field $value passes $format', (id) => {
  expect(formats[id.format].validate(id.value as string), where(id)).toEqual({ valid: true })
})

test.each(personal)('$holder $field $value agrees with the birth data on record', (id) => {
  expect(id.decoded, where(id)).toEqual(id.expected)
})

test('gives no identifier to two holders', () => {
  const holders = new Map<string, string[]>()
  for (const id of identifiers) {
    const key = String(id.value)
    holders.set(key, [...(holders.get(key) ?? []), `${id.holder}.${id.field} (${where(id)})`])
  }
  const shared = [...holders.entries()].filter(([, who]) => who.length > 1)
  expect(shared).toEqual([])
})
