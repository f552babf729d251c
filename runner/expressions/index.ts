/**
 * Arazzo 1.0.1 runtime expressions: parsing, embedding in string templates, evaluation against the
 * state of a running workflow, and deep resolution of parameter values and request bodies.
 */

import { remember } from '../../specs/remember.ts'

/** One step into a value, as the author wrote it: `/person` (JSON pointer), `.person` or `[0]`. */
export type PathStep = { key: string | number; text: string }

type Traversable = { path: PathStep[]; text: string }

/** A parsed runtime expression. `text` is the expression as written. */
export type Expression =
  | { kind: 'url' | 'method' | 'statusCode'; text: string }
  | { kind: 'request.header' | 'request.query' | 'request.path'; name: string; text: string }
  | { kind: 'response.header'; name: string; text: string }
  | ({ kind: 'request.body' | 'response.body' } & Traversable)
  | ({ kind: 'inputs' | 'outputs'; name: string } & Traversable)
  | ({ kind: 'steps'; stepId: string; name: string } & Traversable)
  | ({
      kind: 'workflows'
      workflowId: string
      field: 'inputs' | 'outputs'
      name: string
    } & Traversable)
  | { kind: 'sourceDescriptions'; source: string; operation: string; text: string }
  | { kind: 'components'; field: ComponentField; name: string; text: string }

type ComponentField = 'inputs' | 'parameters' | 'successActions' | 'failureActions'

export type ParseResult =
  { ok: true; expression: Expression } | { ok: false; message: string; offset: number }

type HeaderBag = Headers | Record<string, string>

/** What a runtime expression can see while a step runs. */
export type ExpressionContext = {
  url?: string
  method?: string
  statusCode?: number
  request?: {
    headers: HeaderBag
    query?: URLSearchParams
    path?: Record<string, string>
    body?: unknown
  }
  response?: { headers: HeaderBag; body?: unknown }
  inputs: Record<string, unknown>
  outputs?: Record<string, unknown>
  steps: Record<string, { outputs: Record<string, unknown> }>
  workflows?: Record<
    string,
    { inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }
  >
  components?: Record<string, Record<string, unknown>>
  /** The scenario's source descriptions by name, for `$sourceDescriptions.NAME.url`. */
  sources?: Record<string, { url: string }>
  /** Inputs the workflow declares, so a declared input without a value says how to give it one. */
  inputNames?: readonly string[]
}

/**
 * `missing` marks a well-formed expression whose value is absent (no such header, input or
 * pointer target), as opposed to one that cannot be evaluated here at all (no response yet).
 * `message` is `detail` prefixed with the expression.
 */
export type EvaluationResult =
  { ok: true; value: unknown } | { ok: false; message: string; detail: string; missing?: true }

export type References = {
  steps: string[]
  inputs: string[]
  workflows: string[]
  sources: string[]
}

/** A `{$…}` part of a string template; `start` is the offset of `{`, `end` the offset after `}`. */
export type EmbeddedExpression = { start: number; end: number; source: string; parsed: ParseResult }

export type ResolveResult =
  { ok: true; value: unknown } | { ok: false; message: string; path: Array<string | number> }

const ROOTS = [
  '$url',
  '$method',
  '$statusCode',
  '$request',
  '$response',
  '$inputs',
  '$outputs',
  '$steps',
  '$workflows',
  '$sourceDescriptions',
  '$components',
] as const

const COMPONENT_FIELDS: readonly ComponentField[] = [
  'inputs',
  'parameters',
  'successActions',
  'failureActions',
]

// Arazzo recommends [A-Za-z0-9_-]+ for step, workflow and source ids; component keys may add dots.
const ID = /[A-Za-z0-9_-]+/y
const COMPONENT_KEY = /[A-Za-z0-9._-]+/y
const PROPERTY = /[^.[\]#\s]+/y
const HEADER_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

/**
 * Parses a whole runtime expression such as `$response.body#/person/unzr` or `$steps.s1.outputs.id`.
 * @example parseExpression('$statusCode') // { ok: true, expression: { kind: 'statusCode', … } }
 */
export const parseExpression: (text: string) => ParseResult = remember((text) => parseAt(text, 0))

/** Parses an expression that sits at `base` in a larger text, so offsets point into that text. */
export const parseExpressionAt = (text: string, base: number): ParseResult => parseAt(text, base)

const parseAt = (text: string, base: number): ParseResult => {
  let pos = 0
  const fail = (what: string, at: number, hint?: string): ParseResult => ({
    ok: false,
    message: `${what} at offset ${base + at}${hint ? `; ${hint}` : ''}`,
    offset: base + at,
  })
  const found = (at: number) =>
    at >= text.length ? 'the end of the expression' : JSON.stringify(text.slice(at, at + 12))
  const take = (re: RegExp): string | undefined => {
    re.lastIndex = pos
    const m = re.exec(text)
    if (!m) return undefined
    pos += m[0].length
    return m[0]
  }
  const ok = (expression: Expression): ParseResult => ({ ok: true, expression })

  if (text === '') return fail('empty runtime expression', 0)
  if (text[0] !== '$') return fail(`a runtime expression starts with "$", found ${found(0)}`, 0)
  const root = /^\$[A-Za-z]*/.exec(text)?.[0] ?? '$'
  if (!(ROOTS as readonly string[]).includes(root)) {
    const guess = closest(root, ROOTS)
    return fail(
      `unknown expression root "${root}"`,
      0,
      guess ? `did you mean ${guess}?` : undefined,
    )
  }
  pos = root.length
  const name = (what: string, re: RegExp = ID): string | ParseResult => {
    if (text[pos] !== '.')
      return fail(`expected "." and ${what} after "${text.slice(0, pos)}"`, pos)
    pos++
    return take(re) ?? fail(`expected ${what}, found ${found(pos)}`, pos)
  }
  const traversal = (): PathStep[] | ParseResult => parseTraversal(text, pos, fail)

  switch (root) {
    case '$url':
    case '$method':
    case '$statusCode':
      if (pos < text.length) return fail(`unexpected ${found(pos)} after ${root}`, pos)
      return ok({ kind: root.slice(1) as 'url' | 'method' | 'statusCode', text })
    case '$request':
    case '$response': {
      const parts = root === '$request' ? ['header', 'query', 'path', 'body'] : ['header', 'body']
      const partStart = pos + 1
      const part = name(`one of ${parts.join(', ')}`, /[A-Za-z]+/y)
      if (typeof part !== 'string') return part
      if (!parts.includes(part)) {
        const guess = closest(part, parts)
        return fail(
          `${root} has no "${part}"`,
          partStart,
          `use one of ${parts.map((p) => `${root}.${p}`).join(', ')}${guess ? ` (did you mean ${root}.${guess}?)` : ''}`,
        )
      }
      const kind = `${root.slice(1)}.${part}` as Expression['kind']
      if (part === 'body') {
        const path = traversal()
        if (!Array.isArray(path)) return path
        return ok({ kind: kind as 'request.body' | 'response.body', path, text })
      }
      if (text[pos] !== '.') return fail(`expected ".NAME" after "${text.slice(0, pos)}"`, pos)
      const rest = text.slice(pos + 1)
      if (rest === '') return fail(`expected a ${part} name`, pos + 1)
      if (part === 'header' && !HEADER_TOKEN.test(rest)) {
        const bad = [...rest].findIndex((c) => !HEADER_TOKEN.test(c))
        return fail(`${JSON.stringify(rest[bad])} cannot appear in a header name`, pos + 1 + bad)
      }
      const space = rest.search(/\s/)
      if (space >= 0) return fail(`unexpected whitespace in a ${part} name`, pos + 1 + space)
      return ok({ kind, name: rest, text } as Expression)
    }
    case '$inputs':
    case '$outputs': {
      const n = name(`an ${root.slice(1, -1)} name`)
      if (typeof n !== 'string') return n
      const path = traversal()
      if (!Array.isArray(path)) return path
      return ok({ kind: root === '$inputs' ? 'inputs' : 'outputs', name: n, path, text })
    }
    case '$steps': {
      const stepId = name('a step id')
      if (typeof stepId !== 'string') return stepId
      if (!text.startsWith('.outputs', pos) || /[A-Za-z0-9_-]/.test(text[pos + 8] ?? '')) {
        return fail(`expected ".outputs.NAME" after "${text.slice(0, pos)}"`, pos)
      }
      pos += '.outputs'.length
      const n = name('an output name')
      if (typeof n !== 'string') return n
      const path = traversal()
      if (!Array.isArray(path)) return path
      return ok({ kind: 'steps', stepId, name: n, path, text })
    }
    case '$workflows': {
      const workflowId = name('a workflow id')
      if (typeof workflowId !== 'string') return workflowId
      const fieldAt = pos + 1
      const field = name('inputs or outputs', /[A-Za-z]+/y)
      if (typeof field !== 'string') return field
      if (field !== 'inputs' && field !== 'outputs') {
        return fail(`expected "inputs" or "outputs", found "${field}"`, fieldAt)
      }
      const n = name(`an ${field.slice(0, -1)} name`)
      if (typeof n !== 'string') return n
      const path = traversal()
      if (!Array.isArray(path)) return path
      return ok({ kind: 'workflows', workflowId, field, name: n, path, text })
    }
    case '$sourceDescriptions': {
      const source = name('a source description name')
      if (typeof source !== 'string') return source
      const operation = name('an operationId or workflowId', /\S+/y)
      if (typeof operation !== 'string') return operation
      if (pos < text.length) return fail('unexpected whitespace after the operation', pos)
      return ok({ kind: 'sourceDescriptions', source, operation, text })
    }
    default: {
      const fieldAt = pos + 1
      const field = name(`one of ${COMPONENT_FIELDS.join(', ')}`, /[A-Za-z]+/y)
      if (typeof field !== 'string') return field
      if (!(COMPONENT_FIELDS as readonly string[]).includes(field)) {
        const guess = closest(field, COMPONENT_FIELDS)
        return fail(
          `$components has no "${field}"`,
          fieldAt,
          guess
            ? `did you mean $components.${guess}?`
            : `use one of ${COMPONENT_FIELDS.join(', ')}`,
        )
      }
      const n = name('a component name', COMPONENT_KEY)
      if (typeof n !== 'string') return n
      if (pos < text.length) return fail(`unexpected ${found(pos)} after a component name`, pos)
      return ok({ kind: 'components', field: field as ComponentField, name: n, text })
    }
  }
}

type Fail = (what: string, at: number, hint?: string) => ParseResult

const parseTraversal = (text: string, from: number, fail: Fail): PathStep[] | ParseResult => {
  const path: PathStep[] = []
  let pos = from
  while (pos < text.length) {
    const c = text[pos]
    if (c === '#') {
      const pointer = text.slice(pos + 1)
      if (pointer !== '' && !pointer.startsWith('/')) {
        return fail(
          'a JSON pointer starts with "/"',
          pos + 1,
          `write ${text.slice(0, pos)}#/${pointer}`,
        )
      }
      const badTilde = /~(?![01])/.exec(pointer)
      if (badTilde) {
        return fail('"~" in a JSON pointer must be followed by 0 or 1', pos + 1 + badTilde.index)
      }
      if (pointer === '') return path
      for (const raw of pointer.slice(1).split('/')) {
        path.push({ key: raw.replace(/~1/g, '/').replace(/~0/g, '~'), text: `/${raw}` })
      }
      return path
    }
    if (c === '.') {
      PROPERTY.lastIndex = pos + 1
      const m = PROPERTY.exec(text)
      if (!m) return fail('expected a property name after "."', pos + 1)
      path.push({ key: m[0], text: `.${m[0]}` })
      pos += 1 + m[0].length
      continue
    }
    if (c === '[') {
      const m = /\[(\d+)\]/y
      m.lastIndex = pos
      const hit = m.exec(text)
      if (!hit) return fail('expected an array index such as [0]', pos)
      path.push({ key: Number(hit[1]), text: hit[0] })
      pos += hit[0].length
      continue
    }
    return fail(
      `unexpected ${JSON.stringify(text.slice(pos, pos + 12))}`,
      pos,
      'after a value use ".name", "[index]" or "#/json/pointer"',
    )
  }
  return path
}

/** The closest candidate within a small edit distance, for "did you mean" hints. */
const closest = (word: string, candidates: readonly string[]): string | undefined => {
  let best: string | undefined
  let bestDistance = (word.length <= 5 ? 1 : 2) + 1
  for (const candidate of candidates) {
    const w = word.toLowerCase()
    const c = candidate.toLowerCase()
    const d = w.length >= 4 && (c.startsWith(w) || w.startsWith(c)) ? 1 : editDistance(w, c)
    if (d < bestDistance) {
      best = candidate
      bestDistance = d
    }
  }
  return best
}

const editDistance = (a: string, b: string): number => {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost)
    }
    previous = current
  }
  return previous[b.length]!
}

/** Whether a `$…` string was meant as an expression: a known root, or a near miss of one. */
export const looksLikeExpression = (text: string): boolean => {
  const root = /^\$[A-Za-z]+/.exec(text)?.[0]
  if (!root) return false
  return (ROOTS as readonly string[]).includes(root) || closest(root, ROOTS) !== undefined
}

/**
 * Finds the `{$…}` expressions inside a string template, parsing each one. Offsets (also those in
 * parse errors) are offsets into `text`. Only `{$` followed by a letter starts one, so regexes such
 * as `\{$` stay literal.
 * @example findEmbedded('Bearer {$inputs.token}') // [{ start: 7, end: 22, source: '$inputs.token', … }]
 */
export const findEmbedded = (text: string): EmbeddedExpression[] => {
  const found: EmbeddedExpression[] = []
  let from = 0
  for (;;) {
    let start = text.slice(from).search(/\{\$[A-Za-z]/)
    if (start < 0) return found
    start += from
    const close = text.indexOf('}', start)
    if (close < 0) {
      const source = text.slice(start + 1)
      found.push({
        start,
        end: text.length,
        source,
        parsed: {
          ok: false,
          message: `unterminated "{$" at offset ${start}; close the expression with "}"`,
          offset: start,
        },
      })
      return found
    }
    const source = text.slice(start + 1, close)
    found.push({ start, end: close + 1, source, parsed: parseAt(source, start + 1) })
    from = close + 1
  }
}

/** The steps, inputs, workflows and source descriptions an expression refers to. */
export const referencesOf = (expression: Expression): References => {
  const refs: References = { steps: [], inputs: [], workflows: [], sources: [] }
  switch (expression.kind) {
    case 'steps':
      refs.steps.push(expression.stepId)
      break
    case 'inputs':
      refs.inputs.push(expression.name)
      break
    case 'workflows':
      refs.workflows.push(expression.workflowId)
      break
    case 'sourceDescriptions':
      refs.sources.push(expression.source)
      break
  }
  return refs
}

/**
 * Evaluates a parsed expression against the state of a running step. The value keeps its type.
 * @example evaluate(expr('$response.body#/person/unzr'), ctx) // { ok: false, message: '$response.body#/person/unzr: no value at /person', missing: true }
 */
export const evaluate = (expression: Expression, context: ExpressionContext): EvaluationResult => {
  const e = expression
  const missing = (detail: string): EvaluationResult => ({
    ok: false,
    message: `${e.text}: ${detail}`,
    detail,
    missing: true,
  })
  const unavailable = (detail: string): EvaluationResult => ({
    ok: false,
    message: `${e.text}: ${detail}`,
    detail,
  })
  switch (e.kind) {
    case 'url':
    case 'method':
    case 'statusCode': {
      const value = context[e.kind]
      if (value === undefined) {
        return unavailable(
          e.kind === 'statusCode' ? 'there is no response yet' : 'there is no request yet',
        )
      }
      return { ok: true, value }
    }
    case 'request.header':
    case 'response.header': {
      const side = e.kind === 'request.header' ? 'request' : 'response'
      const message = context[side]
      if (!message) return unavailable(`there is no ${side} yet`)
      const value = headerValue(message.headers, e.name)
      return value === undefined
        ? missing(`the ${side} has no ${e.name} header`)
        : { ok: true, value }
    }
    case 'request.query': {
      if (!context.request) return unavailable('there is no request yet')
      const value = context.request.query?.get(e.name) ?? undefined
      return value === undefined
        ? missing(`the request has no query parameter ${e.name}`)
        : { ok: true, value }
    }
    case 'request.path': {
      if (!context.request) return unavailable('there is no request yet')
      const path = context.request.path
      return path && Object.hasOwn(path, e.name)
        ? { ok: true, value: path[e.name] }
        : missing(`the request has no path parameter ${e.name}`)
    }
    case 'request.body':
    case 'response.body': {
      const side = e.kind === 'request.body' ? 'request' : 'response'
      const message = context[side]
      if (!message) return unavailable(`there is no ${side} yet`)
      if (message.body === undefined) return missing(`the ${side} has no body`)
      return walk(message.body, e)
    }
    case 'inputs':
      if (Object.hasOwn(context.inputs, e.name)) return walk(context.inputs[e.name], e)
      return context.inputNames?.includes(e.name)
        ? missing(`input ${e.name} has no default: pass --input ${e.name}=…`)
        : missing(`no input named "${e.name}"`)
    case 'outputs': {
      const outputs = context.outputs ?? {}
      return Object.hasOwn(outputs, e.name)
        ? walk(outputs[e.name], e)
        : missing(`the workflow has no output "${e.name}" yet`)
    }
    case 'steps': {
      const step = Object.hasOwn(context.steps, e.stepId) ? context.steps[e.stepId] : undefined
      if (!step) return unavailable(`step "${e.stepId}" has not run`)
      return Object.hasOwn(step.outputs, e.name)
        ? walk(step.outputs[e.name], e)
        : missing(`step "${e.stepId}" has no output "${e.name}"`)
    }
    case 'workflows': {
      const workflows = context.workflows ?? {}
      const workflow = Object.hasOwn(workflows, e.workflowId) ? workflows[e.workflowId] : undefined
      if (!workflow) return unavailable(`workflow "${e.workflowId}" has not run`)
      const values = workflow[e.field] ?? {}
      return Object.hasOwn(values, e.name)
        ? walk(values[e.name], e)
        : missing(`workflow "${e.workflowId}" has no ${e.field.slice(0, -1)} "${e.name}"`)
    }
    case 'components': {
      const group = context.components?.[e.field]
      if (!group || !Object.hasOwn(group, e.name)) {
        return missing(`there is no ${e.field} component "${e.name}"`)
      }
      const component = group[e.name]
      // As a value, a parameter component stands for its value.
      return e.field === 'parameters' && isRecord(component) && 'value' in component
        ? { ok: true, value: component.value }
        : { ok: true, value: component }
    }
    case 'sourceDescriptions':
      if (e.operation === 'url' && context.sources && Object.hasOwn(context.sources, e.source)) {
        return { ok: true, value: context.sources[e.source]!.url }
      }
      return unavailable(
        'names an operation in a source description and has no value; use it as a step operationId',
      )
  }
}

const headerValue = (headers: HeaderBag, name: string): string | undefined => {
  if (typeof (headers as Headers).get === 'function')
    return (headers as Headers).get(name) ?? undefined
  const wanted = name.toLowerCase()
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return value
  }
  return undefined
}

const walk = (start: unknown, e: Traversable): EvaluationResult => {
  let value = start
  for (let i = 0; i < e.path.length; i++) {
    const step = e.path[i]!
    const next = child(value, step.key)
    if (next.found) {
      value = next.value
      continue
    }
    const at = e.path
      .slice(0, i + 1)
      .map((s) => s.text)
      .join('')
    const parent = e.path
      .slice(0, i)
      .map((s) => s.text)
      .join('')
    const why =
      value !== null && typeof value === 'object'
        ? ''
        : ` (${parent === '' ? 'the value' : parent} is ${kindOf(value)})`
    const detail = `no value at ${at}${why}`
    return { ok: false, message: `${e.text}: ${detail}`, detail, missing: true }
  }
  if (value === undefined) {
    return { ok: false, message: `${e.text}: no value`, detail: 'no value', missing: true }
  }
  return { ok: true, value }
}

const child = (value: unknown, key: string | number): { found: boolean; value?: unknown } => {
  if (Array.isArray(value)) {
    const index = typeof key === 'number' ? key : /^(0|[1-9]\d*)$/.test(key) ? Number(key) : -1
    return index >= 0 && index < value.length
      ? { found: true, value: value[index] }
      : { found: false }
  }
  if (value !== null && typeof value === 'object') {
    const k = String(key)
    return Object.hasOwn(value, k)
      ? { found: true, value: (value as Record<string, unknown>)[k] }
      : { found: false }
  }
  return { found: false }
}

const kindOf = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`

/**
 * A short, readable rendering of a value for messages: strings in single quotes as in Arazzo
 * conditions, other values as JSON, long ones cut.
 */
export const describeValue = (value: unknown, max = 80): string => {
  const text =
    value === undefined
      ? 'missing'
      : typeof value === 'string'
        ? `'${value.replace(/'/g, "''")}'`
        : (JSON.stringify(value) ?? String(value))
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

/** How an embedded value is written into a string template. */
export const stringifyForTemplate = (value: unknown): string =>
  typeof value === 'string'
    ? value
    : value !== null && typeof value === 'object'
      ? JSON.stringify(value)
      : String(value)

/**
 * Resolves the runtime expressions in a parameter value or request-body payload. A string that is
 * exactly one expression (`$inputs.year` or `{$inputs.year}`) becomes its value with its type; a
 * string with `{$…}` parts among other text becomes a string; objects and arrays are resolved
 * member by member.
 * @example resolveValue({ year: '$inputs.year', id: 'EE-{$inputs.code}' }, ctx) // { ok: true, value: { year: 2024, id: 'EE-123' } }
 */
export const resolveValue = (value: unknown, context: ExpressionContext): ResolveResult =>
  resolveAt(value, context, [])

const resolveAt = (
  value: unknown,
  context: ExpressionContext,
  path: Array<string | number>,
): ResolveResult => {
  if (typeof value === 'string') return resolveString(value, context, path)
  if (Array.isArray(value)) {
    const out: unknown[] = []
    for (let i = 0; i < value.length; i++) {
      const r = resolveAt(value[i], context, [...path, i])
      if (!r.ok) return r
      out.push(r.value)
    }
    return { ok: true, value: out }
  }
  if (
    value !== null &&
    typeof value === 'object' &&
    Object.getPrototypeOf(value) === Object.prototype
  ) {
    const out: Record<string, unknown> = {}
    for (const [key, member] of Object.entries(value)) {
      const r = resolveAt(member, context, [...path, key])
      if (!r.ok) return r
      out[key] = r.value
    }
    return { ok: true, value: out }
  }
  return { ok: true, value }
}

const resolveString = (
  text: string,
  context: ExpressionContext,
  path: Array<string | number>,
): ResolveResult => {
  const failure = (message: string): ResolveResult => ({ ok: false, message, path })
  if (text.startsWith('$') && looksLikeExpression(text)) {
    const parsed = parseExpression(text)
    if (!parsed.ok) return failure(`invalid runtime expression "${text}": ${parsed.message}`)
    const r = evaluate(parsed.expression, context)
    return r.ok ? { ok: true, value: r.value } : failure(r.message)
  }
  const parts = findEmbedded(text)
  if (parts.length === 0) return { ok: true, value: text }
  const values: unknown[] = []
  for (const part of parts) {
    if (!part.parsed.ok)
      return failure(`invalid runtime expression in "${text}": ${part.parsed.message}`)
    const r = evaluate(part.parsed.expression, context)
    if (!r.ok) return failure(r.message)
    values.push(r.value)
  }
  const only = parts[0]!
  if (parts.length === 1 && only.start === 0 && only.end === text.length) {
    return { ok: true, value: values[0] }
  }
  let out = ''
  let last = 0
  parts.forEach((part, i) => {
    out += text.slice(last, part.start) + stringifyForTemplate(values[i])
    last = part.end
  })
  return { ok: true, value: out + text.slice(last) }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
