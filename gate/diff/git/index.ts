import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, posix, relative, resolve, sep } from 'node:path'
import { parseSource, SildInputError } from '../../../specs/source-file/index.ts'
import { diffSpecs, mergeDiffResults, type Change, type DiffResult } from '../index.ts'

const git = (root: string, args: string[]): string =>
  execFileSync('git', args, {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  })

/** The top folder of the git work tree holding `dir`, or undefined outside one (or without git). */
export const gitRoot = (dir: string): string | undefined => {
  try {
    return resolve(git(dir, ['rev-parse', '--show-toplevel']).trim())
  } catch {
    return undefined
  }
}

/** The commit a revision names; an unknown revision is bad input. */
export const resolveRevision = (root: string, ref: string): string => {
  try {
    return git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).trim()
  } catch {
    throw new SildInputError(
      `unknown git revision "${ref}"`,
      undefined,
      'Name a branch, tag or commit of this repository (in CI, fetch it first: actions/checkout with fetch-depth: 0).',
    )
  }
}

/** The merge base of two revisions, or undefined when they share no history (or one is unknown). */
export const findMergeBase = (root: string, a: string, b: string): string | undefined => {
  try {
    return git(root, ['merge-base', a, b]).trim() || undefined
  } catch {
    return undefined
  }
}

const show = (root: string, sha: string, rel: string): string | undefined => {
  try {
    return git(root, ['show', `${sha}:${rel}`])
  } catch {
    return undefined
  }
}

const toPosix = (p: string) => p.split(sep).join('/')

// Collects the relative files a YAML or JSON document $refs, so they can be read at the revision.
const referencedFiles = (text: string, rel: string): string[] => {
  let value: unknown
  try {
    value = parseSource(text, rel).value
  } catch {
    return []
  }
  const found = new Set<string>()
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk)
    else if (node && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        if (key === '$ref' && typeof child === 'string' && !/^[a-z]+:/i.test(child)) {
          const target = child.split('#')[0]
          if (target) found.add(posix.normalize(posix.join(posix.dirname(rel), decodeURI(target))))
        } else walk(child)
      }
    }
  }
  walk(value)
  return [...found].filter((f) => !f.startsWith('..'))
}

/** Writes the files at a revision, with every file they $ref, under `into`; returns those found. */
const materialize = (root: string, sha: string, rels: string[], into: string): Set<string> => {
  const written = new Set<string>()
  const seen = new Set<string>()
  const fetch = (rel: string) => {
    if (seen.has(rel)) return
    seen.add(rel)
    const text = show(root, sha, rel)
    if (text === undefined) return
    const target = join(into, rel)
    mkdirSync(dirname(target), { recursive: true })
    writeFileSync(target, text)
    written.add(rel)
    for (const next of referencedFiles(text, rel)) fetch(next)
  }
  rels.forEach(fetch)
  return written
}

/** The spec files a federation file at a revision names, repository-relative. */
const federationSpecsAt = (root: string, sha: string, federationRel: string): string[] => {
  const text = show(root, sha, federationRel)
  if (text === undefined) return []
  let value: unknown
  try {
    value = parseSource(text, federationRel).value
  } catch {
    return []
  }
  const specs: string[] = []
  const list = (v: unknown) => (Array.isArray(v) ? (v as Array<Record<string, unknown>>) : [])
  const raw = value as { instances?: unknown }
  for (const i of list(raw?.instances))
    for (const m of list(i.members))
      for (const s of list(m.subsystems))
        for (const svc of list(s.services))
          if (typeof svc.spec === 'string')
            specs.push(posix.normalize(posix.join(posix.dirname(federationRel), svc.spec)))
  return specs
}

export type RevisionDiff = DiffResult & {
  /** The commit compared against. */
  sha: string
  /** The spec files compared, as shown. */
  specs: string[]
}

/**
 * Compares the working tree's specs with the same files at a git revision. Files referenced by
 * $ref are read at the revision too. A spec that did not exist at the revision is `spec-added`;
 * a spec the federation file named at the revision that is gone now is `spec-removed`.
 */
export const diffAgainstRevision = async ({
  ref,
  refLabel = ref,
  specs,
  federationFile,
  cwd = process.cwd(),
}: {
  ref: string
  /** How to name the revision in locations (`REF:path`); the ref itself by default. */
  refLabel?: string
  /** Working-tree spec files. */
  specs: string[]
  /** The federation file, to find specs it named at the revision that are gone now. */
  federationFile?: string
  cwd?: string
}): Promise<RevisionDiff> => {
  const root = gitRoot(specs[0] ? dirname(resolve(specs[0])) : cwd) ?? gitRoot(cwd)
  if (!root) {
    throw new SildInputError(
      'not inside a git repository, so there is no revision to compare with',
      undefined,
      'Run it in the repository of the specs, or compare two files: sild diff OLD NEW.',
    )
  }
  const sha = resolveRevision(root, ref)
  const inRepo = specs.map((s) => resolve(s)).filter((s) => !relative(root, s).startsWith('..'))
  const rels = inRepo.map((s) => toPosix(relative(root, s)))
  const federationRel =
    federationFile && !relative(root, resolve(federationFile)).startsWith('..')
      ? toPosix(relative(root, resolve(federationFile)))
      : undefined
  const gone = federationRel
    ? federationSpecsAt(root, sha, federationRel).filter((rel) => !existsSync(join(root, rel)))
    : []
  const tmp = mkdtempSync(join(tmpdir(), 'sild-base-'))
  try {
    const present = materialize(root, sha, [...rels, ...gone], tmp)
    const label = (rel: string) => `${refLabel}:${rel}`
    const nowhere = inRepo.filter((f, i) => !existsSync(f) && !present.has(rels[i] as string))
    if (nowhere.length)
      throw new SildInputError(
        `spec file not found, neither in the working tree nor at ${refLabel}: ${nowhere.map((f) => displayPath(f, cwd)).join(', ')}`,
        undefined,
        'Check the path; relative paths are resolved from the current directory.',
      )
    const results: DiffResult[] = []
    for (const [i, rel] of rels.entries()) {
      const file = inRepo[i] as string
      const shown = displayPath(file, cwd)
      if (!existsSync(file)) {
        // Named on the command line and deleted since the revision: that is the change.
        results.push({ breaking: [removed(label(rel), rel)], nonBreaking: [] })
        continue
      }
      if (!present.has(rel)) {
        results.push({
          breaking: [],
          nonBreaking: [whole('spec-added', shown, `spec ${shown} added`)],
        })
        continue
      }
      results.push(
        await diffSpecs(
          { file: join(tmp, rel), label: label(rel) },
          { file, label: shown },
          { cwd },
        ),
      )
    }
    for (const rel of gone.filter((g) => present.has(g)))
      results.push({ breaking: [removed(label(rel), rel)], nonBreaking: [] })
    return {
      ...mergeDiffResults(results),
      sha,
      specs: [...inRepo.map((f) => displayPath(f, cwd)), ...gone.filter((g) => present.has(g))],
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
}

const removed = (at: string, rel: string): Change =>
  whole(
    'spec-removed',
    at,
    `spec ${rel} removed, with all its operations; clients calling them get errors`,
  )

const whole = (rule: 'spec-added' | 'spec-removed', spec: string, message: string): Change => ({
  rule,
  breaking: rule === 'spec-removed',
  breaks: rule === 'spec-removed' ? ['clients'] : [],
  message,
  location: { pointer: '', file: spec, line: 1, column: 1 },
  spec,
})

const displayPath = (file: string, cwd: string) => {
  const rel = relative(cwd, file)
  return rel && !rel.startsWith('..') ? rel : file
}
