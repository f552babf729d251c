import { Ajv } from 'ajv'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { expect, test } from 'vitest'
import { addIdentifierFormats, formatNames, formats, isFormatName } from './index.ts'

test('lists the five formats, each under its own name', () => {
  expect(formatNames).toEqual([
    'ee-personal-code',
    'ee-registry-code',
    'ua-rnokpp',
    'ua-unzr',
    'ua-edrpou',
  ])
  for (const name of formatNames) expect(formats[name].name).toBe(name)
})

test.each(formatNames)('%s has a title and an example that validates', (name) => {
  const format = formats[name]
  expect(format.title.length).toBeGreaterThan(10)
  expect(format.validate(format.example)).toEqual({ valid: true })
})

test('recognises format names and nothing else', () => {
  expect(isFormatName('ua-unzr')).toBe(true)
  expect(isFormatName('ee-personal-code')).toBe(true)
  expect(isFormatName('date')).toBe(false)
  expect(isFormatName('toString')).toBe(false)
  expect(isFormatName('')).toBe(false)
})

test('makes an ajv schema with format ua-unzr reject a bad check digit', () => {
  const ajv = addIdentifierFormats(new Ajv())
  const validate = ajv.compile({ type: 'string', format: 'ua-unzr' })
  expect(validate('19900314-00234')).toBe(true)
  expect(validate('19900314-00235')).toBe(false)
  expect(validate.errors?.[0]).toMatchObject({ keyword: 'format', params: { format: 'ua-unzr' } })
})

test('registers every format on an Ajv2020 instance as used for OpenAPI 3.1', () => {
  const ajv = addIdentifierFormats(new Ajv2020({ allErrors: true }))
  const validate = ajv.compile({
    type: 'object',
    properties: Object.fromEntries(
      formatNames.map((name) => [name, { type: 'string', format: name }]),
    ),
  })
  const good = Object.fromEntries(formatNames.map((name) => [name, formats[name].example]))
  expect(validate(good)).toBe(true)
  const bad = {
    'ee-personal-code': '38001085719',
    'ee-registry-code': '70008441',
    'ua-rnokpp': '1759013770',
    'ua-unzr': '19900230-00011',
    'ua-edrpou': '00015623',
  }
  expect(validate(bad)).toBe(false)
  expect(validate.errors?.map((e) => e.instancePath).sort()).toEqual(
    formatNames.map((name) => `/${name}`).sort(),
  )
})

test('leaves non-string values to the type keyword', () => {
  const ajv = addIdentifierFormats(new Ajv({ strictTypes: false }))
  expect(ajv.validate({ format: 'ee-personal-code' }, 38001085718)).toBe(true)
  expect(ajv.validate({ type: 'string', format: 'ee-personal-code' }, 38001085718)).toBe(false)
})

test('generates through the registry with each format’s own input', () => {
  expect(
    formats['ee-personal-code'].generate({ birthDate: '1990-03-14', sex: 'F', serial: 712 }),
  ).toBe('49003147126')
  expect(formats['ua-unzr'].generate({ birthDate: '1990-03-14', serial: 23 })).toBe(
    '19900314-00234',
  )
  expect(formats['ua-edrpou'].generate({ serial: 1562 })).toBe('00015622')
})
