import { serve } from '@hono/node-server'
import type { AddressInfo } from 'node:net'
import type { FetchHandler } from './hosts.ts'

export type HttpServer = { url: string; close(): Promise<void> }

/** Serves a fetch handler over HTTP; port 0 picks a free port. */
export const startHttpServer = (
  fetch: FetchHandler,
  { hostname = '127.0.0.1', port = 0 }: { hostname?: string; port?: number } = {},
): Promise<HttpServer> =>
  new Promise((resolve, reject) => {
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
