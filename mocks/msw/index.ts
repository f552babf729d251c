import { http, type HttpHandler } from 'msw'
import { loadFederation, type Federation } from '../../specs/federation/index.ts'
import { loadPartnerFederation } from '../../specs/partner/index.ts'
import { createSandbox, type Sandbox } from '../sandbox/index.ts'
import { SANDBOX_DOMAIN } from '../sandbox/hosts.ts'

export type SandboxHandlersOptions = {
  /** The world to serve; by default the bundled federation, joined by `partner` when given. */
  federation?: Federation
  /** A partner file (partner.yaml): its instance joins, with a security server of its own. */
  partner?: string
  /** `world` (default): registers answer from the world data; `spec`: from their specs' examples. */
  mocks?: 'world' | 'spec'
  /** Provider timeout of the security servers, in ms. */
  timeoutMs?: number
}

export type SandboxHandlers = {
  /** msw request handlers for every `http://….sild.test` host: both security servers and every mock. */
  handlers: HttpHandler[]
  /** The in-process sandbox behind the handlers, created on the first request. */
  sandbox(): Promise<Sandbox>
  /** Restores every register's seed records; call it between tests that change state. */
  reset(): Promise<void>
  close(): Promise<void>
}

const SANDBOX_URL = new RegExp(
  `^https?://[^/?#]+\\.${SANDBOX_DOMAIN.replace('.', '\\.')}(?::\\d+)?(?:[/?#]|$)`,
)

/**
 * msw handlers that answer for the whole Sild sandbox in-process, so a partner's own unit tests
 * (vitest, jest) call Estonian and Ukrainian services through the security servers without
 * starting anything. A client calls its instance's security server at `http://INSTANCE.ss.sild.test`.
 * @example
 * const sild = sandboxHandlers({ partner: 'partner.yaml' })
 * const server = setupServer(...sild.handlers)
 * await fetch('http://md-test.ss.sild.test/r1/ee-test/GOV/70008440/rr/population/persons/48001013546',
 *   { headers: { 'X-Road-Client': 'md-test/GOV/1010600034821/portal' } })
 */
export const sandboxHandlers = (opts: SandboxHandlersOptions = {}): SandboxHandlers => {
  let created: Promise<Sandbox> | undefined
  const sandbox = () => {
    created ??= createSandbox({
      federation:
        opts.federation ??
        (opts.partner ? loadPartnerFederation(opts.partner).federation : loadFederation()),
      mocks: opts.mocks,
      timeoutMs: opts.timeoutMs,
    })
    return created
  }
  const handler = http.all(SANDBOX_URL, async function sildSandbox({ request }) {
    return (await sandbox()).dispatcher.dispatch(request)
  })
  return {
    handlers: [handler],
    sandbox,
    reset: async () => {
      if (created) (await created).reset()
    },
    close: async () => {
      if (created) await (await created).close()
      created = undefined
    },
  }
}
