import { createRequire } from 'node:module'

/** Sild's version, from its package.json (found by name, from the sources and from dist/ alike). */
export const sildVersion = async (): Promise<string> =>
  String((createRequire(import.meta.url)('sild/package.json') as { version: unknown }).version)
