/**
 * Arazzo `simple` conditions: literals, runtime expressions, comparisons, `&&`, `||`, `!` and
 * parentheses, e.g. `$statusCode == 200 && $response.body#/status != 'CLOSED'`.
 */
import {
  describeValue,
  evaluate,
  parseExpressionAt,
  type Expression,
  type ExpressionContext,
} from '../../expressions/index.ts'
import { remember } from '../../../specs/remember.ts'

export type CompareOperator = '<' | '<=' | '>' | '>=' | '==' | '!='

type Span = { start: number; end: number }

/** A parsed condition; `start`/`end` are offsets into the condition text. */
export type Condition = Span &
  (
    | { kind: 'literal'; value: string | number | boolean | null }
    | { kind: 'expression'; expression: Expression }
    | { kind: 'not'; operand: Condition }
    | { kind: 'and' | 'or'; left: Condition; right: Condition }
    | { kind: 'compare'; operator: CompareOperator; left: Condition; right: Condition }
  )

export type ConditionParseResult =
  { ok: true; condition: Condition } | { ok: false; message: string; offset: number }

type Token = Span &
  (
    | { type: 'number'; value: number }
    | { type: 'string'; value: string }
    | { type: 'word'; value: string }
    | { type: 'expression'; expression: Expression }
    | { type: 'op'; value: string }
  )

class ConditionSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message)
  }
}

const fail = (message: string, offset: number, hint?: string): never => {
  throw new ConditionSyntaxError(`${message} at offset ${offset}${hint ? `; ${hint}` : ''}`, offset)
}

const MAX_DEPTH = 64
const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?/y
const WORD = /[A-Za-z_][A-Za-z0-9_]*/y
// A runtime expression runs until blank space or a character that only operators use.
const EXPRESSION_RUN = /\$[^\s()<>=!&|'"]*/y
const OPERATORS = ['<=', '>=', '==', '!=', '&&', '||', '<', '>', '!', '(', ')']

const tokenize = (text: string): Token[] => {
  const tokens: Token[] = []
  let pos = 0
  const at = (re: RegExp) => {
    re.lastIndex = pos
    return re.exec(text)?.[0]
  }
  while (pos < text.length) {
    const c = text[pos]!
    if (/\s/.test(c)) {
      pos++
      continue
    }
    const start = pos
    if (c === '$') {
      const run = at(EXPRESSION_RUN)!
      const parsed = parseExpressionAt(run, start)
      if (!parsed.ok) throw new ConditionSyntaxError(parsed.message, parsed.offset)
      pos += run.length
      tokens.push({ type: 'expression', expression: parsed.expression, start, end: pos })
      continue
    }
    if (c === "'") {
      let value = ''
      pos++
      for (;;) {
        if (pos >= text.length) fail('unterminated string', start, "close it with '")
        if (text[pos] === "'") {
          if (text[pos + 1] !== "'") break
          value += "'"
          pos += 2
          continue
        }
        value += text[pos]
        pos++
      }
      pos++
      tokens.push({ type: 'string', value, start, end: pos })
      continue
    }
    if (c === '"')
      fail('strings use single quotes', start, `write '${text.slice(start + 1).split('"')[0]}'`)
    const number = /[-\d]/.test(c) ? at(NUMBER) : undefined
    if (number !== undefined) {
      pos += number.length
      tokens.push({ type: 'number', value: Number(number), start, end: pos })
      continue
    }
    const word = at(WORD)
    if (word !== undefined) {
      pos += word.length
      tokens.push({ type: 'word', value: word, start, end: pos })
      continue
    }
    const op = OPERATORS.find((o) => text.startsWith(o, pos))
    if (op) {
      pos += op.length
      tokens.push({ type: 'op', value: op, start, end: pos })
      continue
    }
    const hints: Record<string, string> = {
      '=': 'compare with ==',
      '&': 'use && for "and"',
      '|': 'use || for "or"',
    }
    fail(`unexpected ${JSON.stringify(c)}`, start, hints[c])
  }
  return tokens
}

/**
 * Parses an Arazzo `simple` condition into a syntax tree. `!` binds tighter than comparisons,
 * comparisons tighter than `&&`, and `&&` tighter than `||`, as in C and JavaScript.
 * @example parseCondition('$statusCode == 200') // { ok: true, condition: { kind: 'compare', … } }
 */
export const parseCondition: (text: string) => ConditionParseResult = remember((text) => {
  try {
    const tokens = tokenize(text)
    if (tokens.length === 0) fail('empty condition', 0)
    const parser = new ConditionParser(tokens, text.length)
    const condition = parser.or()
    parser.end()
    return { ok: true, condition }
  } catch (error) {
    if (error instanceof ConditionSyntaxError) {
      return { ok: false, message: error.message, offset: error.offset }
    }
    throw error
  }
})

class ConditionParser {
  private i = 0
  private depth = 0

  constructor(
    private readonly tokens: Token[],
    private readonly length: number,
  ) {}

  private peek(): Token | undefined {
    return this.tokens[this.i]
  }

  private isOp(value: string): boolean {
    const t = this.peek()
    return t?.type === 'op' && t.value === value
  }

  private describe(t: Token | undefined): string {
    if (!t) return 'the end of the condition'
    if (t.type === 'expression') return t.expression.text
    if (t.type === 'string') return `'${t.value}'`
    return String(t.value)
  }

  end(): void {
    const t = this.peek()
    if (!t) return
    if (t.type === 'op' && t.value === ')') fail('unmatched ")"', t.start)
    const chained = t.type === 'op' && ['<', '<=', '>', '>=', '==', '!='].includes(t.value)
    fail(
      `unexpected ${this.describe(t)}`,
      t.start,
      chained
        ? 'comparisons cannot be chained; join them with && or ||'
        : 'join conditions with && or ||',
    )
  }

  or(): Condition {
    let left = this.and()
    while (this.isOp('||')) {
      this.i++
      const right = this.and()
      left = { kind: 'or', left, right, start: left.start, end: right.end }
    }
    return left
  }

  private and(): Condition {
    let left = this.comparison()
    while (this.isOp('&&')) {
      this.i++
      const right = this.comparison()
      left = { kind: 'and', left, right, start: left.start, end: right.end }
    }
    return left
  }

  private comparison(): Condition {
    const left = this.unary()
    const t = this.peek()
    if (t?.type !== 'op' || !['<', '<=', '>', '>=', '==', '!='].includes(t.value)) return left
    this.i++
    const right = this.unary()
    const operator = t.value as CompareOperator
    return { kind: 'compare', operator, left, right, start: left.start, end: right.end }
  }

  private unary(): Condition {
    const t = this.peek()
    if (t?.type === 'op' && t.value === '!') {
      this.i++
      const operand = this.nested(() => this.unary())
      return { kind: 'not', operand, start: t.start, end: operand.end }
    }
    return this.primary()
  }

  private nested<T>(parse: () => T): T {
    if (++this.depth > MAX_DEPTH)
      fail(`nesting deeper than ${MAX_DEPTH} levels`, this.peek()?.start ?? this.length)
    try {
      return parse()
    } finally {
      this.depth--
    }
  }

  private primary(): Condition {
    const t = this.peek()
    if (!t) return fail('expected a value, found the end of the condition', this.length)
    this.i++
    const span = { start: t.start, end: t.end }
    switch (t.type) {
      case 'number':
      case 'string':
        return { kind: 'literal', value: t.value, ...span }
      case 'expression':
        return { kind: 'expression', expression: t.expression, ...span }
      case 'word': {
        const literals: Record<string, boolean | null> = { true: true, false: false, null: null }
        if (Object.hasOwn(literals, t.value))
          return { kind: 'literal', value: literals[t.value]!, ...span }
        const lower = t.value.toLowerCase()
        return fail(
          `unexpected word "${t.value}"`,
          t.start,
          Object.hasOwn(literals, lower)
            ? `write ${lower} in lower case`
            : `put a string in single quotes ('${t.value}') or start an expression with $`,
        )
      }
      case 'op': {
        if (t.value !== '(') return fail(`expected a value, found "${t.value}"`, t.start)
        const inner = this.nested(() => this.or())
        const close = this.peek()
        if (!(close?.type === 'op' && close.value === ')')) {
          fail(
            `expected ")" to close "(" from offset ${t.start}, found ${this.describe(close)}`,
            close?.start ?? this.length,
          )
        }
        this.i++
        return { ...inner, start: t.start, end: close!.end }
      }
    }
  }
}

/** The runtime expressions a condition reads, in order of appearance. */
export const expressionsOf = (condition: Condition): Expression[] => {
  switch (condition.kind) {
    case 'literal':
      return []
    case 'expression':
      return [condition.expression]
    case 'not':
      return expressionsOf(condition.operand)
    default:
      return [...expressionsOf(condition.left), ...expressionsOf(condition.right)]
  }
}

export type ConditionResult =
  { ok: true } | { ok: false; reason: 'unmet' | 'error'; message: string }

type Evaluated = { ok: true; value: unknown } | { ok: false; message: string }

/**
 * Evaluates a parsed condition. On failure the message names the condition and the values it
 * read: `$statusCode == 200 failed: $statusCode is 404`.
 */
export const evaluateCondition = (
  condition: Condition,
  source: string,
  context: ExpressionContext,
): ConditionResult => {
  const seen = new Map<string, string>()
  const text = (c: Condition) => source.slice(c.start, c.end)

  const value = (c: Condition): Evaluated => {
    switch (c.kind) {
      case 'literal':
        return { ok: true, value: c.value }
      case 'expression': {
        const r = evaluate(c.expression, context)
        if (r.ok) {
          seen.set(c.expression.text, `${c.expression.text} is ${describeValue(r.value)}`)
          return r
        }
        if (!r.missing) return r
        // A value that is not there compares like null, as Arazzo 1.1 spells out.
        seen.set(c.expression.text, `${c.expression.text} has no value (${r.detail})`)
        return { ok: true, value: undefined }
      }
      case 'compare': {
        const left = value(c.left)
        if (!left.ok) return left
        const right = value(c.right)
        if (!right.ok) return right
        return { ok: true, value: compare(c.operator, left.value, right.value) }
      }
      case 'not': {
        const operand = truth(c.operand)
        return operand.ok ? { ok: true, value: !operand.value } : operand
      }
      case 'and':
      case 'or': {
        const left = truth(c.left)
        if (!left.ok) return left
        if (left.value === (c.kind === 'or')) return left
        return truth(c.right)
      }
    }
  }

  const truth = (c: Condition): Evaluated & ({ ok: false } | { ok: true; value: boolean }) => {
    const r = value(c)
    if (!r.ok) return r
    const b = asBoolean(r.value)
    if (b === undefined) {
      return { ok: false, message: `${text(c)} is ${describeValue(r.value)}, not true or false` }
    }
    return { ok: true, value: b }
  }

  const result = truth(condition)
  if (!result.ok) {
    return {
      ok: false,
      reason: 'error',
      message: `${source} could not be evaluated: ${result.message}`,
    }
  }
  if (result.value) return { ok: true }
  const observed = [...seen.values()]
  return {
    ok: false,
    reason: 'unmet',
    message: `${source} failed${observed.length ? `: ${observed.join(', ')}` : ''}`,
  }
}

const asBoolean = (v: unknown): boolean | undefined => {
  if (typeof v === 'boolean') return v
  if (v === null || v === undefined) return false
  if (typeof v === 'string') {
    const lower = v.toLowerCase()
    if (lower === 'true') return true
    if (lower === 'false') return false
  }
  return undefined
}

const NUMERIC = /^\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*$/

const asNumber = (v: unknown): number | undefined =>
  typeof v === 'number' ? v : typeof v === 'string' && NUMERIC.test(v) ? Number(v) : undefined

/**
 * Loose comparison as Arazzo describes it. String comparisons are case-insensitive (the spec's
 * Criterion Object: "String comparisons MUST be case insensitive"); a numeric string compares as a
 * number against a number, and with < <= > >= against another numeric string; null (or a missing
 * value) equals only null.
 */
export const compare = (operator: CompareOperator, a: unknown, b: unknown): boolean => {
  switch (operator) {
    case '==':
      return looseEqual(a, b)
    case '!=':
      return !looseEqual(a, b)
    default: {
      const order = looseOrder(a, b)
      if (order === undefined) return false
      return operator === '<'
        ? order < 0
        : operator === '<='
          ? order <= 0
          : operator === '>'
            ? order > 0
            : order >= 0
    }
  }
}

const looseEqual = (x: unknown, y: unknown): boolean => {
  const a = x ?? null
  const b = y ?? null
  if (a === null || b === null) return a === b
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase()
  if (typeof a === 'number' || typeof b === 'number') {
    const m = asNumber(a)
    return m !== undefined && m === asNumber(b)
  }
  if (typeof a === 'boolean' || typeof b === 'boolean') {
    const p = asBoolean(a)
    return p !== undefined && p === asBoolean(b)
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((v, i) => looseEqual(v, b[i]))
    )
  }
  if (typeof a !== 'object' || typeof b !== 'object') return false
  const ra = a as Record<string, unknown>
  const rb = b as Record<string, unknown>
  const keys = Object.keys(ra)
  return (
    keys.length === Object.keys(rb).length &&
    keys.every((k) => Object.hasOwn(rb, k) && looseEqual(ra[k], rb[k]))
  )
}

const looseOrder = (a: unknown, b: unknown): number | undefined => {
  const m = asNumber(a)
  const n = asNumber(b)
  if (m !== undefined && n !== undefined) return m < n ? -1 : m > n ? 1 : 0
  if (typeof a === 'string' && typeof b === 'string') {
    const x = a.toLowerCase()
    const y = b.toLowerCase()
    return x < y ? -1 : x > y ? 1 : 0
  }
  return undefined
}
