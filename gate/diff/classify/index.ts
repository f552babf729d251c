import type { OpenApiDocument } from '../../../specs/openapi/index.ts'
import { isObject, toNewPath, usageValue } from '../internal/usage.ts'
import {
  ANNOTATIONS,
  CLIENTS,
  fallback,
  METHODS,
  NONE,
  verb,
  type Classified,
  type Party,
  type RawDiff,
} from './common.ts'
import { pathsChange } from './operation.ts'
import { mergeAddedRequired } from './schema.ts'
import { dedupeSchemes, securityChanges } from './security.ts'

export type { Classified, Party, RawDiff } from './common.ts'

/**
 * Sorts api-smart-diff's changes into Sild's rules: breaking or not, and for whom. A request
 * that conformed to the old spec and no longer conforms breaks clients; a response that
 * conformed and no longer does breaks providers; a client that read something the new spec no
 * longer promises (a removed or optional response property, a new response type) breaks too.
 */
export const classifyDiffs = (
  diffs: RawDiff[],
  oldDoc: OpenApiDocument,
  newDoc: OpenApiDocument,
): Classified[] => {
  const out: Classified[] = []
  for (const diff of diffs.flatMap(perParameter)) {
    const c = classifyOne(diff, oldDoc, newDoc)
    if (c) out.push(c)
  }
  return [...dedupeSchemes(mergeAddedRequired(out)), ...securityChanges(oldDoc, newDoc)]
}

// A parameter list that appears or disappears as a whole is judged parameter by parameter.
const perParameter = (diff: RawDiff): RawDiff[] => {
  const p = diff.path
  const value =
    diff.action === 'add' ? diff.after : diff.action === 'remove' ? diff.before : undefined
  if (p.length !== 4 || p[0] !== 'paths' || p[3] !== 'parameters' || !Array.isArray(value))
    return [diff]
  return value.map((item, i) => ({
    ...diff,
    path: [...p, i],
    ...(diff.action === 'add' ? { after: item } : { before: item }),
  }))
}

const operationOf = (
  diff: RawDiff,
  oldDoc: OpenApiDocument,
  newDoc: OpenApiDocument,
): Classified['operation'] => {
  const [root, path, method] = diff.path
  if (
    root !== 'paths' ||
    typeof path !== 'string' ||
    typeof method !== 'string' ||
    !METHODS.includes(method)
  )
    return undefined
  const op =
    usageValue(oldDoc, ['paths', path, method]) ??
    usageValue(newDoc, toNewPath(['paths', path, method], oldDoc, newDoc))
  const operationId =
    isObject(op) && typeof op.operationId === 'string' ? op.operationId : undefined
  return { method: method.toUpperCase(), path, ...(operationId ? { operationId } : {}) }
}

const classifyOne = (
  diff: RawDiff,
  oldDoc: OpenApiDocument,
  newDoc: OpenApiDocument,
): Classified | undefined => {
  const path = diff.path
  const operation = operationOf(diff, oldDoc, newDoc)
  const label = operation ? `${operation.method} ${operation.path}` : undefined
  const make = (rule: string, breaks: Party[], message: string): Classified => ({
    rule,
    breaks,
    message: label ? `${label}: ${message}` : message,
    path,
    newPath:
      diff.action === 'remove'
        ? undefined
        : toNewPath(
            path,
            oldDoc,
            newDoc,
            diff.action === 'add' ? { value: diff.after } : undefined,
          ),
    action: diff.action,
    ...(operation ? { operation } : {}),
  })
  const [root] = path
  if (root === 'components') {
    if (path[1] !== 'securitySchemes') return undefined
    // Whether a client gets in is judged per operation, on the requirements in effect
    // (securityChanges); a scheme's definition coming or going changes nobody's requests.
    if (path.length === 2) {
      const value = diff.action === 'add' ? diff.after : diff.before
      const names = isObject(value) ? Object.keys(value).map((n) => `"${n}"`) : []
      return names.length
        ? make(
            'annotation-changed',
            NONE,
            `security scheme${names.length === 1 ? '' : 's'} ${names.join(', ')} ${verb(diff.action)}`,
          )
        : undefined
    }
    if (path.length === 3)
      return diff.action === 'add' || diff.action === 'remove'
        ? make(
            'annotation-changed',
            NONE,
            `security scheme "${String(path[2])}" ${verb(diff.action)}`,
          )
        : undefined
    const key = String(path[3])
    // OAuth scopes a scheme offers: a new one asks nothing of existing clients; a removed one
    // refuses the clients that still ask for it.
    if (key === 'flows' && path.includes('scopes') && diff.action === 'add')
      return make(
        'annotation-changed',
        NONE,
        `OAuth scope of security scheme "${String(path[2])}" added`,
      )
    return ANNOTATIONS.has(key) || key === 'bearerFormat' || key.startsWith('x-')
      ? make(
          'annotation-changed',
          NONE,
          `${key} of security scheme "${String(path[2])}" ${verb(diff.action)}`,
        )
      : make(
          'security-scheme-changed',
          CLIENTS,
          `security scheme "${String(path[2])}" changed (${key}); clients must authenticate differently`,
        )
  }
  // Security is compared per operation by securityChanges(), on the requirements in effect.
  if (root === 'security') return undefined
  if (root === 'paths') return pathsChange(diff, oldDoc, newDoc, make)
  if (root === 'servers') return serversChange(oldDoc, newDoc, make)
  if (root === 'webhooks') return webhookChange(diff, make)
  if (
    root === 'info' ||
    root === 'openapi' ||
    root === 'tags' ||
    root === 'externalDocs' ||
    root === 'jsonSchemaDialect'
  )
    return make('document-metadata-changed', NONE, `${path.join('.')} changed`)
  return fallback(diff, make, path.join('.'))
}

const basePaths = (doc: OpenApiDocument): string[] => {
  const servers = Array.isArray(doc.servers) ? doc.servers : []
  const paths = servers
    .filter(isObject)
    .map((s) => String(s.url ?? '/'))
    .map((url) => {
      try {
        return new URL(url, 'http://relative.invalid').pathname.replace(/\/+$/, '')
      } catch {
        return url
      }
    })
  return [...new Set(paths)].sort()
}

// A new host is where clients are pointed (in X-Road: their security server); a new base path
// moves every operation's URL, so clients built to the old one call paths that no longer exist.
const serversChange = (
  oldDoc: OpenApiDocument,
  newDoc: OpenApiDocument,
  make: (rule: string, breaks: Party[], message: string) => Classified,
): Classified => {
  const before = basePaths(oldDoc)
  const after = basePaths(newDoc)
  const lost = before.filter((p) => !after.includes(p))
  if (before.length && after.length && lost.length)
    return make(
      'server-base-path-changed',
      CLIENTS,
      `base path ${lost.map((p) => `"${p || '/'}"`).join(', ')} became ${after.map((p) => `"${p || '/'}"`).join(', ')}; clients call every operation at a URL that moved`,
    )
  return make(
    'servers-changed',
    NONE,
    'servers changed (same base path); clients reach services through their security server',
  )
}

// Webhooks are requests the API sends to its subscribers: a new one asks nothing of them, a
// removed one stops what they wait for.
const webhookChange = (
  diff: RawDiff,
  make: (rule: string, breaks: Party[], message: string) => Classified,
): Classified => {
  const name = diff.path[1]
  if (diff.path.length === 1) {
    const value = diff.action === 'add' ? diff.after : diff.before
    const names = isObject(value)
      ? Object.keys(value)
          .map((n) => `"${n}"`)
          .join(', ')
      : ''
    return diff.action === 'remove'
      ? make(
          'webhook-removed',
          CLIENTS,
          `webhooks ${names} removed; subscribers no longer get them`,
        )
      : make('webhook-added', NONE, `webhooks ${names} ${verb(diff.action)}`)
  }
  if (diff.path.length === 2 && diff.action !== 'replace')
    return diff.action === 'remove'
      ? make(
          'webhook-removed',
          CLIENTS,
          `webhook "${String(name)}" removed; subscribers no longer get it`,
        )
      : make('webhook-added', NONE, `webhook "${String(name)}" added`)
  return fallback(diff, make, `webhook "${String(name)}"`)
}
