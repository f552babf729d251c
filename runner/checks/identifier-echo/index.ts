import { formats, type FormatName } from '../../../specs/formats/index.ts'
import { headerOf, quote } from '../internal/exchange.ts'
import { declaredFormat, declaredResponse, topLevelIdentifierFields } from '../internal/spec.ts'
import { onProviderAnswer } from '../preconditions/index.ts'
import type { ExchangeContext } from '../types.ts'

type Echo = { param: string; format: FormatName; asked: string; field: string; answered: string }

/**
 * Asked about X, answered about X: when a path parameter declares an identifier format and the
 * success body's schema declares a top-level field of the same format, the two carry the same
 * value. Only compared when both values are valid identifiers (an invalid one is another check's)
 * and the field is unambiguous: the one named like the parameter, or the only one of that format.
 */
export const identifierEcho = onProviderAnswer({
  scope: 'exchange',
  name: 'identifierEcho',
  title: 'Answer is about the identifier asked for',
  level: 3,
  severity: 'medium',
  mandatory: false,
  appliedBy: 'a step whose answer should carry the identifier it asked for',
  applies: (ctx) => echoes(ctx).length > 0,
  run: (ctx) =>
    echoes(ctx)
      .filter((e) => e.answered !== e.asked)
      .map(
        (e) =>
          `asked for ${e.param} ${quote(e.asked)} (${e.format}); the answer's ${e.field} is ${quote(e.answered)}`,
      ),
})

const echoes = (ctx: ExchangeContext): Echo[] => {
  const response = ctx.exchange.response
  if (!response || response.status < 200 || response.status > 299) return []
  const body = response.body
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return []
  const declared = declaredResponse(ctx.operation, response.status)
  if (!declared) return []
  const fields = topLevelIdentifierFields(
    ctx.spec,
    declared,
    headerOf(response.headers, 'content-type'),
  )
  const out: Echo[] = []
  for (const param of ctx.operation.parameters) {
    if (param.in !== 'path') continue
    const format = declaredFormat(ctx.spec, param.schemaPointer)
    const asked = ctx.sent.pathParams[param.name]
    if (!format || asked === undefined || !formats[format].validate(asked).valid) continue
    const candidates = [...fields].filter(([, f]) => f === format).map(([name]) => name)
    const field = candidates.includes(param.name)
      ? param.name
      : candidates.length === 1
        ? candidates[0]
        : undefined
    if (field === undefined) continue
    const answered = (body as Record<string, unknown>)[field]
    if (typeof answered !== 'string' || !formats[format].validate(answered).valid) continue
    out.push({ param: param.name, format, asked, field, answered })
  }
  return out
}
