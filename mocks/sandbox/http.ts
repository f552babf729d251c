import { serve } from '@hono/node-server'
import type { AddressInfo } from 'node:net'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { allowedHosts, misdirected } from './allowed-hosts.ts'
import type { DirectHandler, FetchHandler } from './hosts.ts'

export type HttpServer = { url: string; close(): Promise<void> }

export type ServerOptions = {
  hostname?: string
  port?: number
  /** Host names answered besides the bound address and loopback names (see allowed-hosts.ts). */
  allowedHosts?: readonly string[]
}

/** Serves a fetch handler over HTTP; port 0 picks a free port. */
export const startHttpServer = (
  handler: FetchHandler,
  { hostname = '127.0.0.1', port = 0, allowedHosts: extra = [] }: ServerOptions = {},
): Promise<HttpServer> =>
  new Promise((resolve, reject) => {
    const allowed = allowedHosts(hostname, extra)
    const fetch: FetchHandler = (request, env) => {
      const host = request.headers.get('host') ?? undefined
      if (allowed(host)) return handler(request, env)
      const { status, body } = misdirected(host as string)
      return new Response(body, {
        status,
        headers: { 'content-type': 'text/plain; charset=utf-8', connection: 'close' },
      })
    }
    const server = serve({ fetch, hostname, port }, (info: AddressInfo) => {
      const host = info.family === 'IPv6' ? `[${info.address}]` : info.address
      resolve({
        url: `http://${host}:${info.port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done())
            if ('closeAllConnections' in server) server.closeAllConnections()
          }),
      })
    })
    server.once('error', reject)
  })

/**
 * Serves a plain-data handler straight on node:http, without WHATWG Request/Response objects:
 * the raw request target (query unmodified), the raw header lines in order, the body bytes read
 * up to `maxBodyBytes` + 1 (the handler refuses what is larger).
 */
export const startPlainHttpServer = (
  handler: DirectHandler,
  {
    hostname = '127.0.0.1',
    port = 0,
    maxBodyBytes = 10 * 1024 * 1024,
    allowedHosts: extra = [],
  }: ServerOptions & { maxBodyBytes?: number } = {},
): Promise<HttpServer> =>
  new Promise((resolve, reject) => {
    const allowed = allowedHosts(hostname, extra)
    const server = createServer({ keepAlive: true }, (req, res) => {
      if (!allowed(req.headers.host)) {
        const { status, body } = misdirected(req.headers.host as string)
        res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' })
        res.end(body)
        return
      }
      void answer(handler, req, res, maxBodyBytes)
    })
    server.keepAliveTimeout = 10_000
    server.once('error', reject)
    server.listen(port, hostname, () => {
      const info = server.address() as AddressInfo
      const host = info.family === 'IPv6' ? `[${info.address}]` : info.address
      resolve({
        url: `http://${host}:${info.port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done())
            server.closeAllConnections()
          }),
      })
    })
  })

const answer = async (
  handler: DirectHandler,
  req: IncomingMessage,
  res: ServerResponse,
  maxBodyBytes: number,
): Promise<void> => {
  try {
    const chunks: Buffer[] = []
    let size = 0
    for await (const chunk of req) {
      size += (chunk as Buffer).byteLength
      chunks.push(chunk as Buffer)
      // Keep one byte past the limit so the handler can tell the body was too large.
      if (size > maxBodyBytes) break
    }
    const raw = req.url ?? '/'
    const q = raw.indexOf('?')
    const headers: Array<[string, string]> = []
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
      headers.push([req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string])
    }
    const reply = await handler({
      method: req.method ?? 'GET',
      pathname: q < 0 ? raw : raw.slice(0, q),
      search: q < 0 ? '' : raw.slice(q),
      headers,
      body: size > 0 ? Buffer.concat(chunks).subarray(0, maxBodyBytes + 1) : undefined,
    })
    const head = reply.headers.flat()
    // The body is whole: its length goes in the head, rather than framing it in chunks.
    const framed = reply.headers.some(([name]) =>
      ['content-length', 'transfer-encoding'].includes(name.toLowerCase()),
    )
    // A HEAD reply has no body, and its length would have to be GET's: it is left out.
    const bodied =
      req.method !== 'HEAD' && reply.status >= 200 && ![204, 304].includes(reply.status)
    if (!framed && bodied) head.push('content-length', String(reply.body.byteLength))
    res.writeHead(reply.status, head)
    res.end(reply.body)
  } catch (error) {
    process.stderr.write(
      `sild: internal error while serving ${req.url}: ${(error as Error).stack ?? error}\n`,
    )
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' })
    res.end('internal error')
  }
}
