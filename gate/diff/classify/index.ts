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
  for (const diff of diffs) {
    const c = classifyOne(diff, oldDoc, newDoc)
    if (c) out.push(c)
  }
  return [...dedupeSchemes(mergeAddedRequired(out)), ...securityChanges(oldDoc, newDoc)]
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
        ? make('annotation-changed', NONE, `security scheme "${String(path[2])}" ${verb(diff.action)}`)
        : undefined
    const key = String(path[3])
    // OAuth scopes a scheme offers: a new one asks nothing of existing clients; a removed one
    // refuses the clients that still ask for it.
    if (key === 'flows' && path.includes('scopes') && diff.action === 'add')
      return make('annotation-changed', NONE, `OAuth scope of security scheme "${String(path[2])}" added`)
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
  if (root === 'servers')
    return make(
      'servers-changed',
      NONE,
      'servers changed; clients reach services through their security server',
    )
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
