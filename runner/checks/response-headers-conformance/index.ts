import { isFormatName } from '../../../specs/formats/index.ts'
import type { Diagnostic } from '../../../specs/openapi/validator.ts'
import { responseDiagnostics } from '../internal/spec.ts'
import { onProviderAnswer } from '../preconditions/index.ts'

// Content-Type is contentTypeConformance's, identifier formats are identifierFormatConformance's.
const isHeaderViolation = (d: Diagnostic): boolean =>
  d.path.startsWith('header.') &&
  d.code !== 'content-type' &&
  !(d.code === 'format' && d.format !== undefined && isFormatName(d.format))

/** The response headers the operation declares as required are there, and every declared one is valid. */
export const responseHeadersConformance = onProviderAnswer({
  scope: 'exchange',
  name: 'responseHeadersConformance',
  title: 'Response headers match the spec',
  level: 2,
  severity: 'medium',
  mandatory: true,
  appliedBy: 'every answer of the provider',
  applies: () => true,
  run: (ctx) =>
    responseDiagnostics(ctx)
      .filter(isHeaderViolation)
      .map(
        (d) =>
          `${d.message} (${ctx.operation.operationId} status ${ctx.exchange.response?.status})`,
      ),
})
