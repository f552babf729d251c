import { Hono, type Context, type MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { Federation } from '../specs/federation/index.ts'
import type { SpecModel } from '../specs/openapi/index.ts'
import { checkProviderUrl } from '../specs/provider-url/index.ts'
import type { MessageLog } from '../mocks/message-log/index.ts'
import {
  catalogues,
  isLanguage,
  LANGUAGE_NAMES,
  LANGUAGES,
  type Language,
} from './i18n/catalogue.ts'
import type { Scenario } from '../runner/scenario/index.ts'
import type { RunReport } from '../runner/types.ts'
import {
  serviceForm,
  tryOperation,
  TryInputError,
  type TryInput,
  type WorldSample,
} from './composer/index.ts'
import { createEventHub, type ServerEvent } from './events/index.ts'
import { exchangeDetail, summarizeRecord } from './exchange-feed/index.ts'
import { federationView } from './federation-view/index.ts'
import { specTranslations } from '../specs/translations/index.ts'
import {
  createRunManager,
  RunBusyError,
  UnknownScenarioError,
  type RunView,
  type ScenarioRunner,
} from './runs/index.ts'
import { loadPublicFiles, CONTENT_SECURITY_POLICY } from './static/index.ts'

export type { ScenarioRunner } from './runs/index.ts'
export type { WorldSample } from './composer/index.ts'

/** The part of the serving sandbox the dashboard reads and calls through. */
export type DashboardSandbox = {
  federation: Federation
  log: MessageLog
  specs: Map<string, SpecModel>
  dispatcher: { fetch(input: string, init?: RequestInit): Promise<Response> }
  urls: { securityServers: Record<string, string> }
}

export type DashboardOptions = {
  sandbox: DashboardSandbox
  /** The scenarios the page can run (loaded once, on first use). */
  loadScenarios: () => Promise<Scenario[]>
  /** Runs scenarios on the serving sandbox, so their exchanges show in the live feed. */
  runScenarios: ScenarioRunner
  /** Report renderers by format name; each is given the page's language. */
  reportFormats: Record<string, (report: RunReport, lang: Language) => string>
  /** The URLs people reach each instance's security server at (for curl), by instance code. */
  securityServerUrls?: Record<string, string>
  /** People and companies of the world, to fill the request composer. */
  world?: WorldSample[]
  /** The message log file, shown next to hash-chain positions. */
  logFile?: string | null
  version?: string
}

export type Dashboard = {
  app: Hono
  fetch: (request: Request) => Response | Promise<Response>
  /** Interrupts a running scenario run, waits for it, and ends the event streams. */
  close(): Promise<void>
}

const BACKLOG = 300
/** A Try-it call or a provider URL: far below this; anything larger is refused unread. */
export const MAX_API_BODY_BYTES = 1024 * 1024

const FILE_TYPES: Record<string, { ext: string; type: string }> = {
  json: { ext: 'json', type: 'application/json; charset=utf-8' },
  junit: { ext: 'xml', type: 'application/xml; charset=utf-8' },
  html: { ext: 'html', type: 'text/html; charset=utf-8' },
  markdown: { ext: 'md', type: 'text/markdown; charset=utf-8' },
  sarif: { ext: 'sarif.json', type: 'application/json; charset=utf-8' },
}

/**
 * The workshop dashboard: a hono app serving the page, its JSON API and a server-sent event stream
 * of message-log records and scenario-run progress. Everything it shows comes from the pieces
 * passed in; it starts nothing itself.
 * @example const dashboard = createDashboard({ sandbox, loadScenarios, runScenarios, reportFormats })
 */
export const createDashboard = (opts: DashboardOptions): Dashboard => {
  const { sandbox } = opts
  const { federation, log } = sandbox
  // A translation file of the wrong shape is bad input when the dashboard starts, with its line and
  // column, rather than a 500 on the first visit that reads it.
  for (const spec of sandbox.specs.values()) specTranslations(spec.file)
  const hub = createEventHub()
  const files = loadPublicFiles()
  const formats = Object.keys(opts.reportFormats)
  const runs = createRunManager({
    loadScenarios: opts.loadScenarios,
    run: opts.runScenarios,
    publish: (event) => hub.publish(event),
    formats,
  })
  // A page that connects gets the recent past as `backlog`, so it can list it without
  // animating it as if it were happening now.
  const exchangeEvent = (
    record: Parameters<typeof summarizeRecord>[0],
    event = 'exchange',
  ): ServerEvent => ({ event, id: String(record.seq), data: summarizeRecord(record, federation) })
  // Called inside every append: with no page open it costs nothing.
  const unsubscribe = log.subscribe((record) => {
    if (hub.size > 0) hub.publish(exchangeEvent(record))
  })
  const originalProviders = new Map(federation.services.map((s) => [s.id, s.provider]))
  // A page may point a service at loopback or at a host the loaded files already name, nothing else.
  const namedHosts = [...originalProviders.values()].flatMap((p) => hostOf(p) ?? [])

  const app = new Hono()
  app.use(securityHeaders())
  app.use('/api/*', sameOriginWrites())
  // Refused by Content-Length before reading, or as soon as a chunked body passes the limit.
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: MAX_API_BODY_BYTES,
      onError: (c) =>
        c.json({ error: `the request body is larger than ${MAX_API_BODY_BYTES} bytes` }, 413),
    }),
  )

  app.get('/', (c) => files.respond(c, 'index.html'))
  app.get('/assets/:name', (c) => files.respond(c, c.req.param('name')))

  app.get('/api/meta', (c) =>
    c.json({
      version: opts.version ?? null,
      languages: LANGUAGES.map((code) => ({ code, name: LANGUAGE_NAMES[code] })),
      formats,
      logFile: opts.logFile ?? null,
      securityServers: opts.securityServerUrls ?? {},
    }),
  )
  app.get('/api/i18n', (c) => c.json(catalogues()))
  app.get('/api/federation', (c) => c.json(federationView(federation, sandbox.specs)))
  app.get('/api/world', (c) => c.json(opts.world ?? []))

  app.get('/api/exchanges', (c) =>
    c.json(
      log
        .records()
        .slice(-BACKLOG)
        .map((r) => summarizeRecord(r, federation)),
    ),
  )
  app.get('/api/exchanges/:seq', (c) => {
    const seq = Number(c.req.param('seq'))
    const detail = Number.isInteger(seq)
      ? exchangeDetail(log, federation, seq, opts.logFile ?? null)
      : undefined
    return detail ? c.json(detail) : c.json({ error: `no record ${c.req.param('seq')}` }, 404)
  })
  app.get('/api/events', (c) => {
    const since = Number(c.req.header('last-event-id') ?? c.req.query('since') ?? Number.NaN)
    return hub.stream(() =>
      log
        .records()
        .filter((r) => !Number.isInteger(since) || r.seq > since)
        .slice(-BACKLOG)
        .map((record) => exchangeEvent(record, 'backlog')),
    )
  })

  app.get('/api/scenarios', async (c) => c.json(await runs.scenarios()))
  // Calls from Try it yourself still waiting for their answer: a run started now would read a
  // world they may be changing.
  let trying = 0
  app.post('/api/runs', async (c) => {
    if (trying > 0) {
      return c.json(
        {
          error: 'a call from Try it yourself is on its way; start the run when it has its answer',
          reason: 'try-in-flight',
        },
        409,
      )
    }
    const body = (await c.req.json().catch(() => ({}))) as { scenarios?: unknown }
    const ids = Array.isArray(body.scenarios) ? body.scenarios.map(String) : []
    try {
      return c.json(publicRun(await runs.start(ids)), 202)
    } catch (error) {
      if (error instanceof RunBusyError) return c.json({ error: error.message }, 409)
      if (error instanceof UnknownScenarioError) return c.json({ error: error.message }, 404)
      throw error
    }
  })
  app.get('/api/runs/latest', (c) => {
    const latest = runs.latest()
    return latest ? c.json(publicRun(latest)) : c.body(null, 204)
  })
  app.get('/api/runs/:id', (c) => {
    const run = runs.get(Number(c.req.param('id')))
    return run ? c.json(publicRun(run)) : c.json({ error: 'no such run' }, 404)
  })
  app.get('/api/runs/:id/report/:format', (c) => {
    const id = Number(c.req.param('id'))
    const format = c.req.param('format')
    // The format comes from the URL: `constructor` must not find Object's.
    const render = Object.hasOwn(opts.reportFormats, format)
      ? opts.reportFormats[format]
      : undefined
    const report = runs.report(id)
    if (!render) return c.json({ error: `unknown format; known: ${formats.join(', ')}` }, 404)
    if (!report) return c.json({ error: 'the run has no report (yet)' }, 404)
    const lang = c.req.query('lang')
    const type = Object.hasOwn(FILE_TYPES, format)
      ? (FILE_TYPES[format] as { ext: string; type: string })
      : { ext: format, type: 'text/plain; charset=utf-8' }
    return c.body(render(report, isLanguage(lang) ? lang : 'en'), 200, {
      'content-type': type.type,
      'content-disposition': `attachment; filename="sild-run-${id}.${type.ext}"`,
    })
  })

  app.get('/api/services/:id/form', (c) => {
    const service = federation.serviceById(c.req.param('id'))
    const spec = service && sandbox.specs.get(service.id)
    if (!service || !spec) return c.json({ error: 'no such service' }, 404)
    return c.json(serviceForm(federation, service, spec))
  })
  app.post('/api/try', async (c) => {
    const input = await c.req.json().catch(() => undefined)
    if (!isTryInput(input)) {
      return c.json({ error: 'send {serviceId, operationId, client, values?, body?}' }, 400)
    }
    // A run reads and changes the world this call would reach: a call in between could make the
    // run's results depend on when a visitor pressed Send.
    if (runs.running()) {
      return c.json(
        { error: 'a scenario run is in progress; send the call when it has finished' },
        409,
      )
    }
    trying++
    try {
      const result = await tryOperation(
        {
          federation,
          specs: sandbox.specs,
          log,
          fetch: (url, init) => sandbox.dispatcher.fetch(url, init),
          inprocUrls: sandbox.urls.securityServers,
          servedUrls: opts.securityServerUrls ?? {},
        },
        input,
      )
      return c.json(result)
    } catch (error) {
      if (error instanceof TryInputError) return c.json({ error: error.message }, 400)
      throw error
    } finally {
      trying--
    }
  })
  app.put('/api/services/:id/provider', async (c) => {
    const service = federation.serviceById(c.req.param('id'))
    if (!service || service.provider === 'metaservice') {
      return c.json({ error: 'no such service' }, 404)
    }
    const body = (await c.req.json().catch(() => ({}))) as { provider?: unknown }
    const wanted = typeof body.provider === 'string' ? body.provider.trim() : ''
    const original = originalProviders.get(service.id) ?? 'mock'
    if (wanted === 'mock' || wanted === '') service.provider = original
    else {
      const checked = checkProviderUrl(wanted, { allowHosts: namedHosts })
      if (!checked.ok) {
        return c.json({ error: `the URL ${checked.error.reason}`, fix: checked.error.fix }, 400)
      }
      service.provider = checked.value
    }
    hub.publish({ event: 'federation', data: { serviceId: service.id } })
    return c.json({ id: service.id, provider: service.provider, original })
  })

  app.notFound((c) => c.json({ error: 'not found' }, 404))
  app.onError((error, c) => {
    process.stderr.write(`sild dashboard: ${error.stack ?? error}\n`)
    return c.json({ error: error.message }, 500)
  })

  return {
    app,
    fetch: (request) => app.fetch(request),
    close: async () => {
      unsubscribe()
      await runs.close()
      hub.close()
    },
  }
}

const publicRun = ({ id, status, scenarios, startedAt, events }: RunView): RunView => ({
  id,
  status,
  scenarios,
  startedAt,
  events,
})

const hostOf = (url: string): string | undefined => {
  try {
    return new URL(url).host
  } catch {
    return undefined
  }
}

const isTryInput = (value: unknown): value is TryInput => {
  const v = value as Record<string, unknown> | undefined
  return (
    !!v &&
    typeof v.serviceId === 'string' &&
    typeof v.operationId === 'string' &&
    typeof v.client === 'string' &&
    (v.body === undefined || typeof v.body === 'string') &&
    (v.values === undefined ||
      (typeof v.values === 'object' &&
        v.values !== null &&
        Object.values(v.values).every((x) => typeof x === 'string')))
  )
}

const securityHeaders = (): MiddlewareHandler =>
  async function securityHeaders(c, next) {
    await next()
    c.header('content-security-policy', CONTENT_SECURITY_POLICY)
    c.header('x-content-type-options', 'nosniff')
    c.header('referrer-policy', 'no-referrer')
    c.header('x-frame-options', 'DENY')
  }

/**
 * Another web page open in the same browser could post to a local port; a JSON content type
 * forces a CORS preflight the dashboard never answers, and a foreign Origin is refused outright.
 */
const sameOriginWrites = (): MiddlewareHandler =>
  async function sameOriginWrites(c: Context, next) {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next()
    const origin = c.req.header('origin')
    const host = c.req.header('host')
    if (origin && host && hostOf(origin) !== host) {
      return c.json({ error: 'cross-origin requests are refused' }, 403)
    }
    if (!/^application\/json\b/i.test(c.req.header('content-type') ?? '')) {
      return c.json({ error: 'send JSON (content-type: application/json)' }, 415)
    }
    return next()
  }
