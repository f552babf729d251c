import type { OpenApiDocument } from '../../../specs/openapi/index.ts'
import { isObject, toNewPath, usageValue, type Json } from '../internal/usage.ts'
import { CLIENTS, METHODS, NONE, type Classified } from './common.ts'

/** One change per security scheme, however many of its fields changed. */
export const dedupeSchemes = (changes: Classified[]): Classified[] => {
  const seen = new Set<string>()
  return changes.filter((c) => {
    if (c.rule !== 'security-scheme-changed') return true
    const key = String(c.path[2])
    return !seen.has(key) && Boolean(seen.add(key))
  })
}

type Requirement = Map<string, Set<string>>

const requirementsOf = (value: unknown): Requirement[] | undefined =>
  Array.isArray(value)
    ? value
        .filter(isObject)
        .map(
          (r) =>
            new Map(
              Object.entries(r).map(([name, scopes]) => [
                name,
                new Set(Array.isArray(scopes) ? scopes.map(String) : []),
              ]),
            ),
        )
    : undefined

// A client that met one of the old alternatives still gets in if some new alternative asks for
// no scheme or scope that the old one did not: none, or a subset. No requirements at all is one
// alternative that asks for nothing.
const anonymousIfNone = (requirements: Requirement[]): Requirement[] =>
  requirements.length ? requirements : [new Map()]

const accepts = (after: Requirement[], before: Requirement): boolean =>
  anonymousIfNone(after).some((alt) =>
    [...alt].every(([name, scopes]) => {
      const had = before.get(name)
      return had !== undefined && [...scopes].every((s) => had.has(s))
    }),
  )

/**
 * Compares the security requirements in effect for each operation (its own, else the API's):
 * breaking when a client that satisfied an old alternative satisfies no new one.
 */
export const securityChanges = (oldDoc: OpenApiDocument, newDoc: OpenApiDocument): Classified[] => {
  const out: Classified[] = []
  const oldPaths = isObject(oldDoc.paths) ? oldDoc.paths : {}
  for (const [template, item] of Object.entries(oldPaths)) {
    if (!isObject(item)) continue
    for (const method of METHODS) {
      const op = item[method]
      if (!isObject(op)) continue
      const newOpPath = toNewPath(['paths', template, method], oldDoc, newDoc)
      const newOp = usageValue(newDoc, newOpPath)
      if (!isObject(newOp)) continue
      const own = (o: Json) => requirementsOf(o.security)
      const before = own(op) ?? requirementsOf(oldDoc.security) ?? []
      const after = own(newOp) ?? requirementsOf(newDoc.security) ?? []
      const same = (a: Requirement[], b: Requirement[]) =>
        anonymousIfNone(a).every((r) => accepts(b, r)) &&
        anonymousIfNone(b).every((r) => accepts(a, r))
      if (same(before, after)) continue
      const path = own(newOp) ? [...newOpPath, 'security'] : ['security']
      const operation = {
        method: method.toUpperCase(),
        path: template,
        ...(typeof op.operationId === 'string' ? { operationId: op.operationId } : {}),
      }
      const breaking = anonymousIfNone(before).some((r) => !accepts(after, r))
      const names = (reqs: Requirement[]) =>
        reqs.length ? reqs.map((r) => [...r.keys()].join(' + ') || 'none').join(' or ') : 'none'
      out.push({
        rule: breaking ? 'security-changed' : 'security-relaxed',
        breaks: breaking ? CLIENTS : NONE,
        message: `${operation.method} ${template}: security ${names(before)} became ${names(after)}${breaking ? '; clients must send other credentials' : ''}`,
        path,
        newPath: path,
        action: 'replace',
        operation,
      })
    }
  }
  return oneForTheApi(out)
}

// A change of the API-wide requirements is reported once, not once per operation.
const oneForTheApi = (changes: Classified[]): Classified[] => {
  const global = changes.filter((c) => c.path.length === 1)
  const groups = new Map<string, Classified[]>()
  for (const c of global) {
    const key = `${c.rule}\0${c.message.slice(c.message.indexOf(': ') + 2)}`
    groups.set(key, [...(groups.get(key) ?? []), c])
  }
  const merged = [...groups.values()].map((group): Classified => {
    const first = group[0] as Classified
    const ops = group.map((c) => `${c.operation?.method} ${c.operation?.path}`)
    const what = first.message.slice(first.message.indexOf(': ') + 2)
    const { operation: _operation, ...rest } = first
    return {
      ...rest,
      message: `API-wide ${what} (for ${ops.length === 1 ? ops[0] : `${ops.length} operations: ${ops.join(', ')}`})`,
    }
  })
  return [...merged, ...changes.filter((c) => c.path.length !== 1)]
}
