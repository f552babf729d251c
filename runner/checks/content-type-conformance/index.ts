import {
  isJsonMediaType,
  jsonMediaType,
  mediaType,
  readJson,
} from '../../../specs/openapi/validator.ts'
import { headerOf } from '../internal/exchange.ts'
import { declaredResponse, responseDiagnostics } from '../internal/spec.ts'
import { onProviderAnswer } from '../preconditions/index.ts'

/**
 * The provider's Content-Type is one the operation declares for the status it answered with. An
 * answer without a body and without a Content-Type (a HEAD, an empty 404) has no type to check.
 */
export const contentTypeConformance = onProviderAnswer({
  scope: 'exchange',
  name: 'contentTypeConformance',
  title: 'Content type declared',
  level: 2,
  severity: 'medium',
  mandatory: true,
  appliedBy: 'every answer of the provider',
  applies: () => true,
  run: (ctx) => {
    const response = ctx.exchange.response
    if (!response) return undefined
    const empty = response.body === undefined || response.body === ''
    if (empty && headerOf(response.headers, 'content-type') === undefined) return undefined
    const declared = declaredResponse(ctx.operation, response.status)
    const json = jsonMediaType(Object.keys(declared?.content ?? {}))
    // A JSON body under a text type needs only its header changed: say which one.
    const fix =
      json !== undefined &&
      !isJsonMediaType(mediaType(headerOf(response.headers, 'content-type')) ?? '') &&
      readJson(response.body).ok
        ? `; the body is JSON: send Content-Type ${json}`
        : ''
    return responseDiagnostics(ctx)
      .filter((d) => d.code === 'content-type')
      .map(
        (d) =>
          `${d.message} (declared for ${ctx.operation.operationId} status ${response.status})${fix}`,
      )
  },
})
