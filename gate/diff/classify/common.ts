/** Whose existing implementation of the old spec a change breaks. */
export type Party = 'clients' | 'providers'

/** What api-smart-diff reports for one change (the fields Sild reads). */
export type RawDiff = {
  type: string
  action: 'add' | 'remove' | 'replace' | 'rename'
  path: Array<string | number>
  before?: unknown
  after?: unknown
}

/** One classified change, before it is located in the files. */
export type Classified = {
  rule: string
  breaks: Party[]
  message: string
  /** The usage path of the change (old document's coordinates, new keys for additions). */
  path: Array<string | number>
  /** The same place in the new document, where it exists there. */
  newPath?: Array<string | number>
  action: RawDiff['action']
  operation?: { method: string; path: string; operationId?: string }
}

/** Builds a classified change of the diff at hand, its message prefixed with the operation. */
export type Make = (rule: string, breaks: Party[], message: string) => Classified

export const CLIENTS: Party[] = ['clients']
export const PROVIDERS: Party[] = ['providers']
export const BOTH: Party[] = ['clients', 'providers']
export const NONE: Party[] = []

export const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']
export const ANNOTATIONS = new Set([
  'description',
  'summary',
  'title',
  'example',
  'examples',
  'externalDocs',
  'xml',
  '$comment',
  'tags',
  'readOnly',
  'writeOnly',
  'contentMediaType',
  'contentEncoding',
])
/** A value as messages quote it. */
export const q = (value: unknown) =>
  typeof value === 'string' ? `"${value}"` : JSON.stringify(value)

/** A change Sild has no rule for: api-smart-diff's verdict, and unclassified counts as breaking. */
export const fallback = (diff: RawDiff, make: Make, what: string): Classified =>
  diff.type === 'breaking' || diff.type === 'unclassified'
    ? make(
        diff.type === 'breaking' ? 'breaking-change' : 'unclassified-change',
        CLIENTS,
        `${what} ${verb(diff.action)}${diff.type === 'unclassified' ? ' (Sild cannot tell whether this is compatible, so it counts it as breaking)' : ''}`,
      )
    : make(
        diff.type === 'deprecated' ? 'deprecated' : 'annotation-changed',
        NONE,
        `${what} ${verb(diff.action)}`,
      )

export const verb = (action: RawDiff['action']) =>
  ({ add: 'added', remove: 'removed', replace: 'changed', rename: 'renamed' })[action]
