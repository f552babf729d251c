import { bundle } from '@apidevtools/json-schema-ref-parser'
import { apiCompare } from 'api-smart-diff'
import { relative, resolve } from 'node:path'
import type { OpenApiDocument } from '../../specs/openapi/index.ts'
import {
  loadSourceFile,
  SildInputError,
  type SourceLocation,
} from '../../specs/source-file/index.ts'
import { classifyDiffs, type Classified, type Party, type RawDiff } from './classify/index.ts'
import { inlineRefs, toNewPath } from './internal/usage.ts'
import { locateUsage, type SourceCache } from './locate/index.ts'
import { normalizeDocument } from './normalize/index.ts'

export type { Classified, Party } from './classify/index.ts'
export { isOpenApi30, normalizeDocument, schemaFrom30 } from './normalize/index.ts'
export {
  diffSuite,
  diffSummary,
  escapeMarkdownText,
  formatDiffJson,
  formatDiffMarkdown,
  formatDiffText,
} from './format/index.ts'
export {
  diffAgainstRevision,
  findMergeBase,
  gitRoot,
  resolveRevision,
  type RevisionDiff,
} from './git/index.ts'

/** Where a change is: a JSON pointer into the spec (as it is used by the operation) and, where known, the line. */
export type ChangeLocation = {
  /** JSON pointer of the changed value as the operation sees it (through $refs). */
  pointer: string
  /** The file the change is written in, as shown to people (a path, or `REF:path` for a git revision). */
  file?: string
  line?: number
  column?: number
}

/** One change between two versions of a spec. */
export type Change = {
  /** What kind of change, e.g. `response-enum-value-removed`. */
  rule: string
  breaking: boolean
  /** Whose implementation of the old spec it breaks: clients (their requests, what they read) or providers (their responses). */
  breaks: Party[]
  message: string
  /** The operation the change is in. */
  operation?: { method: string; path: string; operationId?: string }
  /** In the new spec (for a removal: the nearest place that still exists). */
  location: ChangeLocation
  /** In the old spec, for removals and replacements. */
  was?: { file: string; line: number; column: number }
  /** The new spec the change belongs to, as shown to people. */
  spec: string
  /** How many places (operations, properties) one written change reaches, when more than one. */
  occurrences?: number
  /** Every operation the change reaches, when more than one. */
  operations?: Array<{ method: string; path: string; operationId?: string }>
}

export type DiffResult = { breaking: Change[]; nonBreaking: Change[] }

/** A spec version to compare: the file on disk, and the name to show for it. */
export type SpecVersion = { file: string; label?: string }

/** `--fail-on`: which changes fail the diff. */
export const FAIL_ON = ['breaking', 'any', 'none'] as const
export type FailOn = (typeof FAIL_ON)[number]

/** Whether a diff fails under `--fail-on`. */
export const diffFails = (result: DiffResult, failOn: FailOn): boolean =>
  failOn === 'breaking'
    ? result.breaking.length > 0
    : failOn === 'any'
      ? result.breaking.length + result.nonBreaking.length > 0
      : false

/** Joins the results of several spec pairs. */
export const mergeDiffResults = (results: DiffResult[]): DiffResult => ({
  breaking: results.flatMap((r) => r.breaking),
  nonBreaking: results.flatMap((r) => r.nonBreaking),
})

const display = (file: string, cwd = process.cwd()) => {
  const rel = relative(cwd, file)
  return rel && !rel.startsWith('..') ? rel : file
}

/** Reads, checks and bundles an OpenAPI 3.x file (external $refs become internal ones). */
export const loadForDiff = async (version: SpecVersion): Promise<OpenApiDocument> => {
  const source = loadSourceFile(version.file)
  const raw = source.value as OpenApiDocument
  if (
    !raw ||
    typeof raw !== 'object' ||
    typeof raw.openapi !== 'string' ||
    !raw.openapi.startsWith('3.')
  ) {
    throw new SildInputError(
      `${version.label ?? version.file} is not an OpenAPI 3.x document (no "openapi: 3.x" field)`,
      source.locate(['openapi']),
      'sild diff compares OpenAPI 3.0 and 3.1 documents.',
    )
  }
  try {
    return (await bundle(resolve(version.file), structuredClone(raw), {
      resolve: { http: false },
    })) as OpenApiDocument
  } catch (error) {
    throw new SildInputError(
      `cannot resolve a $ref in ${version.label ?? version.file}: ${(error as Error).message.split('\n')[0]}`,
      source.locate([]),
      'Check the $ref paths; they are relative to the document that contains them.',
    )
  }
}

const pointerOf = (path: ReadonlyArray<string | number>) =>
  path.length
    ? `/${path.map((s) => String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`
    : ''

/**
 * Runs api-smart-diff with its console.error silenced: when one of its own rules throws it
 * prints "Classification Rule error" and leaves the change unclassified, which Sild classifies
 * itself. Nothing of the comparison reaches the user's stderr.
 */
const quietly = <T>(work: () => T): T => {
  const error = console.error
  console.error = () => {}
  try {
    return work()
  } finally {
    console.error = error
  }
}

/**
 * The classified changes between two bundled OpenAPI documents (3.0 or 3.1, in any mix),
 * before they are located in files; also the documents as they were compared.
 */
export const compareDocuments = (oldRaw: OpenApiDocument, newRaw: OpenApiDocument) => {
  const oldDoc = inlineRefs({ ...normalizeDocument(oldRaw), openapi: '3.1.0' })
  const newDoc = inlineRefs({ ...normalizeDocument(newRaw), openapi: '3.1.0' })
  // api-smart-diff writes its normalised nodes back into the documents it compares.
  const { diffs } = quietly(() => apiCompare(structuredClone(oldDoc), structuredClone(newDoc)))
  const classified = classifyDiffs(diffs as RawDiff[], oldDoc, newDoc)
  if (oldRaw.openapi !== newRaw.openapi) {
    classified.push({
      rule: 'document-metadata-changed',
      breaks: [],
      message: `openapi ${oldRaw.openapi} became ${newRaw.openapi}`,
      path: ['openapi'],
      newPath: ['openapi'],
      action: 'replace',
    })
  }
  const seen = new Set<string>()
  // A removed property is also "no longer required": the removal says it all.
  const removed = new Set(
    classified
      .filter((c) => c.rule === 'response-property-removed')
      .map((c) => c.message.slice(0, c.message.indexOf(' removed;'))),
  )
  return {
    classified: classified.filter((c) => {
      if (
        c.rule === 'response-property-became-optional' &&
        removed.has(c.message.slice(0, c.message.indexOf(' became optional')))
      )
        return false
      const key = `${c.rule}\0${c.message}`
      return !seen.has(key) && Boolean(seen.add(key))
    }),
    oldDoc,
    newDoc,
  }
}

/**
 * Classifies every change from one spec version to the next as breaking or not, and for whom.
 * api-smart-diff finds the changes (operations matched by path template, parameters by name,
 * $refs followed, allOf merged, enum and required lists compared as sets); Sild decides what
 * each one breaks and where it is written.
 */
export const diffSpecs = async (
  oldVersion: SpecVersion,
  newVersion: SpecVersion,
  { cwd = process.cwd() }: { cwd?: string } = {},
): Promise<DiffResult> => {
  const [oldRaw, newRaw] = await Promise.all([loadForDiff(oldVersion), loadForDiff(newVersion)])
  const { classified, oldDoc, newDoc } = compareDocuments(oldRaw, newRaw)
  const spec = newVersion.label ?? display(newVersion.file, cwd)
  const oldCache: SourceCache = new Map()
  const newCache: SourceCache = new Map()
  const position = (
    cache: SourceCache,
    version: SpecVersion,
    path: ReadonlyArray<string | number>,
  ) => {
    const at = locateUsage(cache, version.file, path)
    return { at, file: labelFor(at, version, cwd) }
  }
  const changes = classified.map((c): Change => {
    const newPath = c.newPath ?? toNewPath(c.path, oldDoc, newDoc)
    const here = position(newCache, newVersion, newPath)
    const was =
      c.action === 'remove' || c.action === 'replace'
        ? position(oldCache, oldVersion, c.path)
        : undefined
    return {
      rule: c.rule,
      breaking: c.breaks.length > 0,
      breaks: c.breaks,
      message: c.message,
      ...(c.operation ? { operation: c.operation } : {}),
      location: {
        pointer: pointerOf(c.path),
        file: here.file,
        line: here.at.line,
        column: here.at.column,
      },
      ...(was ? { was: { file: was.file, line: was.at.line, column: was.at.column } } : {}),
      spec,
    }
  })
  const grouped = groupByCause(changes)
  grouped.sort(
    (a, b) =>
      (a.location.file ?? '').localeCompare(b.location.file ?? '') ||
      (a.location.line ?? 0) - (b.location.line ?? 0) ||
      (a.location.column ?? 0) - (b.location.column ?? 0) ||
      a.rule.localeCompare(b.rule),
  )
  return {
    breaking: grouped.filter((c) => c.breaking),
    nonBreaking: grouped.filter((c) => !c.breaking),
  }
}

/**
 * One finding per cause: a change written once (in a shared schema) is seen through every
 * operation that uses it; those are one change, with the operations it reaches.
 */
const groupByCause = (changes: Change[]): Change[] => {
  const groups = new Map<string, Change[]>()
  for (const c of changes) {
    // A removal is written where it was: the nearest place left in the new file is shared.
    const written = c.was ?? c.location
    const at = written.line ? `${written.file}:${written.line}:${written.column}` : ''
    const key = at ? `${c.rule}\0${at}` : `${c.rule}\0${c.message}\0${groups.size}`
    groups.set(key, [...(groups.get(key) ?? []), c])
  }
  return [...groups.values()].map((group) => {
    const first = group[0] as Change
    if (group.length === 1) return first
    const operations = [
      ...new Map(
        group.flatMap((c) =>
          c.operation ? [[`${c.operation.method} ${c.operation.path}`, c.operation]] : [],
        ),
      ).values(),
    ]
    return {
      ...first,
      message: `${first.message} (${group.length} places${operations.length > 1 ? `, in ${operations.length} operations` : ''})`,
      occurrences: group.length,
      ...(operations.length > 1 ? { operations } : {}),
    }
  })
}

// A location in the version's own file takes the version's label; one in a $ref'd file is shown
// relative to the version's label the same way.
const labelFor = (at: SourceLocation, version: SpecVersion, cwd: string): string => {
  if (!version.label || resolve(at.file) === resolve(version.file))
    return version.label ?? display(at.file, cwd)
  const colon = version.label.indexOf(':')
  if (colon < 0) return display(at.file, cwd)
  const relFromSpec = relative(resolve(version.file, '..'), resolve(at.file))
  const [rev, labelPath] = [version.label.slice(0, colon), version.label.slice(colon + 1)]
  const dir = labelPath.includes('/') ? labelPath.slice(0, labelPath.lastIndexOf('/')) : ''
  return `${rev}:${normalizePosix(dir ? `${dir}/${relFromSpec}` : relFromSpec)}`
}

const normalizePosix = (p: string) => {
  const out: string[] = []
  for (const part of p.split(/[\\/]/)) {
    if (part === '..') out.pop()
    else if (part && part !== '.') out.push(part)
  }
  return out.join('/')
}
