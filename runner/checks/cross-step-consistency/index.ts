import { formatNames, formats } from '../../../specs/formats/index.ts'
import { quote } from '../internal/exchange.ts'
import type { WorkflowCheck, WorkflowContext } from '../types.ts'

/**
 * The facts compared across answers: a person's are fixed by birth, a company's founding or
 * registration date by its registration (`registrationDate` in ЄДР; `founded` and `registeredOn`
 * in the business register).
 */
const FACTS = ['birthDate', 'sex', 'registrationDate', 'registeredOn', 'founded'] as const

type Sighting = { value: string; where: string }

/**
 * Across the workflow's successful JSON answers, two objects carrying the same identifier (a field
 * whose value passes one of the identifier formats) do not disagree on a fact fixed for life (see
 * FACTS): the same person or company as told by two registers, or by one register twice. Only
 * these facts, and only when both objects state them.
 */
export const crossStepConsistency: WorkflowCheck = {
  scope: 'workflow',
  name: 'crossStepConsistency',
  title: 'Answers agree across steps',
  level: 3,
  severity: 'medium',
  mandatory: true,
  appliedBy:
    'a workflow in which two answers state the birth date, sex or registration date of the same identifier',
  applies: (ctx) => [...sightings(ctx).values()].some((list) => list.length > 1),
  run: (ctx) => {
    const problems: string[] = []
    for (const [key, list] of sightings(ctx)) {
      const [first] = list
      const other = list.find((s) => s.value !== first?.value)
      if (!first || !other) continue
      const [id, fact] = key.split('\u0000') as [string, string]
      problems.push(
        `${quote(id)} has ${fact} ${quote(first.value)} in ${first.where} but ${quote(other.value)} in ${other.where}`,
      )
    }
    return problems
  },
}

const isIdentifier = (value: string): boolean =>
  formatNames.some((name) => formats[name].validate(value).valid)

const seen = new WeakMap<WorkflowContext, Map<string, Sighting[]>>()

/** Per identifier and fact (`id\0fact`), every statement of the fact by an object carrying the id. */
const sightings = (ctx: WorkflowContext): Map<string, Sighting[]> => {
  const known = seen.get(ctx)
  if (known) return known
  const found = new Map<string, Sighting[]>()
  seen.set(ctx, found)
  for (const { exchange, fault } of ctx.exchanges) {
    const response = exchange.response
    if (!response || fault || response.status < 200 || response.status > 299) continue
    const stack: Array<{ node: unknown; path: string }> = [{ node: response.body, path: 'body' }]
    while (stack.length > 0) {
      const { node, path } = stack.pop() as { node: unknown; path: string }
      if (node === null || typeof node !== 'object') continue
      const entries = Object.entries(node as Record<string, unknown>)
      for (const [key, child] of [...entries].reverse())
        stack.push({ node: child, path: `${path}/${key}` })
      if (Array.isArray(node)) continue
      const ids = entries.flatMap(([key, v]) =>
        !(FACTS as readonly string[]).includes(key) && typeof v === 'string' && isIdentifier(v)
          ? [v]
          : [],
      )
      for (const fact of FACTS) {
        const value = (node as Record<string, unknown>)[fact]
        if (typeof value !== 'string') continue
        for (const id of new Set(ids)) {
          const key = `${id}\u0000${fact}`
          const list = found.get(key) ?? []
          list.push({ value, where: `${exchange.id} ${path}` })
          found.set(key, list)
        }
      }
    }
  }
  return found
}
