import { createRulesetFunction, type IFunctionResult } from '@stoplight/spectral-core'
import { isObject, operationLabel, operationsOf, type Json } from '../../internal/walk.ts'

export type ErrorBodyOptions = {
  /** Whether a document follows Sild's conventions: a federation service, or one with `info.x-sild-service`. */
  isSildSpec: (source: string | null, document: Json) => boolean
}

/** Properties a schema declares, including those of its `allOf` parts. */
const propertiesOf = (schema: unknown, seen = new Set<unknown>()): Set<string> => {
  const names = new Set<string>()
  if (!isObject(schema) || seen.has(schema)) return names
  seen.add(schema)
  if (isObject(schema.properties))
    for (const name of Object.keys(schema.properties)) names.add(name)
  if (Array.isArray(schema.allOf))
    for (const part of schema.allOf) for (const name of propertiesOf(part, seen)) names.add(name)
  return names
}

/**
 * Which documented error body a schema is: RFC 9457 problem details (`type`, `title`, `status`;
 * specs/common/problem.yaml), which every Sild service answers with, or X-Road's
 * `{type, message, detail}`, which security servers and metaservices answer with.
 */
export const errorBodyKind = (schema: unknown): 'problem' | 'xroad' | 'own' | undefined => {
  const names = propertiesOf(schema)
  if (names.has('type') && names.has('title') && names.has('status')) return 'problem'
  if (names.has('type') && names.has('message')) return 'xroad'
  // RFC 7807/9457 make every member optional; two of them are a problem document. Any other
  // declared fields are the API's own documented error format (X-Road's management APIs answer
  // {status, error: {code, metadata}}), which clients can parse as well.
  const problemMembers = ['type', 'title', 'status', 'detail', 'instance']
  if (problemMembers.filter((m) => names.has(m)).length >= 2) return 'problem'
  if (names.size > 0) return 'own'
  return undefined
}

const isProblemMedia = (type: string) => /^application\/problem\+json\b/i.test(type)

const isError = (status: string) => /^[45]/.test(status) || status === 'default'

/**
 * Error responses (4xx, 5xx, default) of a federation's services carry a documented error body
 * (problem details, X-Road's, or the API's own declared object), so clients can parse them and
 * the conformance checks can verify them. Other documents are left alone.
 */
export const errorBody = (options: ErrorBodyOptions) =>
  createRulesetFunction<unknown, null>(
    { input: null, options: null },
    function errorBody(document, _options, context) {
      if (!isObject(document) || !options.isSildSpec(context.document.source, document)) return []
      const results: IFunctionResult[] = []
      for (const site of operationsOf(document)) {
        const responses = isObject(site.operation.responses) ? site.operation.responses : {}
        for (const [status, response] of Object.entries(responses)) {
          if (!isError(status) || !isObject(response)) continue
          const path = [...site.path, 'responses', status]
          const json = Object.entries(isObject(response.content) ? response.content : {}).filter(
            ([type]) => /[/+]json\b/i.test(type),
          )
          const documented = json.some(
            ([type, media]) =>
              isProblemMedia(type) || (isObject(media) && errorBodyKind(media.schema)),
          )
          if (documented) continue
          results.push({
            message: `${operationLabel(site)}: response ${status} ${json.length ? 'declares no error fields' : 'has no JSON error body'}; document the error body: RFC 9457 problem details (application/problem+json with type, title, status) or the API's own error object`,
            path: json.length ? [...path, 'content', json[0]?.[0] as string] : path,
          })
        }
      }
      return results
    },
  )
