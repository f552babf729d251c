import { formats, type FormatName } from '../../../specs/formats/index.ts'
import { quote } from '../internal/exchange.ts'
import { declaredFormat } from '../internal/spec.ts'
import { onProviderAnswer } from '../preconditions/index.ts'
import type { ExchangeContext } from '../types.ts'

type BadIdentifier = { where: string; value: string; format: FormatName; reason: string }

/**
 * A path or query parameter, or a request-body field, that the operation declares with an
 * identifier format, sent with a value that fails the format's check, is rejected by the
 * provider with 400 — not served (2xx), not a crash (5xx).
 */
export const badIdentifierRejected = onProviderAnswer({
  scope: 'exchange',
  name: 'badIdentifierRejected',
  title: 'Invalid identifiers rejected',
  level: 4,
  severity: 'high',
  mandatory: true,
  appliedBy: 'a step sending an identifier whose check digit is wrong',
  applies: (ctx) => badIdentifiers(ctx).length > 0,
  run: (ctx) => {
    const status = ctx.exchange.response?.status
    if (status === 400) return undefined
    const sent = badIdentifiers(ctx)
      .map((b) => `${b.where} ${quote(b.value)} (${b.format}: ${b.reason})`)
      .join(', ')
    return `sent ${sent} and got status ${status}; expected 400`
  },
})

const badIdentifiers = (ctx: ExchangeContext): BadIdentifier[] => [
  ...badParameters(ctx),
  ...badBodyFields(ctx),
]

// The spec validator knows which body fields carry an identifier format; its format diagnostics
// for the body are exactly the bad identifiers sent there.
const badBodyFields = (ctx: ExchangeContext): BadIdentifier[] => {
  const body = ctx.exchange.request.body
  if (body === undefined || !ctx.operation.requestBody) return []
  const contentType = ctx.exchange.request.headers['content-type'] ?? 'application/json'
  return ctx.validator
    .validateRequest(ctx.operation, {
      pathParams: {},
      query: new URLSearchParams(),
      headers: new Headers(),
      body,
      contentType,
    })
    .flatMap((d) => {
      if (d.code !== 'format' || !d.path.startsWith('body') || !d.format || !(d.format in formats))
        return []
      const value = valueAt(body, d.path.slice('body'.length))
      if (typeof value !== 'string') return []
      const verdict = formats[d.format as FormatName].validate(value)
      return verdict.valid
        ? []
        : [
            {
              where: `body field ${d.path.slice('body'.length) || '/'}`,
              value,
              format: d.format as FormatName,
              reason: verdict.reason,
            },
          ]
    })
}

const valueAt = (data: unknown, pointer: string): unknown => {
  let node = data
  for (const segment of pointer.split('/').slice(1)) {
    if (node === null || typeof node !== 'object') return undefined
    node = (node as Record<string, unknown>)[segment.replace(/~1/g, '/').replace(/~0/g, '~')]
  }
  return node
}

const badParameters = (ctx: ExchangeContext): BadIdentifier[] =>
  ctx.operation.parameters.flatMap((param) => {
    if (param.in !== 'path' && param.in !== 'query') return []
    const format = declaredFormat(ctx.spec, param.schemaPointer)
    const value = (param.in === 'path' ? ctx.sent.pathParams : ctx.sent.query)[param.name]
    if (!format || value === undefined) return []
    const verdict = formats[format].validate(value)
    return verdict.valid
      ? []
      : [{ where: `${param.in} parameter ${param.name}`, value, format, reason: verdict.reason }]
  })
