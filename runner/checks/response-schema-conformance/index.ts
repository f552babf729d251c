import { isFormatName } from '../../../specs/formats/index.ts'
import type { Diagnostic } from '../../../specs/openapi/validator.ts'
import { responseDiagnostics } from '../internal/spec.ts'
import { onProviderAnswer } from '../preconditions/index.ts'

// Identifier formats are identifierFormatConformance's; other formats (date, email) are schema.
const isBodyViolation = (d: Diagnostic): boolean =>
  (d.path === 'body' || d.path.startsWith('body/')) &&
  (d.code === 'schema' ||
    d.code === 'required' ||
    (d.code === 'format' && !(d.format !== undefined && isFormatName(d.format))))

/**
 * The provider's body is valid against the schema the operation declares for its status and
 * content type. Every violation is listed in one failure, as Schemathesis groups them.
 */
export const responseSchemaConformance = onProviderAnswer({
  scope: 'exchange',
  name: 'responseSchemaConformance',
  title: 'Response body matches the schema',
  level: 2,
  severity: 'high',
  mandatory: true,
  appliedBy: 'every answer of the provider',
  applies: () => true,
  run: (ctx) => {
    const violations = responseDiagnostics(ctx).filter(isBodyViolation)
    if (violations.length === 0) return undefined
    const status = ctx.exchange.response?.status
    const count = violations.length === 1 ? '1 violation' : `${violations.length} violations`
    return [
      `Response violates the schema of ${ctx.operation.operationId} ${status} (${count}):`,
      ...violations.map((d) => `  - ${d.message}`),
    ].join('\n')
  },
})
