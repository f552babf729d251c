import { createRulesetFunction, type IFunctionResult } from '@stoplight/spectral-core'
import {
  isObject,
  operationLabel,
  operationsOf,
  type Json,
  type Path,
} from '../../internal/walk.ts'

/**
 * Every operation shows what it exchanges: each success response body, each request body and
 * each required parameter has an example (on itself or on its schema), or a JSON schema whose
 * every field has one to generate from. Sild's mocks answer with these examples and the
 * scenarios' inputs start from them; without any Prism invents data.
 */
export const operationExamples = createRulesetFunction<unknown, null>(
  { input: null, options: null },
  function operationExamples(document) {
    const results: IFunctionResult[] = []
    for (const site of operationsOf(document)) {
      const label = operationLabel(site)
      for (const { parameter, path } of site.parameters) {
        const required = parameter.required === true || parameter.in === 'path'
        if (!required || hasParameterExample(parameter)) continue
        results.push({
          message: `${label}: required ${String(parameter.in)} parameter "${String(parameter.name)}" has no example; add \`examples\` so scenarios made by sild init and the dashboard's Try-it form start from a realistic value`,
          path,
        })
      }
      const body = site.operation.requestBody
      if (isObject(body))
        results.push(
          ...mediaWithoutExamples(body.content, [...site.path, 'requestBody', 'content']).map(
            ({ type, path }) => ({
              message: `${label}: request body (${type}) has no example; add \`examples\` to show a valid request`,
              path,
            }),
          ),
        )
      const responses = isObject(site.operation.responses) ? site.operation.responses : {}
      for (const [status, response] of Object.entries(responses)) {
        if (!/^2/.test(status) || !isObject(response)) continue
        const at = [...site.path, 'responses', status, 'content']
        for (const { type, path } of mediaWithoutExamples(response.content, at)) {
          results.push({
            message: `${label}: response ${status} (${type}) has no example; add \`examples\` so the mock answers with realistic data`,
            path,
          })
        }
      }
    }
    return results
  },
)

const hasSchemaExample = (schema: unknown): boolean =>
  isObject(schema) &&
  (schema.example !== undefined ||
    (Array.isArray(schema.examples) && schema.examples.length > 0) ||
    schema.default !== undefined ||
    schema.const !== undefined ||
    (Array.isArray(schema.enum) && schema.enum.length > 0))

const hasExamples = (holder: Json): boolean =>
  holder.example !== undefined ||
  (isObject(holder.examples) && Object.keys(holder.examples).length > 0)

const hasParameterExample = (parameter: Json): boolean =>
  hasExamples(parameter) ||
  hasSchemaExample(parameter.schema) ||
  (isObject(parameter.content) &&
    Object.values(parameter.content).some((m) => isObject(m) && hasExamples(m)))

// Prism answers an operation without a media example from its schema, taking the examples,
// defaults and enums of each field: a schema whose every field has one answers as well as an
// example would.
const schemaHasData = (schema: unknown, depth = 0): boolean => {
  if (!isObject(schema) || depth > 12) return false
  if (hasSchemaExample(schema)) return true
  const parts = ['allOf', 'oneOf', 'anyOf'].flatMap((k) =>
    Array.isArray(schema[k]) ? (schema[k] as unknown[]) : [],
  )
  if (parts.length) return parts.some((p) => schemaHasData(p, depth + 1))
  if (isObject(schema.properties)) {
    const fields = Object.values(schema.properties)
    return fields.length > 0 && fields.every((f) => schemaHasData(f, depth + 1))
  }
  if (schema.items !== undefined) return schemaHasData(schema.items, depth + 1)
  return false
}

/** JSON bodies only: an image or a PDF is not answered from an example. */
const isJson = (type: string) => /^application\/(.+\+)?json\b/i.test(type) || type === '*/*'

const mediaWithoutExamples = (content: unknown, path: Path) =>
  Object.entries(isObject(content) ? content : {})
    .filter(([type, media]) => isJson(type) && isObject(media) && isObject(media.schema))
    .filter(([, media]) => {
      const m = media as Json
      return !hasExamples(m) && !schemaHasData(m.schema)
    })
    .map(([type]) => ({ type, path: [...path, type] }))
