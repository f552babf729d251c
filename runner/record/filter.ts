import { compilePathGlob } from '../../specs/federation/path-glob.ts'
import { SildInputError } from '../../specs/source-file/index.ts'
import type { RecordedExchange } from './logged.ts'

/** `sild record --filter KEY=VALUE`: which recorded exchanges to keep. */
export type ExchangeFilter = (exchange: RecordedExchange) => boolean

const KEYS = ['client', 'service', 'instance', 'method', 'path', 'status'] as const

const HINT = `Write KEY=VALUE with KEY one of ${KEYS.join(', ')}; e.g. service=ee-population-register, client=ee-test/GOV/70006317/eesti-ee, path=/persons/**, status=2xx.`

/**
 * Parses one `--filter`. `service` matches a service id or key, `client` a subsystem, `instance`
 * either side's instance, `method` the HTTP method, `path` an X-Road path glob (`*` within a
 * segment, `**` across) on the service path, `status` a status (`404`) or a class (`2xx`).
 * `serviceIdOf` maps a service key to its short id.
 */
export const parseExchangeFilter = (
  text: string,
  serviceIdOf: (key: string) => string | undefined = () => undefined,
): ExchangeFilter => {
  const eq = text.indexOf('=')
  const key = text.slice(0, eq) as (typeof KEYS)[number]
  const value = text.slice(eq + 1)
  if (eq < 1 || !value || !KEYS.includes(key)) {
    throw new SildInputError(`--filter ${text}: not a filter`, undefined, HINT)
  }
  const lower = value.toLowerCase()
  switch (key) {
    case 'client':
      return (e) => e.client === value
    case 'service':
      return (e) =>
        e.service !== undefined && (e.service === value || serviceIdOf(e.service) === value)
    case 'instance':
      return (e) => [e.client, e.service].some((k) => k?.split('/')[0]?.toLowerCase() === lower)
    case 'method':
      return (e) => e.method.toUpperCase() === value.toUpperCase()
    case 'path': {
      const glob = compilePathGlob(value.startsWith('/') ? value : `/${value}`)
      return (e) => glob.test(e.path.split('?')[0] ?? '')
    }
    case 'status': {
      const m = /^([1-5])(?:xx|\d\d)$/i.exec(value)
      if (!m)
        throw new SildInputError(
          `--filter ${text}: status must be like 404 or 2xx`,
          undefined,
          HINT,
        )
      return /xx$/i.test(value)
        ? (e) => Math.floor(e.status / 100) === Number(m[1])
        : (e) => e.status === Number(value)
    }
  }
}

/** Keeps the exchanges every filter accepts. */
export const applyFilters = (
  exchanges: readonly RecordedExchange[],
  filters: readonly ExchangeFilter[],
): RecordedExchange[] => exchanges.filter((e) => filters.every((f) => f(e)))
