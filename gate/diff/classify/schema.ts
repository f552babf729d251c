import { isObject, toNewPath, usageValue } from '../internal/usage.ts'
import {
  ANNOTATIONS,
  BOTH,
  CLIENTS,
  fallback,
  NONE,
  PROVIDERS,
  q,
  verb,
  type Classified,
  type Make,
  type Party,
  type RawDiff,
} from './common.ts'
import type { OpenApiDocument } from '../../../specs/openapi/index.ts'

/** Where a schema sits: in a request (parameter, body) or a response (body, header). */
export type Side = 'request' | 'response'
/** How a schema change moves the set of valid values. */
type Effect = 'narrows' | 'widens' | 'changes' | 'neutral'

const UPPER_BOUNDS = new Set([
  'maxLength',
  'maximum',
  'maxItems',
  'maxProperties',
  'exclusiveMaximum',
  'maxContains',
])
const LOWER_BOUNDS = new Set([
  'minLength',
  'minimum',
  'minItems',
  'minProperties',
  'exclusiveMinimum',
  'minContains',
])
const CLOSING = new Set([
  'additionalProperties',
  'unevaluatedProperties',
  'unevaluatedItems',
  'items',
  'additionalItems',
])

const typesOf = (value: unknown): string[] =>
  typeof value === 'string' ? [value] : Array.isArray(value) ? value.map(String) : []

/** How a replaced `type` moves the valid values: `integer` fits in `number`. */
const typeEffect = (before: unknown, after: unknown): Effect => {
  const widen = (types: string[]) =>
    new Set(types.flatMap((t) => (t === 'number' ? ['number', 'integer'] : [t])))
  const b = widen(typesOf(before))
  const a = widen(typesOf(after))
  const within = (x: Set<string>, y: Set<string>) => [...x].every((t) => y.has(t))
  if (within(b, a) && within(a, b)) return 'neutral'
  if (within(b, a)) return 'widens'
  if (within(a, b)) return 'narrows'
  return 'changes'
}

const boundEffect = (keyword: string, diff: RawDiff): Effect => {
  const upper = UPPER_BOUNDS.has(keyword)
  if (diff.action === 'add') return !upper && diff.after === 0 ? 'neutral' : 'narrows'
  if (diff.action === 'remove') return 'widens'
  const b = Number(diff.before)
  const a = Number(diff.after)
  if (a === b) return 'neutral'
  return (upper ? a < b : a > b) ? 'narrows' : 'widens'
}

const closingEffect = (diff: RawDiff): Effect => {
  const open = (v: unknown) =>
    v === undefined || v === true || (isObject(v) && Object.keys(v).length === 0)
  const b = diff.action === 'add' ? true : diff.before
  const a = diff.action === 'remove' ? true : diff.after
  if (open(b) && !open(a)) return 'narrows'
  if (!open(b) && open(a)) return 'widens'
  return open(a) ? 'neutral' : 'changes'
}

/** The readable name of a field from its path inside a schema: `founders[].personalCode`. */
const fieldName = (segments: ReadonlyArray<string | number>): string => {
  let out = ''
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]
    if (s === 'properties' && i + 1 < segments.length) {
      out += `${out ? '.' : ''}${String(segments[++i])}`
    } else if (s === 'items') out += '[]'
    else if (s === 'additionalProperties') out += '{*}'
  }
  return out
}

export type Where = {
  side: Side
  /** `request body (application/json)`, `query parameter "q"`, `response 200 (application/json)`. */
  label: string
  /** Path segments inside the schema; undefined when the change is not in a schema. */
  schemaPath?: Array<string | number>
  /** The usage path of the schema root. */
  schemaRoot?: Array<string | number>
}

/** Whether the schema at a usage path of the new document refuses properties it does not list. */
const closedSchema = (newDoc: OpenApiDocument, path: Array<string | number>): boolean => {
  const schema = usageValue(newDoc, path)
  return (
    isObject(schema) &&
    (schema.additionalProperties === false || schema.unevaluatedProperties === false)
  )
}

/** What every keyword handler gets: the change, where its schema is, and message builders. */
type SchemaChange = {
  diff: RawDiff
  where: Where
  side: Side
  request: boolean
  /** Segments inside the schema, the last two of them. */
  sp: Array<string | number>
  last: string | number | undefined
  prev: string | number | undefined
  oldDoc: OpenApiDocument
  newDoc: OpenApiDocument
  make: Make
  /** `response 200 (application/json) property "a.b"` for the field at these segments. */
  owner: (segments: Array<string | number>) => string
  /** A change whose parties follow from how it moves the valid values. */
  valued: (rule: string, effect: Effect, what: string, typeLike?: boolean) => Classified
}

type Handler = (c: SchemaChange) => Classified | undefined

const byAction = (action: RawDiff['action']): Effect =>
  action === 'add' ? 'narrows' : action === 'remove' ? 'widens' : 'changes'

// Requests: what narrows breaks clients. Responses: what narrows breaks providers, and a new
// type or variant also breaks the clients that parse it.
const breaksFor = (request: boolean, effect: Effect, typeLike: boolean): Party[] => {
  if (effect === 'neutral') return NONE
  if (request) return effect === 'widens' ? NONE : CLIENTS
  if (effect === 'narrows') return PROVIDERS
  if (effect === 'widens') return typeLike ? CLIENTS : NONE
  return BOTH
}

const consequence = (request: boolean, breaks: Party[]) =>
  breaks.length === 2
    ? '; clients and providers built to the old spec no longer agree'
    : breaks[0] === 'clients'
      ? request
        ? '; requests of existing clients may be refused'
        : '; clients may receive values they do not expect'
      : breaks[0] === 'providers'
        ? '; responses of existing providers may no longer conform'
        : ''

const discriminatorChange: Handler = ({ sp, owner, diff, make, valued, side }) => {
  const at = sp.lastIndexOf('discriminator')
  if (at < 0) return undefined
  const f = owner(sp.slice(0, at))
  const rest = sp.slice(at + 1)
  if (rest[0] === 'mapping' && rest.length === 2) {
    if (diff.action === 'add')
      return make('annotation-changed', NONE, `${f} discriminator maps ${q(rest[1])} too`)
    if (diff.action === 'remove')
      return valued(
        `${side}-variant-removed`,
        'narrows',
        `${f} discriminator no longer maps ${q(rest[1])}`,
        true,
      )
  }
  return valued(
    `${side}-schema-changed`,
    'changes',
    `${f} discriminator ${verb(diff.action)}`,
    true,
  )
}

const wholeSchemaChange: Handler = ({ sp, diff, where, valued, side }) =>
  sp.length === 0
    ? valued(
        `${side}-schema-changed`,
        byAction(diff.action),
        `${where.label} schema ${verb(diff.action)}`,
        true,
      )
    : undefined

const propertyChange: Handler = (c) => {
  const { prev, sp, diff, make, side, request, owner, where } = c
  if (prev !== 'properties') return undefined
  const field = owner(sp)
  if (diff.action === 'add') return make(`${side}-property-added`, NONE, `${field} added`)
  if (diff.action !== 'remove')
    return c.valued(`${side}-schema-changed`, 'changes', `${field} replaced`, true)
  if (!request)
    return make(
      'response-property-removed',
      CLIENTS,
      `${field} removed; clients reading it get nothing`,
    )
  const parent = [...(where.schemaRoot ?? []), ...sp.slice(0, -2)]
  return closedSchema(c.newDoc, toNewPath(parent, c.oldDoc, c.newDoc))
    ? make(
        'request-property-removed',
        CLIENTS,
        `${field} removed and no other properties are allowed; clients still sending it are refused`,
      )
    : make(
        'request-property-removed',
        NONE,
        `${field} removed; a value clients still send is ignored`,
      )
}

const requiredChange: Handler = ({ prev, last, sp, diff, make, side, request, owner, valued }) => {
  if (prev !== 'required' && last !== 'required') return undefined
  const base = prev === 'required' ? sp.slice(0, -2) : sp.slice(0, -1)
  if (diff.action === 'replace')
    return valued(
      `${side}-schema-changed`,
      'changes',
      `required properties of ${owner(base)} changed`,
    )
  const value = diff.action === 'add' ? diff.after : diff.before
  const names = prev === 'required' ? [value] : typesOf(value)
  const list = names.map((name) => owner([...base, 'properties', String(name)])).join(', ')
  const added = diff.action === 'add'
  if (request)
    return added
      ? make(
          'request-property-became-required',
          CLIENTS,
          `${list} became required; clients that leave it out are refused`,
        )
      : make('request-property-became-optional', NONE, `${list} became optional`)
  return added
    ? make(
        'response-property-became-required',
        PROVIDERS,
        `${list} became required; providers that leave it out no longer conform`,
      )
    : make(
        'response-property-became-optional',
        CLIENTS,
        `${list} became optional; clients relying on it may not get it`,
      )
}

const enumChange: Handler = ({ prev, last, sp, diff, side, request, owner, valued, oldDoc }) => {
  if (prev === 'enum') {
    const field = owner(sp.slice(0, -2))
    // api-smart-diff reports a whole new enum value by value: a field that allowed any value and
    // now allows only a list narrows, however the list is reported.
    const hadEnum = Array.isArray(usageValue(oldDoc, diff.path.slice(0, -1)))
    if (diff.action === 'add' && !hadEnum)
      return valued(
        `${side}-enum-added`,
        'narrows',
        `${field} now allows only the values of a new enum`,
      )
    if (diff.action === 'add')
      return valued(
        `${side}-enum-value-added`,
        'widens',
        `${field} now also allows ${q(diff.after)}${request ? '' : '; clients should accept values they do not know'}`,
      )
    if (diff.action === 'remove')
      return valued(
        `${side}-enum-value-removed`,
        'narrows',
        `${field} no longer allows ${q(diff.before)}`,
      )
    return valued(
      `${side}-enum-value-changed`,
      'changes',
      `${field} value ${q(diff.before)} became ${q(diff.after)}`,
    )
  }
  if (last !== 'enum') return undefined
  const effect = byAction(diff.action)
  return valued(
    effect === 'widens' ? `${side}-enum-value-added` : `${side}-enum-value-removed`,
    effect,
    `${owner(sp.slice(0, -1))} enum ${verb(diff.action)}`,
  )
}

const typeChange: Handler = ({ prev, last, sp, diff, side, make, owner, valued }) => {
  if (prev !== 'type' && last !== 'type') return undefined
  const field = owner(prev === 'type' ? sp.slice(0, -2) : sp.slice(0, -1))
  // An entry of a type list: adding one widens; a whole `type` added narrows.
  const effect: Effect =
    prev === 'type'
      ? diff.action === 'add'
        ? 'widens'
        : diff.action === 'remove'
          ? 'narrows'
          : 'changes'
      : diff.action === 'replace'
        ? typeEffect(diff.before, diff.after)
        : byAction(diff.action)
  if (effect === 'neutral')
    return make(
      'annotation-changed',
      NONE,
      `${field} type rewritten without changing what it allows`,
    )
  const describe =
    prev === 'type'
      ? `type ${q(diff.action === 'add' ? diff.after : diff.before)} ${diff.action === 'add' ? 'added' : 'removed'}`
      : `type ${q(diff.before ?? 'any')} became ${q(diff.after ?? 'any')}`
  const rule = { widens: 'type-widened', narrows: 'type-narrowed', changes: 'type-changed' }[effect]
  return valued(`${side}-${rule}`, effect, `${field} ${describe}`, true)
}

const formatChange: Handler = ({ last, sp, diff, side, owner, valued }) => {
  if (last !== 'format') return undefined
  const effect = byAction(diff.action)
  const describe =
    diff.action === 'add'
      ? `format ${q(diff.after)} added`
      : diff.action === 'remove'
        ? `format ${q(diff.before)} removed`
        : `format ${q(diff.before)} became ${q(diff.after)}`
  const rule = {
    widens: 'format-removed',
    narrows: 'format-added',
    changes: 'format-changed',
    neutral: '',
  }[effect]
  return valued(`${side}-${rule}`, effect, `${owner(sp.slice(0, -1))} ${describe}`, true)
}

const multipleOfEffect = (diff: RawDiff): Effect => {
  if (diff.action !== 'replace') return byAction(diff.action)
  const a = Number(diff.after)
  const b = Number(diff.before)
  return a % b === 0 ? 'narrows' : b % a === 0 ? 'widens' : 'changes'
}

const uniqueItemsEffect = (diff: RawDiff): Effect => {
  const before = diff.action === 'add' ? false : diff.before === true
  const after = diff.action === 'remove' ? false : diff.after === true
  return before === after ? 'neutral' : after ? 'narrows' : 'widens'
}

// A closing keyword swapped for another subschema is compared inside that subschema instead.
const closes = (keyword: string, diff: RawDiff) =>
  CLOSING.has(keyword) &&
  (diff.action !== 'replace' || !isObject(diff.before) || !isObject(diff.after))

const constraintEffect = (keyword: string, diff: RawDiff): Effect | undefined => {
  if (UPPER_BOUNDS.has(keyword) || LOWER_BOUNDS.has(keyword)) return boundEffect(keyword, diff)
  if (['pattern', 'const', 'not', 'propertyNames'].includes(keyword)) return byAction(diff.action)
  if (keyword === 'multipleOf') return multipleOfEffect(diff)
  if (keyword === 'uniqueItems') return uniqueItemsEffect(diff)
  if (closes(keyword, diff)) return closingEffect(diff)
  return undefined
}

const constraintChange: Handler = ({ last, sp, diff, side, make, owner, valued }) => {
  const keyword = String(last)
  const effect = constraintEffect(keyword, diff)
  if (!effect) return undefined
  const field = owner(sp.slice(0, -1))
  const describe = closes(keyword, diff)
    ? `${keyword} ${verb(diff.action)}`
    : diff.action === 'add'
      ? `${keyword} ${q(diff.after)} added`
      : diff.action === 'remove'
        ? `${keyword} ${q(diff.before)} removed`
        : `${keyword} ${q(diff.before)} became ${q(diff.after)}`
  if (effect === 'neutral') return make('annotation-changed', NONE, `${field} ${describe}`)
  const rule = {
    widens: 'constraint-relaxed',
    narrows: 'constraint-tightened',
    changes: 'constraint-changed',
  }[effect]
  return valued(`${side}-${rule}`, effect, `${field} ${describe}`)
}

const variantChange: Handler = ({ prev, last, sp, diff, side, owner, valued }) => {
  if (typeof last !== 'number' || diff.action === 'replace' || diff.action === 'rename')
    return undefined
  const f = owner(sp.slice(0, -2))
  const added = diff.action === 'add'
  if (prev === 'oneOf' || prev === 'anyOf')
    return added
      ? valued(
          `${side}-variant-added`,
          'widens',
          `${f} accepts a new ${String(prev)} variant`,
          true,
        )
      : valued(`${side}-variant-removed`, 'narrows', `${f} lost a ${String(prev)} variant`, true)
  if (prev === 'allOf')
    return added
      ? valued(`${side}-constraint-tightened`, 'narrows', `${f} gained an allOf part`)
      : valued(`${side}-constraint-relaxed`, 'widens', `${f} lost an allOf part`)
  return undefined
}

const otherChange: Handler = ({ last, sp, diff, side, make, owner, valued }) => {
  const keyword = String(last)
  const field = owner(sp.slice(0, -1))
  if (['oneOf', 'anyOf', 'allOf'].includes(keyword))
    return valued(
      `${side}-schema-changed`,
      'changes',
      `${field} ${keyword} ${verb(diff.action)}`,
      true,
    )
  if (keyword === 'default')
    return make(
      `${side}-default-changed`,
      NONE,
      `${field} default ${diff.action === 'add' ? `${q(diff.after)} added` : diff.action === 'remove' ? 'removed' : `${q(diff.before)} became ${q(diff.after)}`}`,
    )
  if (keyword === 'deprecated')
    return make(
      'annotation-changed',
      NONE,
      `${field} ${diff.after === true ? 'deprecated' : 'no longer deprecated'}`,
    )
  if (ANNOTATIONS.has(keyword) || keyword.startsWith('x-') || typeof last === 'number')
    return make('annotation-changed', NONE, `${keyword} of ${field} ${verb(diff.action)}`)
  return fallback(diff, make, `${field} ${keyword}`)
}

const HANDLERS: Handler[] = [
  discriminatorChange,
  wholeSchemaChange,
  propertyChange,
  requiredChange,
  enumChange,
  typeChange,
  formatChange,
  constraintChange,
  variantChange,
  otherChange,
]

/** A change inside a schema, classified by the keyword it touches and the side it is on. */
export const schemaChange = (
  diff: RawDiff,
  where: Where,
  oldDoc: OpenApiDocument,
  newDoc: OpenApiDocument,
  make: Make,
): Classified | undefined => {
  const sp = where.schemaPath ?? []
  const request = where.side === 'request'
  const change: SchemaChange = {
    diff,
    where,
    side: where.side,
    request,
    sp,
    last: sp[sp.length - 1],
    prev: sp[sp.length - 2],
    oldDoc,
    newDoc,
    make,
    owner: (segments) => {
      const f = fieldName(segments)
      return f ? `${where.label} property ${q(f)}` : where.label
    },
    valued: (rule, effect, what, typeLike = false) => {
      const breaks = breaksFor(request, effect, typeLike)
      return make(rule, breaks, `${what}${consequence(request, breaks)}`)
    },
  }
  for (const handler of HANDLERS) {
    const classified = handler(change)
    if (classified) return classified
  }
  return undefined
}

// A property that is added and required in one change is one change: a new required property.
export const mergeAddedRequired = (changes: Classified[]): Classified[] => {
  const drop = new Set<Classified>()
  for (const c of changes) {
    if (
      c.rule !== 'request-property-became-required' &&
      c.rule !== 'response-property-became-required'
    )
      continue
    const at = c.path.slice(0, -2).join('\0')
    const name = c.message
      .match(/property "([^"]+)"/)?.[1]
      ?.split('.')
      .pop()
    const added = changes.find(
      (o) =>
        o.rule.endsWith('-property-added') &&
        o.action === 'add' &&
        o.path.slice(0, -2).join('\0') === at &&
        String(o.path[o.path.length - 1]) === name,
    )
    if (!added) continue
    drop.add(added)
    c.rule = c.rule.replace('-property-became-required', '-property-added-required')
    c.message = c.message.replace(' became required;', ' added as required;')
  }
  return changes.filter((c) => !drop.has(c))
}
