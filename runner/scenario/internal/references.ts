import {
  findEmbedded,
  looksLikeExpression,
  parseExpression,
  type Expression,
  type ParseResult,
} from '../../expressions/index.ts'
import type { Action, Criterion, ElementPath, Step, Workflow } from '../types.ts'
import type { Context } from './context.ts'
import { checkCondition } from './conditions.ts'
import { didYouMean, listOf } from './suggest.ts'

const EXPRESSION_HINT =
  'Runtime expressions: $inputs.NAME, $steps.ID.outputs.NAME, $response.body#/pointer, $response.header.NAME, $statusCode, … (https://spec.openapis.org/arazzo/v1.0.1#runtime-expressions).'
const INPUT_HINT =
  "Declare the input under the workflow's inputs.properties (with a default from the world data)."

/** What an expression may refer to where it is written. */
type Scope = {
  workflow: Workflow
  /** Steps whose outputs exist at this point. */
  steps: Set<string>
  /** A request/response exists here (false before the call and for workflow outputs). */
  response: boolean
  request: boolean
}

type Declared = {
  inputs: Map<string, string[]>
  outputs: Map<string, Record<string, string>>
  components: Record<string, Record<string, unknown>>
  sources: string[]
}

/**
 * Checks every runtime expression of the workflows: it parses, and what it names exists where it
 * is used (earlier steps and their outputs, declared inputs, workflows, sources, components).
 */
export const checkExpressions = (
  ctx: Context,
  workflows: Workflow[],
  inputsOf: (workflow: Workflow) => string[],
): void => {
  const declared: Declared = {
    inputs: new Map(workflows.map((w) => [w.workflowId, inputsOf(w)])),
    outputs: new Map(workflows.map((w) => [w.workflowId, w.outputs])),
    components: (ctx.doc.components ?? {}) as Record<string, Record<string, unknown>>,
    sources: ctx.doc.sourceDescriptions.map((s) => s.name),
  }
  for (const workflow of workflows) {
    const all = new Set(workflow.steps.map((s) => s.stepId))
    const before = new Set<string>()
    const workflowScope: Scope = { workflow, steps: all, response: true, request: true }
    // Workflow parameters are checked in each step they apply to, with that step's scope.
    for (const step of workflow.steps) {
      checkStep(ctx, declared, step, {
        workflow,
        steps: new Set(before),
        response: false,
        request: false,
      })
      before.add(step.stepId)
    }
    const outputs = { ...workflowScope, response: false, request: false }
    for (const [name, text] of Object.entries(workflow.outputs)) {
      checkValue(ctx, declared, text, [...workflow.path, 'outputs', name], outputs)
    }
    for (const action of [...workflow.successActions, ...workflow.failureActions]) {
      checkAction(ctx, declared, action, workflowScope)
    }
  }
}

const checkStep = (ctx: Context, declared: Declared, step: Step, before: Scope): void => {
  for (const p of step.parameters) checkValue(ctx, declared, p.value, [...p.path, 'value'], before)
  const body = step.requestBody
  if (body) {
    checkValue(ctx, declared, body.payload, [...step.path, 'requestBody', 'payload'], before)
    body.replacements?.forEach((r, k) =>
      checkValue(
        ctx,
        declared,
        r.value,
        [...step.path, 'requestBody', 'replacements', k, 'value'],
        before,
      ),
    )
  }
  const after: Scope = { ...before, response: true, request: true }
  for (const c of step.successCriteria) checkCriterion(ctx, declared, c, after)
  for (const [name, text] of Object.entries(step.outputs)) {
    checkValue(ctx, declared, text, [...step.path, 'outputs', name], after)
  }
  // Actions run once the step's outputs are known.
  const withOwn: Scope = { ...after, steps: new Set([...before.steps, step.stepId]) }
  for (const action of [...step.onSuccess, ...step.onFailure]) {
    checkAction(ctx, declared, action, withOwn)
  }
}

const checkAction = (ctx: Context, declared: Declared, action: Action, scope: Scope): void => {
  for (const c of action.criteria) checkCriterion(ctx, declared, c, scope)
}

const checkCriterion = (
  ctx: Context,
  declared: Declared,
  criterion: Criterion,
  scope: Scope,
): void => {
  const found = checkCondition(ctx, criterion)
  if (criterion.context !== undefined) {
    const parsed = parseExpression(criterion.context)
    if (parsed.ok) {
      checkReferences(ctx, declared, parsed.expression, [...criterion.path, 'context'], 0, scope)
    }
  }
  for (const { expression, offset } of found) {
    checkReferences(ctx, declared, expression, [...criterion.path, 'condition'], offset, scope)
  }
}

/** Checks the expressions in a value: a string that is one expression, `{$…}` parts, or the strings inside an object. */
const checkValue = (
  ctx: Context,
  declared: Declared,
  value: unknown,
  path: ElementPath,
  scope: Scope,
): void => {
  if (Array.isArray(value)) {
    value.forEach((item, i) => checkValue(ctx, declared, item, [...path, i], scope))
    return
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, member] of Object.entries(value)) {
      checkValue(ctx, declared, member, [...path, key], scope)
    }
    return
  }
  if (typeof value !== 'string') return
  // The same rule as the executor's resolveValue, so what passes here is what runs.
  if (value.startsWith('$') && looksLikeExpression(value)) {
    const parsed = parseExpression(value)
    if (!parsed.ok) failParse(ctx, value, parsed, path)
    checkReferences(ctx, declared, parsed.expression, path, 0, scope)
    return
  }
  for (const part of findEmbedded(value)) {
    if (!part.parsed.ok) failParse(ctx, value, part.parsed, path)
    checkReferences(ctx, declared, part.parsed.expression, path, part.start + 1, scope)
  }
}

function failParse(
  ctx: Context,
  text: string,
  parsed: Extract<ParseResult, { ok: false }>,
  path: ElementPath,
): never {
  ctx.fail(
    `invalid runtime expression in "${text}": ${parsed.message}`,
    path,
    EXPRESSION_HINT,
    parsed.offset,
  )
}

const checkReferences = (
  ctx: Context,
  declared: Declared,
  expression: Expression,
  path: ElementPath,
  offset: number,
  scope: Scope,
): void => {
  // `into` moves from the start of the expression to the name the message is about.
  function fail(message: string, hint: string, into = 0): never {
    ctx.fail(message, path, hint, offset + into)
  }
  const after = (prefix: string) => expression.text.indexOf(prefix) + prefix.length
  const { workflow } = scope
  switch (expression.kind) {
    case 'statusCode':
    case 'response.header':
    case 'response.body':
      if (!scope.response) {
        fail(
          `${expression.text} has no response to read here`,
          'The response exists in successCriteria, outputs and actions of a step, not before the call or in workflow outputs.',
        )
      }
      return
    case 'url':
    case 'method':
    case 'request.header':
    case 'request.query':
    case 'request.path':
    case 'request.body':
      if (!scope.request) {
        fail(
          `${expression.text} has no request to read here`,
          'The request exists in successCriteria, outputs and actions of a step.',
        )
      }
      return
    case 'inputs': {
      const inputs = declared.inputs.get(workflow.workflowId) ?? []
      if (!inputs.includes(expression.name)) {
        fail(
          `missing input "${expression.name}": workflow "${workflow.workflowId}" declares no such input${didYouMean(expression.name, inputs)}; its inputs: ${listOf(inputs)}`,
          INPUT_HINT,
          after('$inputs.'),
        )
      }
      return
    }
    case 'steps': {
      const { stepId, name } = expression
      const step = workflow.steps.find((s) => s.stepId === stepId)
      const ids = workflow.steps.map((s) => s.stepId)
      if (!step) {
        fail(
          `unknown step "${stepId}" in ${expression.text}: workflow "${workflow.workflowId}" has no such step${didYouMean(stepId, ids)}; its steps: ${listOf(ids)}`,
          'Refer to the outputs of a step of the same workflow that runs earlier.',
          after('$steps.'),
        )
      }
      if (!scope.steps.has(stepId)) {
        fail(
          `step "${stepId}" has not run yet where ${expression.text} is read`,
          'Only the outputs of earlier steps of the workflow are known; move the step or the reference.',
          after('$steps.'),
        )
      }
      const outputs = Object.keys(step.outputs)
      if (!outputs.includes(name)) {
        fail(
          `step "${stepId}" has no output "${name}"${didYouMean(name, outputs)}; its outputs: ${listOf(outputs)}`,
          `Declare it under the outputs of step "${stepId}".`,
          after('.outputs.'),
        )
      }
      return
    }
    case 'workflows': {
      const { workflowId, field, name } = expression
      const known = [...declared.outputs.keys()]
      if (!declared.outputs.has(workflowId)) {
        fail(
          `unknown workflow "${workflowId}" in ${expression.text}${didYouMean(workflowId, known)}; known: ${listOf(known)}`,
          'Name a workflowId of this scenario.',
          after('$workflows.'),
        )
      }
      const names =
        field === 'outputs'
          ? Object.keys(declared.outputs.get(workflowId) ?? {})
          : (declared.inputs.get(workflowId) ?? [])
      if (!names.includes(name)) {
        fail(
          `workflow "${workflowId}" has no ${field === 'outputs' ? 'output' : 'input'} "${name}"${didYouMean(name, names)}; its ${field}: ${listOf(names)}`,
          `Declare it under the ${field} of workflow "${workflowId}".`,
          after(`.${field}.`),
        )
      }
      return
    }
    case 'sourceDescriptions':
      if (!declared.sources.includes(expression.source)) {
        fail(
          `unknown source description "${expression.source}" in ${expression.text}${didYouMean(expression.source, declared.sources)}; known: ${listOf(declared.sources)}`,
          'Name a source of sourceDescriptions.',
          after('$sourceDescriptions.'),
        )
      }
      return
    case 'components': {
      const names = Object.keys(declared.components[expression.field] ?? {})
      if (!names.includes(expression.name)) {
        fail(
          `unknown component "${expression.name}" in components.${expression.field}${didYouMean(expression.name, names)}; known: ${listOf(names)}`,
          `Declare it under components.${expression.field}.`,
          after(`.${expression.field}.`),
        )
      }
      return
    }
    case 'outputs':
      return
  }
}
