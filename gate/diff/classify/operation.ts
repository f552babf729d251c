import type { OpenApiDocument } from '../../../specs/openapi/index.ts'
import { isObject, mergedParameters, toNewPath, usageValue, type Json } from '../internal/usage.ts'
import {
  ANNOTATIONS,
  BOTH,
  CLIENTS,
  fallback,
  METHODS,
  NONE,
  PROVIDERS,
  q,
  verb,
  type Classified,
  type Make,
  type RawDiff,
} from './common.ts'
import { schemaChange } from './schema.ts'

/** A change under `paths`: a path, an operation, or a part of one. */
export const pathsChange = (
  diff: RawDiff,
  oldDoc: OpenApiDocument,
  newDoc: OpenApiDocument,
  make: Make,
): Classified | undefined => {
  const path = diff.path
  if (path.length === 1) {
    if (diff.action === 'rename')
      return make(
        'path-parameter-renamed',
        NONE,
        `path ${String(diff.before)} is now written ${String(diff.after)}; the same requests match`,
      )
    return fallback(diff, make, 'paths')
  }
  const template = String(path[1])
  if (path.length === 2) {
    if (diff.action === 'add') return make('path-added', NONE, `path ${template} added`)
    if (diff.action === 'remove')
      return make(
        'path-removed',
        CLIENTS,
        `path ${template} removed with all its operations; clients calling it get 404`,
      )
    return fallback(diff, make, `path ${template}`)
  }
  const method = String(path[2])
  if (!METHODS.includes(method)) {
    if (method === 'servers')
      return make(
        'servers-changed',
        NONE,
        'servers changed; clients reach services through their security server',
      )
    if (method === 'summary' || method === 'description')
      return make('annotation-changed', NONE, `${method} of path ${template} changed`)
    return fallback(diff, make, `path ${template} ${method}`)
  }
  if (path.length === 3) {
    if (diff.action === 'add')
      return usageValue(oldDoc, ['paths', template]) === undefined
        ? make('path-added', NONE, `path ${template} added`)
        : make('operation-added', NONE, 'operation added')
    if (diff.action === 'remove')
      return usageValue(newDoc, toNewPath(['paths', template], oldDoc, newDoc)) === undefined
        ? make('path-removed', CLIENTS, `path ${template} removed; clients calling it get 404`)
        : make('operation-removed', CLIENTS, 'operation removed; clients calling it get 404 or 405')
    return fallback(diff, make, 'operation')
  }
  const area = String(path[3])
  switch (area) {
    case 'operationId':
      return diff.action === 'add'
        ? make('operation-id-added', NONE, `operationId ${q(diff.after)} added`)
        : make(
            'operation-id-changed',
            CLIENTS,
            `operationId ${q(diff.before)} ${diff.action === 'remove' ? 'removed' : `renamed to ${q(diff.after)}`}; Arazzo workflows and generated clients call operations by it`,
          )
    case 'deprecated':
      return make(
        'operation-deprecated',
        NONE,
        diff.after === true ? 'operation deprecated' : 'operation no longer deprecated',
      )
    case 'x-sild-personal-data':
      return diff.after === true
        ? make(
            'personal-data-flag-added',
            CLIENTS,
            'now returns personal data; Trembita clients must send Uxp-Purpose-Ids',
          )
        : make('annotation-changed', NONE, 'no longer flagged as returning personal data')
    case 'security':
      return undefined
    case 'servers':
      return make(
        'servers-changed',
        NONE,
        'servers changed; clients reach services through their security server',
      )
    case 'parameters':
      return parameterChange(diff, oldDoc, newDoc, make)
    case 'requestBody':
      return requestBodyChange(diff, oldDoc, newDoc, make)
    case 'responses':
      return responseChange(diff, oldDoc, newDoc, make)
    case 'callbacks':
      return fallback(diff, make, 'callbacks')
    default:
      if (ANNOTATIONS.has(area) || area.startsWith('x-'))
        return make('annotation-changed', NONE, `${area} ${verb(diff.action)}`)
      return fallback(diff, make, area)
  }
}

const parameterLabel = (p: unknown) =>
  isObject(p) ? `${String(p.in)} parameter ${q(p.name)}` : 'parameter'

const parameterChange = (
  diff: RawDiff,
  oldDoc: OpenApiDocument,
  newDoc: OpenApiDocument,
  make: Make,
): Classified | undefined => {
  const path = diff.path
  const param =
    path.length === 5 && diff.action === 'add'
      ? diff.after
      : mergedParameters(oldDoc, String(path[1]), String(path[2]))[Number(path[4])]
  const label = parameterLabel(param)
  const hasDefault = (p: unknown) =>
    isObject(p) && isObject(p.schema) && p.schema.default !== undefined
  if (path.length === 5) {
    if (diff.action === 'add') {
      const p = diff.after as Json
      // Declaring a path parameter the URL template already had changes no request on the wire.
      if (p?.in === 'path' && String(path[1]).includes(`{${String(p.name)}}`))
        return make(
          'path-parameter-declared',
          NONE,
          `${label} declared; the URL template already had it, so requests do not change`,
        )
      return (p?.required === true || p?.in === 'path') && !hasDefault(p)
        ? make(
            'request-parameter-added-required',
            CLIENTS,
            `required ${label} added; clients that do not send it are refused`,
          )
        : make('request-parameter-added', NONE, `optional ${label} added`)
    }
    if (diff.action === 'remove')
      return make(
        'request-parameter-removed',
        NONE,
        `${label} removed; a value clients still send is ignored`,
      )
    return fallback(diff, make, label)
  }
  const key = String(path[5])
  if (key === 'required') {
    const nowRequired = diff.action !== 'remove' && diff.after === true
    if (nowRequired && !hasDefault(param))
      return make(
        'request-parameter-became-required',
        CLIENTS,
        `${label} became required; clients that leave it out are refused`,
      )
    return make('request-parameter-became-optional', NONE, `${label} became optional`)
  }
  if (key === 'in')
    return make(
      'request-parameter-moved',
      CLIENTS,
      `${label} moved to ${String(diff.after)}; clients send it in the wrong place`,
    )
  if (key === 'name') {
    // A path parameter is renamed with its path template, which is reported once, for the path.
    if (isObject(param) && param.in === 'path') return undefined
    return make(
      'request-parameter-renamed',
      CLIENTS,
      `${label} renamed to ${q(diff.after)}; clients send the old name`,
    )
  }
  if (key === 'schema' || key === 'content') {
    const schemaRoot = key === 'schema' ? path.slice(0, 6) : path.slice(0, 8)
    return schemaChange(
      diff,
      { side: 'request', label, schemaPath: path.slice(schemaRoot.length), schemaRoot },
      oldDoc,
      newDoc,
      make,
    )
  }
  if (key === 'deprecated')
    return make(
      'request-parameter-deprecated',
      NONE,
      `${label} ${diff.after === true ? 'deprecated' : 'no longer deprecated'}`,
    )
  if (ANNOTATIONS.has(key) || key.startsWith('x-'))
    return make('annotation-changed', NONE, `${key} of ${label} ${verb(diff.action)}`)
  return diff.type === 'breaking'
    ? make(
        'request-parameter-serialization-changed',
        CLIENTS,
        `${key} of ${label} changed; clients serialise it differently`,
      )
    : make('request-parameter-serialization-changed', NONE, `${key} of ${label} changed`)
}

const requestBodyChange = (
  diff: RawDiff,
  oldDoc: OpenApiDocument,
  newDoc: OpenApiDocument,
  make: Make,
): Classified | undefined => {
  const path = diff.path
  if (path.length === 4) {
    if (diff.action === 'add') {
      return isObject(diff.after) && diff.after.required === true
        ? make(
            'request-body-added-required',
            CLIENTS,
            'required request body added; clients that send none are refused',
          )
        : make('request-body-added', NONE, 'optional request body added')
    }
    if (diff.action === 'remove')
      return make(
        'request-body-removed',
        CLIENTS,
        'request body removed; what clients send is no longer read',
      )
    return fallback(diff, make, 'request body')
  }
  const key = String(path[4])
  if (key === 'required') {
    return diff.action !== 'remove' && diff.after === true
      ? make(
          'request-body-became-required',
          CLIENTS,
          'request body became required; clients that send none are refused',
        )
      : make('request-body-became-optional', NONE, 'request body became optional')
  }
  if (key === 'content') {
    if (path.length === 5) return fallback(diff, make, 'request body content')
    const type = String(path[5])
    const label = `request body (${type})`
    if (path.length === 6) {
      if (diff.action === 'add') return make('request-media-type-added', NONE, `${label} accepted`)
      if (diff.action === 'remove')
        return make(
          'request-media-type-removed',
          CLIENTS,
          `${label} no longer accepted; clients sending it are refused`,
        )
      return fallback(diff, make, label)
    }
    const inner = String(path[6])
    if (inner === 'schema')
      return schemaChange(
        diff,
        { side: 'request', label, schemaPath: path.slice(7), schemaRoot: path.slice(0, 7) },
        oldDoc,
        newDoc,
        make,
      )
    if (ANNOTATIONS.has(inner) || inner.startsWith('x-'))
      return make('annotation-changed', NONE, `${inner} of ${label} ${verb(diff.action)}`)
    return fallback(diff, make, `${inner} of ${label}`)
  }
  if (ANNOTATIONS.has(key) || key.startsWith('x-'))
    return make('annotation-changed', NONE, `${key} of the request body ${verb(diff.action)}`)
  return fallback(diff, make, `request body ${key}`)
}

/** For a removed 2xx status: the 2xx status the operation answers instead, new in this version. */
const newSuccessStatus = (
  status: string,
  path: ReadonlyArray<string | number>,
  oldDoc: OpenApiDocument,
  newDoc: OpenApiDocument,
): string | undefined => {
  if (!/^2/.test(status)) return undefined
  const responsesPath = path.slice(0, 4) as Array<string | number>
  const before = usageValue(oldDoc, responsesPath)
  const after = usageValue(newDoc, toNewPath(responsesPath, oldDoc, newDoc))
  if (!isObject(before) || !isObject(after)) return undefined
  return Object.keys(after).find((s) => /^2/.test(s) && !(s in before))
}

const responseChange = (
  diff: RawDiff,
  oldDoc: OpenApiDocument,
  newDoc: OpenApiDocument,
  make: Make,
): Classified | undefined => {
  const path = diff.path
  if (path.length === 4) return fallback(diff, make, 'responses')
  const status = String(path[4])
  if (path.length === 5) {
    if (diff.action === 'add')
      return make('response-status-added', NONE, `response ${status} added`)
    if (diff.action === 'remove') {
      const replacement = newSuccessStatus(status, path, oldDoc, newDoc)
      if (replacement)
        return make(
          'response-success-status-changed',
          BOTH,
          `success response ${status} became ${replacement}; clients that expect ${status} take the answer for an error, and providers that answer ${status} no longer conform`,
        )
      return make(
        'response-status-removed',
        PROVIDERS,
        `response ${status} removed; providers that answer ${status} no longer conform`,
      )
    }
    return fallback(diff, make, `response ${status}`)
  }
  const key = String(path[5])
  if (key === 'content') {
    if (path.length === 6) {
      if (diff.action === 'add')
        return make('response-body-added', NONE, `response ${status} now has a body`)
      if (diff.action === 'remove')
        return make(
          'response-body-removed',
          CLIENTS,
          `response ${status} no longer has a body; clients reading it get nothing`,
        )
      return fallback(diff, make, `response ${status} content`)
    }
    const type = String(path[6])
    const label = `response ${status} (${type})`
    if (path.length === 7) {
      if (diff.action === 'add') return make('response-media-type-added', NONE, `${label} added`)
      if (diff.action === 'remove')
        return make(
          'response-media-type-removed',
          BOTH,
          `${label} removed; clients asking for it and providers sending it no longer conform`,
        )
      return fallback(diff, make, label)
    }
    const inner = String(path[7])
    if (inner === 'schema')
      return schemaChange(
        diff,
        { side: 'response', label, schemaPath: path.slice(8), schemaRoot: path.slice(0, 8) },
        oldDoc,
        newDoc,
        make,
      )
    if (ANNOTATIONS.has(inner) || inner.startsWith('x-'))
      return make('annotation-changed', NONE, `${inner} of ${label} ${verb(diff.action)}`)
    return fallback(diff, make, `${inner} of ${label}`)
  }
  if (key === 'headers' && path.length >= 7) {
    const name = String(path[6])
    const label = `response ${status} header ${q(name)}`
    if (path.length === 7) {
      if (diff.action === 'add')
        return isObject(diff.after) && diff.after.required === true
          ? make(
              'response-header-added-required',
              PROVIDERS,
              `required ${label} added; providers that do not send it no longer conform`,
            )
          : make('response-header-added', NONE, `${label} added`)
      if (diff.action === 'remove')
        return make(
          'response-header-removed',
          CLIENTS,
          `${label} removed; clients reading it get nothing`,
        )
      return fallback(diff, make, label)
    }
    const inner = String(path[7])
    if (inner === 'required')
      return diff.action !== 'remove' && diff.after === true
        ? make(
            'response-header-became-required',
            PROVIDERS,
            `${label} became required; providers that leave it out no longer conform`,
          )
        : make(
            'response-header-became-optional',
            CLIENTS,
            `${label} became optional; clients relying on it may not get it`,
          )
    if (inner === 'schema')
      return schemaChange(
        diff,
        { side: 'response', label, schemaPath: path.slice(8), schemaRoot: path.slice(0, 8) },
        oldDoc,
        newDoc,
        make,
      )
    if (ANNOTATIONS.has(inner) || inner.startsWith('x-'))
      return make('annotation-changed', NONE, `${inner} of ${label} ${verb(diff.action)}`)
    return fallback(diff, make, label)
  }
  if (ANNOTATIONS.has(key) || key.startsWith('x-'))
    return make('annotation-changed', NONE, `${key} of response ${status} ${verb(diff.action)}`)
  return fallback(diff, make, `response ${status} ${key}`)
}
