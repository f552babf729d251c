import { responseDiagnostics } from '../internal/spec.ts'
import { onProviderAnswer } from '../preconditions/index.ts'

/** The provider answers with a status the operation declares (itself, as `4XX`, or `default`). */
export const statusCodeConformance = onProviderAnswer({
  scope: 'exchange',
  name: 'statusCodeConformance',
  title: 'Status code declared',
  level: 2,
  severity: 'high',
  mandatory: true,
  appliedBy: 'every answer of the provider',
  applies: () => true,
  run: (ctx) =>
    responseDiagnostics(ctx)
      .filter((d) => d.code === 'status')
      .map((d) => d.message),
})
