/**
 * Arazzo Criterion Objects (step `successCriteria`, action `criteria`): load-time checks and
 * evaluation against a step's request and response.
 */
import { JSONPath } from 'jsonpath-plus'
import {
  describeValue,
  evaluate,
  findEmbedded,
  parseExpression,
  referencesOf,
  stringifyForTemplate,
  type Expression,
  type ExpressionContext,
  type References,
} from '../expressions/index.ts'
import { parseJsonPath, queryJsonPath } from './jsonpath/index.ts'
import { evaluateCondition, expressionsOf, parseCondition } from './simple-condition/index.ts'
import '../../specs/regex-guard.ts'

export { parseCondition, evaluateCondition, compare } from './simple-condition/index.ts'
export type { Condition, ConditionParseResult, CompareOperator } from './simple-condition/index.ts'
export { parseJsonPath, queryJsonPath } from './jsonpath/index.ts'
export type { JsonPathQuery, JsonPathParseResult } from './jsonpath/index.ts'

export type CriterionType =
  'simple' | 'regex' | 'jsonpath' | 'xpath' | { type: 'jsonpath' | 'xpath'; version: string }

export type Criterion = { condition: string; context?: string; type?: CriterionType }

/** `unmet`: the criterion was evaluated and does not hold; `error`: it could not be evaluated. */
export type CriterionResult =
  { ok: true } | { ok: false; reason: 'unmet' | 'error'; message: string }

/** Where a load-time problem is: `offset` points into the named field's text. */
export type CriterionCheck =
  | { ok: true }
  | { ok: false; message: string; field: 'condition' | 'context' | 'type'; offset?: number }

// The one JSONPath variant a Criterion Expression Type Object may name in Arazzo 1.0.1.
const GOESSNER = 'draft-goessner-dispatch-jsonpath-00'
const XPATH_UNSUPPORTED = 'xpath criteria are not supported: Sild exchanges JSON'

type Flavour = 'simple' | 'regex' | 'rfc9535' | 'goessner' | 'xpath'

const flavourOf = (type: unknown): Flavour | { error: string } => {
  if (type === undefined || type === 'simple') return 'simple'
  if (type === 'regex') return 'regex'
  if (type === 'jsonpath') return 'rfc9535'
  if (type === 'xpath') return 'xpath'
  if (type !== null && typeof type === 'object') {
    const { type: kind, version } = type as { type?: unknown; version?: unknown }
    if (kind === 'xpath') return 'xpath'
    if (kind === 'jsonpath') {
      return version === GOESSNER
        ? 'goessner'
        : {
            error: `unknown jsonpath version ${JSON.stringify(version)}; the only one Arazzo 1.0.1 names is ${GOESSNER}`,
          }
    }
    return {
      error: `unknown criterion expression type ${JSON.stringify(kind)}; use jsonpath or xpath`,
    }
  }
  return {
    error: `unknown criterion type ${JSON.stringify(type)}; use one of simple, regex, jsonpath, xpath`,
  }
}

/**
 * Checks a criterion's syntax when the scenario loads, so a typo is reported at its place in the
 * file before anything runs.
 * @example checkCriterion({ condition: '$statusCode = 200' }) // { ok: false, field: 'condition', offset: 12, … }
 */
export const checkCriterion = (criterion: Criterion): CriterionCheck => {
  const flavour = flavourOf(criterion.type)
  if (typeof flavour === 'object') return { ok: false, message: flavour.error, field: 'type' }
  if (flavour === 'xpath') return { ok: false, message: XPATH_UNSUPPORTED, field: 'type' }
  if (criterion.context !== undefined) {
    const parsed = parseExpression(criterion.context)
    if (!parsed.ok) {
      return {
        ok: false,
        message: `invalid context: ${parsed.message}`,
        field: 'context',
        offset: parsed.offset,
      }
    }
  } else if (flavour !== 'simple') {
    return {
      ok: false,
      message: `a ${flavour === 'regex' ? 'regex' : 'jsonpath'} criterion needs a context, e.g. context: $response.body`,
      field: 'context',
    }
  }
  const { condition } = criterion
  if (flavour === 'simple') {
    const parsed = parseCondition(condition)
    return parsed.ok
      ? { ok: true }
      : { ok: false, message: parsed.message, field: 'condition', offset: parsed.offset }
  }
  for (const part of findEmbedded(condition)) {
    if (!part.parsed.ok) {
      return {
        ok: false,
        message: part.parsed.message,
        field: 'condition',
        offset: part.parsed.offset,
      }
    }
  }
  // Embedded expressions are blanked out to a same-length placeholder so offsets stay true.
  const shape = blankEmbedded(condition)
  if (flavour === 'regex') {
    try {
      new RegExp(shape)
    } catch (error) {
      return {
        ok: false,
        message: `invalid regex: ${(error as Error).message}`,
        field: 'condition',
      }
    }
  }
  if (flavour === 'rfc9535') {
    const parsed = parseJsonPath(shape)
    if (!parsed.ok) {
      return {
        ok: false,
        message: `invalid JSONPath: ${parsed.message}`,
        field: 'condition',
        offset: parsed.offset,
      }
    }
  }
  return { ok: true }
}

const blankEmbedded = (text: string): string => {
  let out = ''
  let last = 0
  for (const part of findEmbedded(text)) {
    out += text.slice(last, part.start) + '0'.padEnd(part.end - part.start, ' ')
    last = part.end
  }
  return out + text.slice(last)
}

/** The steps, inputs, workflows and sources a criterion reads, for the loader's reference checks. */
export const referencesOfCriterion = (criterion: Criterion): References => {
  const expressions: Expression[] = []
  const add = (p: ReturnType<typeof parseExpression>) => p.ok && expressions.push(p.expression)
  if (criterion.context !== undefined) add(parseExpression(criterion.context))
  const flavour = flavourOf(criterion.type)
  if (flavour === 'simple') {
    const parsed = parseCondition(criterion.condition)
    if (parsed.ok) expressions.push(...expressionsOf(parsed.condition))
  } else {
    for (const part of findEmbedded(criterion.condition)) add(part.parsed)
  }
  const refs: References = { steps: [], inputs: [], workflows: [], sources: [] }
  for (const e of expressions) {
    const r = referencesOf(e)
    for (const key of ['steps', 'inputs', 'workflows', 'sources'] as const) {
      for (const name of r[key]) if (!refs[key].includes(name)) refs[key].push(name)
    }
  }
  return refs
}

const error = (message: string): CriterionResult => ({ ok: false, reason: 'error', message })
const unmet = (message: string): CriterionResult => ({ ok: false, reason: 'unmet', message })

/**
 * Evaluates a criterion against a step's state. A failure says what was expected and what was
 * found: `$statusCode == 200 failed: $statusCode is 404`.
 */
export const evaluateCriterion = (
  criterion: Criterion,
  ctx: ExpressionContext,
): CriterionResult => {
  const flavour = flavourOf(criterion.type)
  if (typeof flavour === 'object') return error(flavour.error)
  if (flavour === 'xpath') return error(XPATH_UNSUPPORTED)
  const { condition } = criterion
  if (flavour === 'simple') {
    const parsed = parseCondition(condition)
    if (!parsed.ok) return error(`invalid condition ${condition}: ${parsed.message}`)
    return evaluateCondition(parsed.condition, condition, ctx)
  }
  const subject = contextValue(criterion, ctx)
  if ('result' in subject) return subject.result
  const expanded = expandEmbedded(condition, ctx)
  if (!expanded.ok) return error(`${condition} could not be evaluated: ${expanded.message}`)
  const subjectText = `${subject.text} is ${describeValue(subject.value, 120)}`
  if (flavour === 'regex') return matchRegex(expanded.value, subject.value, subjectText)
  const nodes =
    flavour === 'rfc9535'
      ? rfc9535(expanded.value, subject.value)
      : goessner(expanded.value, subject.value)
  if (!Array.isArray(nodes)) return nodes
  if (nodes.length > 0) return { ok: true }
  // RFC 9535 filters select children, so $[?…] never tests the context value itself.
  const hint =
    flavour === 'rfc9535' &&
    /^\$\s*\[\s*\?/.test(expanded.value) &&
    typeof subject.value === 'object' &&
    !Array.isArray(subject.value)
      ? `; note that $[?…] tests the members of ${subject.text}, not ${subject.text} itself`
      : ''
  return unmet(`jsonpath ${expanded.value} matched nothing: ${subjectText}${hint}`)
}

/** The value a regex or JSONPath criterion applies to; absent or null fails the criterion. */
const contextValue = (
  { context, condition, type }: Criterion,
  ctx: ExpressionContext,
): { text: string; value: unknown } | { result: CriterionResult } => {
  if (context === undefined) {
    return {
      result: error(
        `the ${type === 'regex' ? 'regex' : 'jsonpath'} criterion ${condition} has no context`,
      ),
    }
  }
  const parsed = parseExpression(context)
  if (!parsed.ok) return { result: error(`invalid context ${context}: ${parsed.message}`) }
  const r = evaluate(parsed.expression, ctx)
  if (!r.ok) {
    return {
      result: r.missing
        ? unmet(`${condition} failed: ${context} has no value (${r.detail})`)
        : error(r.message),
    }
  }
  if (r.value === null) return { result: unmet(`${condition} failed: ${context} is null`) }
  return { text: context, value: r.value }
}

const matchRegex = (pattern: string, value: unknown, found: string): CriterionResult => {
  let re: RegExp
  try {
    re = new RegExp(pattern)
  } catch (e) {
    return error(`invalid regex ${pattern}: ${(e as Error).message}`)
  }
  return re.test(stringifyForTemplate(value))
    ? { ok: true }
    : unmet(`regex /${pattern}/ did not match: ${found}`)
}

const rfc9535 = (path: string, value: unknown): unknown[] | CriterionResult => {
  const parsed = parseJsonPath(path)
  if (!parsed.ok) return error(`invalid JSONPath ${path}: ${parsed.message}`)
  return queryJsonPath(parsed.query, value)
}

const goessner = (path: string, value: unknown): unknown[] | CriterionResult => {
  try {
    return JSONPath({ path, json: value as object, wrap: true, eval: 'safe' }) ?? []
  } catch (e) {
    return error(`JSONPath ${path} could not be evaluated: ${(e as Error).message}`)
  }
}

const expandEmbedded = (
  text: string,
  ctx: ExpressionContext,
): { ok: true; value: string } | { ok: false; message: string } => {
  let out = ''
  let last = 0
  for (const part of findEmbedded(text)) {
    if (!part.parsed.ok) return { ok: false, message: part.parsed.message }
    const r = evaluate(part.parsed.expression, ctx)
    if (!r.ok) return { ok: false, message: r.message }
    out += text.slice(last, part.start) + stringifyForTemplate(r.value)
    last = part.end
  }
  return { ok: true, value: out + text.slice(last) }
}
