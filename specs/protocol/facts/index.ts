import { PROTOCOL_FACTS } from './catalogue.ts'

/** Where a fact comes from: a document or a file of a repository, its version, and the place in it. */
export type Source = {
  /** e.g. `nordic-institute/X-Road src/.../ErrorCodes.java`, or `PR-REST`. */
  document: string
  /** A tag, a document version or a date. */
  version: string
  /** A section, a method, a test, or a line. */
  section: string
}

/** A fact rests on public sources, or is Sild's best guess where none exists. */
export type Basis = { sources: readonly Source[] } | { assumed: string }

export type ProtocolFact = {
  /** kebab-case; the test that pins the fact names it. */
  id: string
  area: 'X-Road REST' | 'Trembita/UXP REST' | 'Federation border' | 'Diia' | 'Identifiers'
  /** A few words, e.g. `UXP error format`. */
  title: string
  /** What the real system does. */
  fact: string
  basis: Basis
  /** What Sild does. */
  sild: string
  /** The test file that pins the fact; it mentions the fact's id. */
  test: string
}

export { PROTOCOL_FACTS }

export const isAssumed = (
  fact: ProtocolFact,
): fact is ProtocolFact & { basis: { assumed: string } } => 'assumed' in fact.basis

/** The sources of a fact; none for an assumed one. */
export const sourcesOf = (fact: ProtocolFact): readonly Source[] =>
  'sources' in fact.basis ? fact.basis.sources : []

/** The fact with this id; an unknown id is a bug in the caller. */
export const protocolFact = (id: string): ProtocolFact => {
  const found = PROTOCOL_FACTS.find((f) => f.id === id)
  if (!found) throw new Error(`no protocol fact ${id}`)
  return found
}

/** The words every user-facing text puts after an assumed fact. */
export const ASSUMED_MARK = 'assumed: no public source'

/**
 * The mark of an assumed fact, for check messages, the dashboard and reports:
 * `short` is `UXP error format: assumed: no public source`, `long` adds why Sild chose it.
 */
export const assumed = (id: string): { short: string; long: string } => {
  const fact = protocolFact(id)
  if (!isAssumed(fact)) throw new Error(`protocol fact ${id} has sources; it is not assumed`)
  return {
    short: `${fact.title}: ${ASSUMED_MARK}`,
    long: `${fact.fact} — ${ASSUMED_MARK}: ${fact.basis.assumed}`,
  }
}

/** Every assumed fact, for the dashboard's security-server panel. */
export const assumedFacts = (area?: ProtocolFact['area']): ProtocolFact[] =>
  PROTOCOL_FACTS.filter((f) => isAssumed(f) && (area === undefined || f.area === area))

/** The facts that have neither a complete source nor an "assumed" mark with its reason. */
export const unsourcedFacts = (facts: readonly ProtocolFact[]): ProtocolFact[] =>
  facts.filter((fact) =>
    isAssumed(fact)
      ? fact.basis.assumed.trim() === ''
      : sourcesOf(fact).length === 0 ||
        sourcesOf(fact).some((s) => !s.document.trim() || !s.version.trim() || !s.section.trim()),
  )
