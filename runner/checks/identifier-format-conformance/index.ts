import { formats, isFormatName } from '../../../specs/formats/index.ts'
import { headerOf, quote } from '../internal/exchange.ts'
import { responseDiagnostics, valueAtBodyPath } from '../internal/spec.ts'
import { onProviderAnswer } from '../preconditions/index.ts'
import type { ExchangeContext } from '../types.ts'

/**
 * Every identifier the response declares with one of Sild's formats (`ee-personal-code`,
 * `ua-rnokpp`, …) passes that format's check digit.
 */
export const identifierFormatConformance = onProviderAnswer({
  scope: 'exchange',
  name: 'identifierFormatConformance',
  title: 'Identifiers pass their check digits',
  level: 2,
  severity: 'high',
  mandatory: true,
  appliedBy: 'every answer of the provider',
  applies: () => true,
  run: (ctx) =>
    responseDiagnostics(ctx).flatMap((d) => {
      if (d.code !== 'format' || d.format === undefined || !isFormatName(d.format)) return []
      const value = valueOf(ctx, d.path)
      if (typeof value !== 'string') return [d.message]
      const verdict = formats[d.format].validate(value)
      const reason = verdict.valid ? 'rejected by the schema' : verdict.reason
      return [`${fieldName(d.path)} ${quote(value)} is not a valid ${d.format}: ${reason}`]
    }),
})

const valueOf = (ctx: ExchangeContext, path: string): unknown =>
  path.startsWith('header.')
    ? headerOf(ctx.exchange.response?.headers, path.slice('header.'.length))
    : valueAtBodyPath(ctx.exchange.response?.body, path)

const fieldName = (path: string): string =>
  path.startsWith('header.') ? `response header ${path.slice('header.'.length)}` : path
