import { resolveValue, type ExpressionContext } from '../expressions/index.ts'
import type { RequestBody } from '../scenario/types.ts'

export type Payload =
  { ok: true; contentType?: string; value: unknown } | { ok: false; message: string }

const JSON_MEDIA = /^application\/([\w.+-]*\+)?json\b|^application\/json/i

/**
 * The body a step sends: its payload with runtime expressions resolved, a JSON-templated string
 * (Arazzo's "JSON Templated Example") read as the JSON it spells, then each replacement written
 * at its JSON pointer.
 */
export const buildPayload = (body: RequestBody, ctx: ExpressionContext): Payload => {
  const resolved = resolveValue(body.payload, ctx)
  if (!resolved.ok) return { ok: false, message: resolved.message }
  const json = body.contentType === undefined || JSON_MEDIA.test(body.contentType)
  let value = resolved.value
  if (json && typeof body.payload === 'string' && typeof value === 'string') {
    try {
      value = JSON.parse(value) as unknown
    } catch {
      // A plain string is a JSON string body.
    }
  }
  for (const { target, value: replacement } of body.replacements ?? []) {
    const r = resolveValue(replacement, ctx)
    if (!r.ok) return { ok: false, message: `replacement ${target}: ${r.message}` }
    if (!json || typeof value !== 'object' || value === null) {
      return {
        ok: false,
        message: `replacement ${target}: Sild applies replacements to JSON payloads only (a JSON pointer target); this payload is ${body.contentType ?? 'not an object'}`,
      }
    }
    const written = writeAt(value, target, r.value)
    if (!written.ok) return { ok: false, message: `replacement ${target}: ${written.message}` }
    value = written.value
  }
  return { ok: true, contentType: body.contentType, value }
}

const writeAt = (
  root: unknown,
  pointer: string,
  replacement: unknown,
): { ok: true; value: unknown } | { ok: false; message: string } => {
  const text = pointer.startsWith('#') ? pointer.slice(1) : pointer
  if (text === '') return { ok: true, value: replacement }
  if (!text.startsWith('/')) {
    return { ok: false, message: 'the target is no JSON pointer (it starts with "/")' }
  }
  const keys = text
    .slice(1)
    .split('/')
    .map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'))
  const copy = structuredClone(root) as Record<string, unknown>
  let node: unknown = copy
  for (const [i, key] of keys.entries()) {
    const last = i === keys.length - 1
    if (Array.isArray(node)) {
      const index = key === '-' ? node.length : Number(key)
      if (!Number.isInteger(index) || index < 0 || index > node.length) {
        return { ok: false, message: `no array item ${key} at /${keys.slice(0, i).join('/')}` }
      }
      if (last) node[index] = replacement
      else node = node[index]
    } else if (typeof node === 'object' && node !== null) {
      const record = node as Record<string, unknown>
      if (last) record[key] = replacement
      else if (!Object.hasOwn(record, key)) {
        return {
          ok: false,
          message: `the payload has nothing at /${keys.slice(0, i + 1).join('/')}`,
        }
      } else node = record[key]
    } else {
      return { ok: false, message: `the payload has no object at /${keys.slice(0, i).join('/')}` }
    }
  }
  return { ok: true, value: copy }
}
