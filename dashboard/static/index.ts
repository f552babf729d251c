import { readdirSync, readFileSync } from 'node:fs'
import { extname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Context } from 'hono'

/** Where the page's HTML, scripts and styles live: plain files, no build step. */
export const PUBLIC_DIR = fileURLToPath(new URL('../public/', import.meta.url))

/**
 * Only the page's own files: no inline script or style, no other origin. Service data reaches
 * the page as JSON and is put in as text, so even a slip would find no script to run.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
}

export type PublicFiles = {
  names(): string[]
  /** The file by its bare name; unknown names (and any path) are 404. */
  respond(c: Context, name: string): Response
}

/** Reads the public folder once; requests can only name the files found there. */
export const loadPublicFiles = (dir = PUBLIC_DIR): PublicFiles => {
  const files = new Map<string, { body: Uint8Array<ArrayBuffer>; type: string }>()
  for (const name of readdirSync(dir)) {
    const type = TYPES[extname(name)]
    if (type) files.set(name, { body: new Uint8Array(readFileSync(join(dir, name))), type })
  }
  return {
    names: () => [...files.keys()].sort(),
    respond(c, name) {
      const file = files.get(name)
      if (!file) return c.json({ error: 'not found' }, 404)
      return c.body(file.body, 200, { 'content-type': file.type, 'cache-control': 'no-cache' })
    },
  }
}
