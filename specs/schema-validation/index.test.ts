import { Ajv2020 } from 'ajv/dist/2020.js'
import { expect, test } from 'vitest'
import federationSchema from '../federation/federation.schema.json' with { type: 'json' }
import partnerSchema from '../partner/partner.schema.json' with { type: 'json' }

test("Sild's federation and partner schemas are valid JSON Schemas", () => {
  // assertMatchesSchema skips the meta-schema check at start-up: this is where it happens.
  const ajv = new Ajv2020({ strict: false })
  for (const schema of [federationSchema, partnerSchema]) {
    expect(ajv.validateSchema(schema), JSON.stringify(ajv.errors)).toBe(true)
  }
})
