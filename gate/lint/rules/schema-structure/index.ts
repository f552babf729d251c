import { createRulesetFunction, type IFunctionResult } from '@stoplight/spectral-core'
import { isOpenApi30 } from '../../../diff/normalize/index.ts'
import { isObject, walkDocument } from '../../internal/walk.ts'

// Keywords under which a property may be defined other than `properties`: with them, a
// required name that `properties` lacks may still be defined, so it is not reported.
const OPEN = ['allOf', 'anyOf', 'oneOf', 'patternProperties', 'dependentSchemas', '$ref', 'if']

/**
 * Schema mistakes Spectral's OpenAPI rules let through (Redocly reports them): a `required`
 * property that `properties` never defines (generated clients and mocks never fill it), and, in
 * OpenAPI 3.0, `nullable` without a `type`, which has no effect.
 */
export const schemaStructure = createRulesetFunction<unknown, null>(
  { input: null, options: null },
  function schemaStructure(document) {
    if (!isObject(document)) return []
    const is30 = isOpenApi30(document)
    const results: IFunctionResult[] = []
    walkDocument(document, ({ schema, path }) => {
      const properties = schema.properties
      if (
        Array.isArray(schema.required) &&
        isObject(properties) &&
        !OPEN.some((k) => k in schema) &&
        (schema.additionalProperties === undefined || schema.additionalProperties === false)
      )
        schema.required.forEach((name, i) => {
          if (typeof name === 'string' && !(name in properties))
            results.push({
              message: `required property "${name}" is not defined in properties; define it, or remove it from required`,
              path: [...path, 'required', i],
            })
        })
      if (
        is30 &&
        schema.nullable === true &&
        schema.type === undefined &&
        !OPEN.some((k) => k in schema)
      )
        results.push({
          message:
            'nullable without type has no effect in OpenAPI 3.0; add the type it makes nullable',
          path: [...path, 'nullable'],
        })
    })
    return results
  },
)
