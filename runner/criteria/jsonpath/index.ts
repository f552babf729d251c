/**
 * JSONPath as RFC 9535 defines it, which Arazzo 1.0.1 names for `jsonpath` criteria: parsing with
 * error offsets, the well-typedness rules for function extensions, and evaluation to a nodelist.
 */

export type JsonPathQuery = { root: '$' | '@'; segments: Segment[] }

type Segment = { descendant: boolean; selectors: Selector[] }

type Selector =
  | { kind: 'name'; name: string }
  | { kind: 'wildcard' }
  | { kind: 'index'; index: number }
  | { kind: 'slice'; start?: number; end?: number; step?: number }
  | { kind: 'filter'; expression: Logical }

type Logical =
  | { kind: 'or' | 'and'; operands: Logical[] }
  | { kind: 'not'; operand: Logical }
  | { kind: 'compare'; operator: CompareOperator; left: Comparable; right: Comparable }
  | { kind: 'exists'; query: JsonPathQuery }
  | { kind: 'call'; call: Call }

type CompareOperator = '==' | '!=' | '<' | '<=' | '>' | '>='

type Literal = string | number | boolean | null

type Comparable =
  | { kind: 'literal'; value: Literal }
  | { kind: 'query'; query: JsonPathQuery }
  | { kind: 'call'; call: Call }

type Argument = Comparable | { kind: 'logical'; expression: Logical }

type FunctionName = 'length' | 'count' | 'match' | 'search' | 'value'

type Call = { name: FunctionName; args: Argument[] }

type ArgType = 'value' | 'logical' | 'nodes'

const FUNCTIONS: Record<FunctionName, { params: ArgType[]; returns: ArgType }> = {
  length: { params: ['value'], returns: 'value' },
  count: { params: ['nodes'], returns: 'value' },
  match: { params: ['value', 'value'], returns: 'logical' },
  search: { params: ['value', 'value'], returns: 'logical' },
  value: { params: ['nodes'], returns: 'value' },
}

export type JsonPathParseResult =
  { ok: true; query: JsonPathQuery } | { ok: false; message: string; offset: number }

class JsonPathSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly hint?: string,
  ) {
    super(message)
  }
}

const MAX_INT = 2 ** 53 - 1
const MAX_DEPTH = 64

/**
 * Parses an RFC 9535 JSONPath query such as `$.pets[?@.age > 2].name`.
 * @example parseJsonPath('$[?count(@.pets) > 0]') // { ok: true, query: … }
 */
export const parseJsonPath = (text: string): JsonPathParseResult => {
  try {
    return { ok: true, query: new Parser(text).whole() }
  } catch (error) {
    if (error instanceof JsonPathSyntaxError) {
      return {
        ok: false,
        message: `${error.message} at offset ${error.offset}${error.hint ? `; ${error.hint}` : ''}`,
        offset: error.offset,
      }
    }
    throw error
  }
}

class Parser {
  private pos = 0
  private depth = 0

  constructor(private readonly text: string) {}

  whole(): JsonPathQuery {
    if (this.text[0] !== '$') this.fail('a JSONPath query starts with "$"')
    const query = this.query()
    if (this.pos < this.text.length) this.fail(`unexpected ${this.found()}`)
    return query
  }

  private fail(message: string, at = this.pos, hint?: string): never {
    throw new JsonPathSyntaxError(message, at, hint)
  }

  private found(): string {
    return this.pos >= this.text.length
      ? 'the end of the query'
      : JSON.stringify(this.text.slice(this.pos, this.pos + 10))
  }

  private peek(s: string): boolean {
    return this.text.startsWith(s, this.pos)
  }

  private eat(s: string): boolean {
    if (!this.peek(s)) return false
    this.pos += s.length
    return true
  }

  private expect(s: string, context: string): void {
    if (!this.eat(s)) this.fail(`expected "${s}" ${context}, found ${this.found()}`)
  }

  private blank(): void {
    while (/[ \t\n\r]/.test(this.text[this.pos] ?? '')) this.pos++
  }

  private nested<T>(parse: () => T): T {
    if (++this.depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH} levels`)
    try {
      return parse()
    } finally {
      this.depth--
    }
  }

  private query(): JsonPathQuery {
    const root = this.text[this.pos] as '$' | '@'
    this.pos++
    const segments: Segment[] = []
    for (;;) {
      const before = this.pos
      this.blank()
      if (this.peek('..')) {
        this.pos += 2
        segments.push({ descendant: true, selectors: this.afterDescendant() })
      } else if (this.eat('.')) {
        segments.push({ descendant: false, selectors: [this.shorthand()] })
      } else if (this.peek('[')) {
        segments.push({ descendant: false, selectors: this.bracketed() })
      } else {
        this.pos = before
        return { root, segments }
      }
    }
  }

  private afterDescendant(): Selector[] {
    if (this.peek('[')) return this.bracketed()
    return [this.shorthand()]
  }

  private shorthand(): Selector {
    if (this.eat('*')) return { kind: 'wildcard' }
    const name = this.memberName()
    if (name === undefined) this.fail(`expected a member name or "*", found ${this.found()}`)
    return { kind: 'name', name }
  }

  private memberName(): string | undefined {
    const start = this.pos
    while (this.pos < this.text.length) {
      const cp = this.text.codePointAt(this.pos)!
      const first = this.pos === start
      if (!isNameChar(cp, first)) break
      this.pos += cp > 0xffff ? 2 : 1
    }
    return this.pos > start ? this.text.slice(start, this.pos) : undefined
  }

  private bracketed(): Selector[] {
    const open = this.pos
    this.pos++
    const selectors: Selector[] = []
    for (;;) {
      this.blank()
      selectors.push(this.selector())
      this.blank()
      if (this.eat(']')) return selectors
      if (!this.eat(',')) {
        if (this.pos >= this.text.length) this.fail('unclosed "["', open)
        this.fail(`expected "," or "]", found ${this.found()}`)
      }
    }
  }

  private selector(): Selector {
    const c = this.text[this.pos]
    if (c === "'" || c === '"') return { kind: 'name', name: this.string() }
    if (this.eat('*')) return { kind: 'wildcard' }
    if (this.eat('?')) {
      this.blank()
      return { kind: 'filter', expression: this.nested(() => this.logicalOr()) }
    }
    if (c === ':' || c === '-' || /[0-9]/.test(c ?? '')) return this.indexOrSlice()
    return this.fail(
      `expected a selector (a 'name', an index, a slice, * or ?filter), found ${this.found()}`,
    )
  }

  private indexOrSlice(): Selector {
    const start = this.integerIfAny()
    this.blank()
    if (!this.eat(':')) {
      if (start === undefined) this.fail('expected an index')
      return { kind: 'index', index: start }
    }
    this.blank()
    const end = this.integerIfAny()
    this.blank()
    let step: number | undefined
    if (this.eat(':')) {
      this.blank()
      step = this.integerIfAny()
    }
    return { kind: 'slice', start, end, step }
  }

  private integerIfAny(): number | undefined {
    const m = /-?\d+/y
    m.lastIndex = this.pos
    const hit = m.exec(this.text)
    if (!hit) return undefined
    const digits = hit[0]
    if (/^-?0\d/.test(digits) || digits === '-0') this.fail(`invalid integer ${digits}`)
    const n = Number(digits)
    if (Math.abs(n) > MAX_INT) this.fail(`integer ${digits} is out of range`)
    this.pos += digits.length
    return n
  }

  private string(): string {
    const open = this.pos
    const quote = this.text[this.pos]!
    this.pos++
    let out = ''
    for (;;) {
      if (this.pos >= this.text.length) this.fail('unterminated string', open)
      const c = this.text[this.pos]!
      if (c === quote) {
        this.pos++
        return out
      }
      if (c === '\\') {
        out += this.escape(quote)
        continue
      }
      if (c.charCodeAt(0) < 0x20) this.fail('control characters must be escaped in a string')
      out += c
      this.pos++
    }
  }

  private escape(quote: string): string {
    const at = this.pos
    const c = this.text[this.pos + 1]
    this.pos += 2
    const simple: Record<string, string> = {
      b: '\b',
      f: '\f',
      n: '\n',
      r: '\r',
      t: '\t',
      '/': '/',
      '\\': '\\',
    }
    if (c === quote) return quote
    if (c !== undefined && simple[c] !== undefined) return simple[c]
    if (c !== 'u') this.fail(`invalid escape "\\${c ?? ''}"`, at)
    const hex = this.text.slice(this.pos, this.pos + 4)
    if (!/^[0-9A-Fa-f]{4}$/.test(hex)) this.fail('expected four hex digits after "\\u"', at)
    this.pos += 4
    const unit = parseInt(hex, 16)
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const low = /^\\u([Dd][C-Fc-f][0-9A-Fa-f]{2})/.exec(this.text.slice(this.pos))
      if (!low) this.fail('a high surrogate must be followed by a low surrogate escape', at)
      this.pos += 6
      return String.fromCharCode(unit, parseInt(low[1]!, 16))
    }
    if (unit >= 0xdc00 && unit <= 0xdfff) this.fail('unpaired low surrogate escape', at)
    return String.fromCharCode(unit)
  }

  private logicalOr(): Logical {
    const operands = [this.logicalAnd()]
    for (;;) {
      const before = this.pos
      this.blank()
      if (!this.eat('||')) {
        this.pos = before
        break
      }
      this.blank()
      operands.push(this.logicalAnd())
    }
    return operands.length === 1 ? operands[0]! : { kind: 'or', operands }
  }

  private logicalAnd(): Logical {
    const operands = [this.basic()]
    for (;;) {
      const before = this.pos
      this.blank()
      if (!this.eat('&&')) {
        this.pos = before
        break
      }
      this.blank()
      operands.push(this.basic())
    }
    return operands.length === 1 ? operands[0]! : { kind: 'and', operands }
  }

  private basic(): Logical {
    if (this.peek('!') && !this.peek('!=')) {
      this.pos++
      this.blank()
      if (this.peek('(')) return { kind: 'not', operand: this.paren() }
      const at = this.pos
      const operand = this.operand()
      return { kind: 'not', operand: this.asTest(operand, at) }
    }
    if (this.peek('(')) return this.paren()
    const at = this.pos
    const left = this.operand()
    const before = this.pos
    this.blank()
    const operator = this.operator()
    if (!operator) {
      this.pos = before
      return this.asTest(left, at)
    }
    this.blank()
    const rightAt = this.pos
    const right = this.operand()
    return {
      kind: 'compare',
      operator,
      left: this.asComparable(left, at),
      right: this.asComparable(right, rightAt),
    }
  }

  private paren(): Logical {
    this.pos++
    this.blank()
    const inner = this.nested(() => this.logicalOr())
    this.blank()
    this.expect(')', 'to close "("')
    return inner
  }

  private operator(): CompareOperator | undefined {
    for (const op of ['==', '!=', '<=', '>=', '<', '>'] as const) {
      if (this.eat(op)) return op
    }
    return undefined
  }

  private operand(): Comparable {
    const c = this.text[this.pos]
    if (c === '@' || c === '$') return { kind: 'query', query: this.nested(() => this.query()) }
    if (c === "'" || c === '"') return { kind: 'literal', value: this.string() }
    if (c === '-' || /[0-9]/.test(c ?? '')) return { kind: 'literal', value: this.number() }
    const word = /[a-z][a-z0-9_]*/y
    word.lastIndex = this.pos
    const name = word.exec(this.text)?.[0]
    if (name !== undefined && this.text[this.pos + name.length] === '(') {
      return { kind: 'call', call: this.call(name) }
    }
    for (const [literal, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (name === literal) {
        this.pos += literal.length
        return { kind: 'literal', value }
      }
    }
    return this.fail(
      `expected a query (@… or $…), a literal or a function call, found ${this.found()}`,
    )
  }

  private number(): number {
    const m = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?/y
    m.lastIndex = this.pos
    const hit = m.exec(this.text)
    if (!hit) this.fail(`invalid number ${this.found()}`)
    this.pos += hit[0].length
    return Number(hit[0])
  }

  private call(name: string): Call {
    const at = this.pos
    if (!(name in FUNCTIONS)) {
      this.fail(`unknown function ${name}()`, at, `use one of ${Object.keys(FUNCTIONS).join(', ')}`)
    }
    const fn = FUNCTIONS[name as FunctionName]
    this.pos += name.length + 1
    const args: Argument[] = []
    this.blank()
    if (!this.eat(')')) {
      for (;;) {
        const argAt = this.pos
        const index = args.length
        const arg = this.nested(() => this.argument())
        const param = fn.params[index]
        if (param) this.checkArgument(name, index, param, arg, argAt)
        args.push(arg)
        this.blank()
        if (this.eat(')')) break
        this.expect(',', `or ")" in ${name}()`)
        this.blank()
      }
    }
    if (args.length !== fn.params.length) {
      this.fail(
        `${name}() takes ${fn.params.length} argument${fn.params.length > 1 ? 's' : ''}, got ${args.length}`,
        at,
      )
    }
    return { name: name as FunctionName, args }
  }

  private argument(): Argument {
    const start = this.pos
    const endsHere = () => {
      const before = this.pos
      this.blank()
      const done = this.peek(',') || this.peek(')')
      this.pos = before
      return done
    }
    const c = this.text[this.pos]
    if (c !== '(' && c !== '!') {
      try {
        const operand = this.operand()
        if (endsHere()) return operand
      } catch (error) {
        if (!(error instanceof JsonPathSyntaxError)) throw error
      }
      this.pos = start
    }
    return { kind: 'logical', expression: this.logicalOr() }
  }

  private checkArgument(name: string, index: number, param: ArgType, arg: Argument, at: number) {
    const where = `argument ${index + 1} of ${name}()`
    if (param === 'value') {
      if (arg.kind === 'logical')
        this.fail(`${where} must be a value, not a logical expression`, at)
      if (arg.kind === 'query' && !isSingular(arg.query)) {
        this.fail(`${where} must be a singular query (only names and indexes)`, at)
      }
      if (arg.kind === 'call' && FUNCTIONS[arg.call.name].returns !== 'value') {
        this.fail(`${where} must be a value, but ${arg.call.name}() is logical`, at)
      }
    } else if (param === 'nodes') {
      if (arg.kind !== 'query') this.fail(`${where} must be a query such as @.items[*]`, at)
    } else if (arg.kind === 'literal') {
      this.fail(`${where} must be a logical expression or a query`, at)
    } else if (arg.kind === 'call' && FUNCTIONS[arg.call.name].returns !== 'logical') {
      this.fail(`${where} must be logical, but ${arg.call.name}() returns a value`, at)
    }
  }

  private asTest(operand: Comparable, at: number): Logical {
    if (operand.kind === 'query') return { kind: 'exists', query: operand.query }
    if (operand.kind === 'call') {
      if (FUNCTIONS[operand.call.name].returns !== 'logical') {
        const name = operand.call.name
        this.fail(`${name}() returns a value`, at, `compare it, e.g. ${name}(…) > 0`)
      }
      return { kind: 'call', call: operand.call }
    }
    return this.fail(
      'a literal on its own is not a test',
      at,
      'compare it with == or another operator',
    )
  }

  private asComparable(operand: Comparable, at: number): Comparable {
    if (operand.kind === 'query' && !isSingular(operand.query)) {
      this.fail(
        'only a singular query (names and indexes, no wildcards, slices, filters or "..") can be compared',
        at,
      )
    }
    if (operand.kind === 'call' && FUNCTIONS[operand.call.name].returns !== 'value') {
      this.fail(`${operand.call.name}() is a test and cannot be compared`, at)
    }
    return operand
  }
}

const isNameChar = (cp: number, first: boolean): boolean =>
  (cp >= 0x41 && cp <= 0x5a) ||
  (cp >= 0x61 && cp <= 0x7a) ||
  cp === 0x5f ||
  (cp >= 0x80 && cp <= 0xd7ff) ||
  (cp >= 0xe000 && cp <= 0x10ffff) ||
  (!first && cp >= 0x30 && cp <= 0x39)

const isSingular = (query: JsonPathQuery): boolean =>
  query.segments.every(
    (s) =>
      !s.descendant &&
      s.selectors.length === 1 &&
      (s.selectors[0]!.kind === 'name' || s.selectors[0]!.kind === 'index'),
  )

const NOTHING = Symbol('nothing')
type Maybe = unknown | typeof NOTHING

/**
 * Evaluates a parsed query against a JSON value and returns the values of the selected nodes.
 * @example queryJsonPath(parsed, { pets: [{ name: 'Rex' }] }) // for $.pets[*].name: ['Rex']
 */
export const queryJsonPath = (query: JsonPathQuery, value: unknown): unknown[] =>
  select(query, value, value)

const select = (query: JsonPathQuery, root: unknown, current: unknown): unknown[] => {
  let nodes = [query.root === '$' ? root : current]
  for (const segment of query.segments) {
    const next: unknown[] = []
    for (const node of nodes) {
      const targets = segment.descendant ? descendantsOrSelf(node) : [node]
      for (const target of targets) {
        for (const selector of segment.selectors) applySelector(selector, target, root, next)
      }
    }
    nodes = next
  }
  return nodes
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v)

const childrenOf = (v: unknown): unknown[] =>
  Array.isArray(v) ? v : isObject(v) ? Object.values(v) : []

const descendantsOrSelf = (node: unknown): unknown[] => {
  const out: unknown[] = []
  const visit = (n: unknown) => {
    out.push(n)
    for (const c of childrenOf(n)) visit(c)
  }
  visit(node)
  return out
}

const applySelector = (selector: Selector, node: unknown, root: unknown, out: unknown[]): void => {
  switch (selector.kind) {
    case 'name':
      if (isObject(node) && Object.hasOwn(node, selector.name)) out.push(node[selector.name])
      return
    case 'wildcard':
      out.push(...childrenOf(node))
      return
    case 'index': {
      if (!Array.isArray(node)) return
      const i = selector.index < 0 ? node.length + selector.index : selector.index
      if (i >= 0 && i < node.length) out.push(node[i])
      return
    }
    case 'slice':
      if (Array.isArray(node))
        for (const i of sliceIndexes(selector, node.length)) out.push(node[i])
      return
    case 'filter':
      for (const c of childrenOf(node)) if (test(selector.expression, root, c)) out.push(c)
  }
}

const sliceIndexes = (
  { start, end, step = 1 }: { start?: number; end?: number; step?: number },
  len: number,
): number[] => {
  if (step === 0) return []
  const norm = (i: number) => (i >= 0 ? i : len + i)
  const out: number[] = []
  if (step > 0) {
    const lower = Math.min(Math.max(norm(start ?? 0), 0), len)
    const upper = Math.min(Math.max(norm(end ?? len), 0), len)
    for (let i = lower; i < upper; i += step) out.push(i)
  } else {
    const upper = Math.min(Math.max(norm(start ?? len - 1), -1), len - 1)
    const lower = Math.min(Math.max(norm(end ?? -len - 1), -1), len - 1)
    for (let i = upper; lower < i; i += step) out.push(i)
  }
  return out
}

const test = (e: Logical, root: unknown, current: unknown): boolean => {
  switch (e.kind) {
    case 'or':
      return e.operands.some((o) => test(o, root, current))
    case 'and':
      return e.operands.every((o) => test(o, root, current))
    case 'not':
      return !test(e.operand, root, current)
    case 'exists':
      return select(e.query, root, current).length > 0
    case 'call':
      return call(e.call, root, current) === true
    case 'compare':
      return compare(
        e.operator,
        operandValue(e.left, root, current),
        operandValue(e.right, root, current),
      )
  }
}

const operandValue = (c: Comparable, root: unknown, current: unknown): Maybe => {
  if (c.kind === 'literal') return c.value
  if (c.kind === 'call') return call(c.call, root, current)
  const nodes = select(c.query, root, current)
  return nodes.length === 1 ? nodes[0] : NOTHING
}

const compare = (op: CompareOperator, a: Maybe, b: Maybe): boolean => {
  switch (op) {
    case '==':
      return equal(a, b)
    case '!=':
      return !equal(a, b)
    case '<':
      return less(a, b)
    case '<=':
      return less(a, b) || equal(a, b)
    case '>':
      return less(b, a)
    case '>=':
      return less(b, a) || equal(a, b)
  }
}

const equal = (a: Maybe, b: Maybe): boolean => {
  if (a === NOTHING || b === NOTHING) return a === b
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((x, i) => equal(x, b[i]))
    )
  }
  if (isObject(a) || isObject(b)) {
    if (!isObject(a) || !isObject(b)) return false
    const keys = Object.keys(a)
    return (
      keys.length === Object.keys(b).length &&
      keys.every((k) => Object.hasOwn(b, k) && equal(a[k], b[k]))
    )
  }
  return a === b
}

const less = (a: Maybe, b: Maybe): boolean => {
  if (typeof a === 'number' && typeof b === 'number') return a < b
  if (typeof a === 'string' && typeof b === 'string') return codePointCompare(a, b) < 0
  return false
}

// RFC 9535 orders strings by Unicode scalar values; JS `<` compares UTF-16 code units.
const codePointCompare = (a: string, b: string): number => {
  const x = [...a]
  const y = [...b]
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!
    if (d !== 0) return d
  }
  return x.length - y.length
}

const argValue = (arg: Argument, root: unknown, current: unknown): Maybe =>
  arg.kind === 'logical' ? test(arg.expression, root, current) : operandValue(arg, root, current)

const argNodes = (arg: Argument, root: unknown, current: unknown): unknown[] =>
  arg.kind === 'query' ? select(arg.query, root, current) : []

const call = ({ name, args }: Call, root: unknown, current: unknown): Maybe => {
  const [first, second] = args as [Argument, Argument | undefined]
  switch (name) {
    case 'length': {
      const v = argValue(first, root, current)
      if (typeof v === 'string') return [...v].length
      if (Array.isArray(v)) return v.length
      if (isObject(v)) return Object.keys(v).length
      return NOTHING
    }
    case 'count':
      return argNodes(first, root, current).length
    case 'value': {
      const nodes = argNodes(first, root, current)
      return nodes.length === 1 ? nodes[0] : NOTHING
    }
    case 'match':
    case 'search': {
      const subject = argValue(first, root, current)
      const pattern = argValue(second!, root, current)
      if (typeof subject !== 'string' || typeof pattern !== 'string') return false
      const re = iRegexp(pattern, name === 'match')
      return re ? re.test(subject) : false
    }
  }
}

const regexCache = new Map<string, RegExp | null>()

/**
 * I-Regexp (RFC 9485) as a JS RegExp: `.` matches any character but \n and \r, and the whole
 * pattern is anchored for match(). An invalid pattern makes the test false, as RFC 9535 says.
 */
const iRegexp = (pattern: string, whole: boolean): RegExp | null => {
  const key = `${whole ? 'm' : 's'}:${pattern}`
  if (regexCache.has(key)) return regexCache.get(key)!
  let source = ''
  let inClass = false
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!
    if (c === '\\') {
      source += c + (pattern[i + 1] ?? '')
      i++
    } else if (inClass) {
      if (c === ']') inClass = false
      source += c
    } else if (c === '[') {
      inClass = true
      source += c
    } else {
      source += c === '.' ? '[^\\n\\r]' : c
    }
  }
  let re: RegExp | null
  try {
    re = new RegExp(whole ? `^(?:${source})$` : source, 'u')
  } catch {
    re = null
  }
  if (regexCache.size > 500) regexCache.clear()
  regexCache.set(key, re)
  return re
}
