import { existsSync, realpathSync } from 'node:fs'
import { dirname, isAbsolute, relative, resolve } from 'node:path'
import type { ServiceModel } from '../../../specs/federation/index.ts'
import { loadSpec } from '../../../specs/openapi/index.ts'
import type { Source } from '../types.ts'
import type { Context, RawSource } from './context.ts'
import { didYouMean, listOf } from './suggest.ts'

const PATH_HINT =
  "Write url as a path relative to the scenario file, to a spec inside the folder you run sild in, Sild's own specs or the folder of the scenario (or of a partner file)."
const SERVICE_HINT =
  'Point url at the spec file of a federation service, or name the service with x-sild-service (a service id of the federation or a partner file).'

/**
 * Binds each source description to its file, and each OpenAPI source to a federation service and
 * its loaded spec. `roots` are the folders a source may come from.
 */
export const resolveSources = async (ctx: Context, roots: string[]): Promise<Source[]> => {
  const sources: Source[] = []
  const first = new Map<string, number>()
  for (const [i, raw] of ctx.doc.sourceDescriptions.entries()) {
    const path = ['sourceDescriptions', i]
    const earlier = first.get(raw.name)
    if (earlier !== undefined) {
      const at = ctx.locate.value(['sourceDescriptions', earlier, 'name'])
      ctx.fail(
        `duplicate source description name "${raw.name}" (first at line ${at.line})`,
        [...path, 'name'],
        'Give every source description its own name.',
      )
    }
    first.set(raw.name, i)
    const file = resolveUrl(ctx, raw.url, [...path, 'url'], roots)
    const type = raw.type ?? 'openapi'
    if (type === 'arazzo') {
      sources.push({ name: raw.name, type, url: raw.url, file, path })
      continue
    }
    const service = bindService(ctx, raw, file, path)
    const spec = await loadSpec(file)
    sources.push({ name: raw.name, type, url: raw.url, file, service, spec, path })
  }
  return sources
}

const resolveUrl = (
  ctx: Context,
  url: string,
  path: Array<string | number>,
  roots: string[],
): string => {
  if (/^https?:/i.test(url)) {
    ctx.fail(
      `source url "${url}" is a web address; Sild runs offline and reads specs from files`,
      path,
      'Save the OpenAPI document in the project and point url at it with a relative path.',
    )
  }
  if (isAbsolute(url) || /^[a-z]:[\\/]/i.test(url)) {
    ctx.fail(`source url "${url}" is an absolute path`, path, PATH_HINT)
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(url)) {
    ctx.fail(`source url "${url}" is not a relative file path`, path, PATH_HINT)
  }
  const file = resolve(dirname(ctx.file), url.split('#')[0] ?? url)
  if (!roots.some((root) => isInside(root, file))) {
    ctx.fail(
      `source url "${url}" leads outside the folder sild runs in, Sild's own and the scenario's`,
      path,
      PATH_HINT,
    )
  }
  if (!existsSync(file)) {
    ctx.fail(`source file not found: ${url} (looked for ${file})`, path, PATH_HINT)
  }
  // A symbolic link inside the project must not lead out of it either.
  const real = realpathSync(file)
  if (!roots.some((root) => existsSync(root) && isInside(realpathSync(root), real))) {
    ctx.fail(
      `source url "${url}" leads outside the folder sild runs in, Sild's own and the scenario's (through a link)`,
      path,
      PATH_HINT,
    )
  }
  return file
}

const bindService = (
  ctx: Context,
  raw: RawSource,
  file: string,
  path: Array<string | number>,
): ServiceModel => {
  // The metaservices every subsystem answers would bury the services a reader is looking for.
  const ids = ctx.federation.services.filter((s) => s.provider !== 'metaservice').map((s) => s.id)
  const id = raw['x-sild-service']
  if (id !== undefined) {
    const service = ctx.federation.serviceById(id) ?? ctx.federation.service(id)
    if (!service) {
      ctx.fail(
        `unknown service "${id}" in x-sild-service${didYouMean(id, ids)}; known services: ${listOf(ids)}`,
        [...path, 'x-sild-service'],
        SERVICE_HINT,
      )
    }
    return service
  }
  const matches = ctx.federation.services.filter((s) => sameFile(s.specFile, file))
  const [only] = matches
  if (!only) {
    ctx.fail(
      `source "${raw.name}" is not a service of the federation: no service has the spec ${raw.url}; known services: ${listOf(ids)}`,
      [...path, 'url'],
      SERVICE_HINT,
    )
  }
  if (matches.length > 1) {
    ctx.fail(
      `source "${raw.name}" fits several services of the federation (${matches.map((s) => s.id).join(', ')}), which share the spec ${raw.url}`,
      [...path, 'url'],
      'Name the service the scenario calls with x-sild-service.',
    )
  }
  return only
}

const isInside = (root: string, file: string): boolean => {
  const rel = relative(root, file)
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))
}

const sameFile = (a: string, b: string): boolean => {
  if (resolve(a) === resolve(b)) return true
  try {
    return realpathSync(a) === realpathSync(b)
  } catch {
    return false
  }
}
