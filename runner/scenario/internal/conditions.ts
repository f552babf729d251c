import { checkCriterion, parseCondition, type Condition } from '../../criteria/index.ts'
import { findEmbedded, type Expression } from '../../expressions/index.ts'
import type { Criterion, ElementPath } from '../types.ts'
import type { Context } from './context.ts'

const HINT =
  'Conditions: simple ($statusCode == 200 && $response.body#/status != "CLOSED"), regex or jsonpath with a context (https://spec.openapis.org/arazzo/v1.0.1#criterion-object).'

/**
 * Checks a criterion's syntax (failing at the offending character) and returns the runtime
 * expressions its condition reads, each with its offset in the condition.
 */
export const checkCondition = (
  ctx: Context,
  criterion: Criterion,
): Array<{ expression: Expression; offset: number }> => {
  const check = checkCriterion(criterion)
  if (!check.ok) {
    const path: ElementPath = [...criterion.path, check.field]
    ctx.fail(
      `invalid criterion "${criterion.condition}": ${check.message}`,
      path,
      HINT,
      check.offset,
    )
  }
  if (criterion.type === undefined || criterion.type === 'simple') {
    const parsed = parseCondition(criterion.condition)
    return parsed.ok ? expressionsIn(parsed.condition) : []
  }
  return findEmbedded(criterion.condition).flatMap((part) =>
    part.parsed.ok ? [{ expression: part.parsed.expression, offset: part.start + 1 }] : [],
  )
}

const expressionsIn = (node: Condition): Array<{ expression: Expression; offset: number }> => {
  switch (node.kind) {
    case 'literal':
      return []
    case 'expression':
      return [{ expression: node.expression, offset: node.start }]
    case 'not':
      return expressionsIn(node.operand)
    default:
      return [...expressionsIn(node.left), ...expressionsIn(node.right)]
  }
}
