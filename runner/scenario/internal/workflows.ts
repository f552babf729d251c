import type { OperationModel } from '../../../specs/openapi/index.ts'
import { escapePointer } from '../../../specs/openapi/index.ts'
import type {
  Action,
  Criterion,
  ElementPath,
  Parameter,
  Source,
  Step,
  StepTarget,
  Workflow,
} from '../types.ts'
import {
  isReference,
  type Context,
  type RawAction,
  type RawCriterion,
  type RawParameter,
  type RawReference,
  type RawStep,
  type RawWorkflow,
} from './context.ts'
import {
  declaredInputs,
  inputDefaults,
  inputsSchemaOf,
  propertiesOf,
  type InputOverrides,
} from './inputs.ts'
import { didYouMean, listOf } from './suggest.ts'

const CLIENT_HINT =
  'x-sild-client names the calling subsystem, INSTANCE/CLASS/MEMBER/SUBSYSTEM, declared in the federation or a partner file.'
const NO_CLIENT_HINT =
  'Add an X-Road-Client header parameter (Uxp-Client and Uxp-Service for Trembita) whose value is the calling subsystem INSTANCE/CLASS/MEMBER/SUBSYSTEM, to the step or to its workflow; x-sild-client is a shorthand for it.'
const OPERATION_HINT =
  "Use an operationId of one of the scenario's OpenAPI sources, or $sourceDescriptions.NAME.operationId to pick the source."
const EXTERNAL_WORKFLOW_HINT =
  'Sild runs the workflows of the scenario file itself; copy the workflow into this file and refer to it by its workflowId.'

/** The header parameters that name the calling subsystem, in X-Road and in Trembita/UXP. */
export const CLIENT_HEADER = /^(x-road-client|uxp-client)$/i

/** Builds the workflows of the document with every reference resolved and checked. */
export const buildWorkflows = (
  ctx: Context,
  sources: Source[],
  overrides: InputOverrides,
): Workflow[] => {
  const raws = ctx.doc.workflows
  assertUnique(
    ctx,
    raws.map((w, i) => ({ id: w.workflowId, path: ['workflows', i, 'workflowId'] })),
    'workflowId',
  )
  const byId = new Map(raws.map((w) => [w.workflowId, w]))
  const workflows = raws.map((raw, i) =>
    buildWorkflow(ctx, raw, ['workflows', i], sources, byId, overrides),
  )
  assertNoCycles(ctx, raws)
  return workflows
}

const buildWorkflow = (
  ctx: Context,
  raw: RawWorkflow,
  path: ElementPath,
  sources: Source[],
  byId: Map<string, RawWorkflow>,
  overrides: InputOverrides,
): Workflow => {
  assertUnique(
    ctx,
    raw.steps.map((s, j) => ({ id: s.stepId, path: [...path, 'steps', j, 'stepId'] })),
    'stepId',
  )
  raw.dependsOn?.forEach((id, k) =>
    assertWorkflowExists(ctx, id, [...path, 'dependsOn', k], byId, 'dependsOn'),
  )
  if (raw['x-sild-client'] !== undefined) {
    assertClient(ctx, raw['x-sild-client'], [...path, 'x-sild-client'])
  }
  const inputsSchema = inputsSchemaOf(ctx, raw, path)
  const parameters = (raw.parameters ?? []).map((p, k) =>
    resolveParameter(ctx, p, [...path, 'parameters', k]),
  )
  const used = new Set<LoadingParameter>()
  const steps = raw.steps.map((step, j) =>
    buildStep(ctx, step, [...path, 'steps', j], raw, parameters, used, sources, byId),
  )
  parameters.forEach((p) => {
    if (used.has(p)) return
    ctx.fail(
      `workflow parameter "${p.name}"${p.in ? ` (in: ${p.in})` : ''} applies to none of the workflow's steps`,
      p.usedAt,
      'A workflow parameter must be a parameter of an operation its steps call (or, without "in", an input of a workflow they call).',
    )
  })
  const checks = raw['x-sild-checks']
  return {
    workflowId: raw.workflowId,
    summary: raw.summary,
    description: raw.description,
    ...(raw['x-sild-i18n'] ? { translations: raw['x-sild-i18n'] } : {}),
    client: raw['x-sild-client'] ?? clientNamed(ctx, parameters),
    profile: raw['x-sild-profile'],
    checks: checks ? { disable: [...(checks.disable ?? [])] } : undefined,
    inputsSchema,
    inputDefaults: inputDefaults(raw.workflowId, inputsSchema, overrides),
    inputNames: Object.keys(propertiesOf(inputsSchema)),
    dependsOn: [...(raw.dependsOn ?? [])],
    parameters: parameters.map(strip),
    steps,
    outputs: { ...(raw.outputs ?? {}) },
    successActions: (raw.successActions ?? []).map((a, k) =>
      resolveAction(ctx, a, [...path, 'successActions', k], 'success', raw, byId),
    ),
    failureActions: (raw.failureActions ?? []).map((a, k) =>
      resolveAction(ctx, a, [...path, 'failureActions', k], 'failure', raw, byId),
    ),
    path,
  }
}

/** A parameter during loading: `usedAt` is its name (or reference) in the step, for errors about its use. */
type LoadingParameter = Omit<Parameter, 'in'> & { in?: string; usedAt: ElementPath }

const strip = ({ usedAt: _, ...parameter }: LoadingParameter): Parameter => parameter as Parameter

const buildStep = (
  ctx: Context,
  raw: RawStep,
  path: ElementPath,
  workflow: RawWorkflow,
  workflowParameters: LoadingParameter[],
  used: Set<LoadingParameter>,
  sources: Source[],
  byId: Map<string, RawWorkflow>,
): Step => {
  if (raw['x-sild-client'] !== undefined) {
    assertClient(ctx, raw['x-sild-client'], [...path, 'x-sild-client'])
  }
  const target = resolveTarget(ctx, raw, path, sources, byId)
  const own = (raw.parameters ?? []).map((p, k) =>
    resolveParameter(ctx, p, [...path, 'parameters', k]),
  )
  let parameters =
    target.kind === 'operation'
      ? operationParameters(ctx, raw, path, target.operation, own, workflowParameters, used)
      : workflowStepParameters(ctx, target.workflowId, own, workflowParameters, used, byId)
  // A Uxp-Service parameter naming the step's own service says what Sild sends anyway; left to
  // Sild, the header follows the service when a partner's implementation takes its place.
  if (target.kind === 'operation') {
    parameters = parameters.filter(
      (p) =>
        !(p.in === 'header' && /^uxp-service$/i.test(p.name) && p.value === target.service.key),
    )
  }
  // A client header parameter names the caller; x-sild-client says it where the header does not
  // (it is left out or malformed on purpose) or is a shorthand for it.
  const client =
    raw['x-sild-client'] ??
    workflow['x-sild-client'] ??
    clientNamed(ctx, parameters) ??
    (parameters.some((p) => p.in === 'header' && CLIENT_HEADER.test(p.name))
      ? undefined
      : ctx.defaultClient)
  // A direct service is called at its own address: no security server needs to know the caller.
  if (target.kind === 'operation' && client === undefined && !target.service.direct) {
    assertClientHeaderRoutes(ctx, raw, path, target.operationId, parameters)
  }
  if (target.kind === 'operation' && raw.requestBody) {
    assertBodyFits(ctx, raw, path, target.operation)
  }
  const workflowChecks = workflow['x-sild-checks']?.disable ?? []
  const stepChecks = raw['x-sild-checks']?.disable ?? []
  const checks =
    workflow['x-sild-checks'] || raw['x-sild-checks']
      ? { disable: [...new Set([...workflowChecks, ...stepChecks])] }
      : undefined
  return {
    stepId: raw.stepId,
    description: raw.description,
    ...(raw['x-sild-i18n'] ? { translations: raw['x-sild-i18n'] } : {}),
    client,
    target,
    parameters: parameters.map(strip),
    requestBody: raw.requestBody ? structuredClone(raw.requestBody) : undefined,
    successCriteria: (raw.successCriteria ?? []).map((c, k) =>
      criterionOf(c, [...path, 'successCriteria', k]),
    ),
    onSuccess: (raw.onSuccess ?? []).map((a, k) =>
      resolveAction(ctx, a, [...path, 'onSuccess', k], 'success', workflow, byId),
    ),
    onFailure: (raw.onFailure ?? []).map((a, k) =>
      resolveAction(ctx, a, [...path, 'onFailure', k], 'failure', workflow, byId),
    ),
    outputs: { ...(raw.outputs ?? {}) },
    expect: raw['x-sild-expect'] ? { ...raw['x-sild-expect'] } : undefined,
    call: raw['x-sild-call'] ? structuredClone(raw['x-sild-call']) : undefined,
    checks,
    path,
  }
}

const resolveTarget = (
  ctx: Context,
  raw: RawStep,
  path: ElementPath,
  sources: Source[],
  byId: Map<string, RawWorkflow>,
): StepTarget => {
  if (raw.workflowId !== undefined) {
    assertWorkflowExists(ctx, raw.workflowId, [...path, 'workflowId'], byId, 'step')
    return { kind: 'workflow', workflowId: raw.workflowId }
  }
  if (raw.operationPath !== undefined) {
    return byOperationPath(ctx, raw.operationPath, [...path, 'operationPath'], sources)
  }
  return byOperationId(ctx, raw.operationId ?? '', [...path, 'operationId'], sources)
}

const openapiSources = (sources: Source[]) => sources.filter((s) => s.spec && s.service)

const operationTarget = (source: Source, operation: OperationModel): StepTarget => ({
  kind: 'operation',
  source,
  operationId: operation.operationId,
  // Both are set on every openapi source (resolveSources binds them).
  service: source.service!,
  spec: source.spec!,
  operation,
})

const byOperationId = (
  ctx: Context,
  text: string,
  path: ElementPath,
  sources: Source[],
): StepTarget => {
  const qualified = /^\$sourceDescriptions\.([A-Za-z0-9_-]+)\.(.+)$/.exec(text)
  if (text.startsWith('$sourceDescriptions') && !qualified) {
    ctx.fail(
      `operationId "${text}" is not $sourceDescriptions.NAME.operationId`,
      path,
      OPERATION_HINT,
    )
  }
  if (qualified) {
    const [, name = '', operationId = ''] = qualified
    const source = sourceNamed(ctx, name, path, sources, '$sourceDescriptions.'.length)
    const operation = source.spec?.operation(operationId)
    if (!operation) {
      const known = source.spec?.operations.map((o) => o.operationId) ?? []
      ctx.fail(
        `unknown operationId "${operationId}" in source "${name}"${didYouMean(operationId, known)}; known: ${listOf(known)}`,
        path,
        OPERATION_HINT,
        '$sourceDescriptions.'.length + name.length + 1,
      )
    }
    return operationTarget(source, operation)
  }
  const candidates = openapiSources(sources)
  const hits = candidates.flatMap((source) => {
    const operation = source.spec?.operation(text)
    return operation ? [{ source, operation }] : []
  })
  const [hit] = hits
  if (!hit) {
    const known = [
      ...new Set(candidates.flatMap((s) => s.spec?.operations.map((o) => o.operationId) ?? [])),
    ]
    ctx.fail(
      `unknown operationId "${text}" in source${candidates.length === 1 ? '' : 's'} ${candidates
        .map((s) => s.name)
        .join(', ')}${didYouMean(text, known)}; known: ${listOf(known)}`,
      path,
      OPERATION_HINT,
    )
  }
  if (hits.length > 1) {
    ctx.fail(
      `operationId "${text}" is in several sources (${hits.map((h) => h.source.name).join(', ')})`,
      path,
      `Say which one: $sourceDescriptions.${hit.source.name}.${text}.`,
    )
  }
  return operationTarget(hit.source, hit.operation)
}

const byOperationPath = (
  ctx: Context,
  text: string,
  path: ElementPath,
  sources: Source[],
): StepTarget => {
  const match = /^\{\$sourceDescriptions\.([A-Za-z0-9_-]+)\.url\}#(\/.*)$/.exec(text)
  if (!match) {
    ctx.fail(
      `operationPath "${text}" is not {$sourceDescriptions.NAME.url}#/paths/…/METHOD`,
      path,
      'Example: {$sourceDescriptions.population.url}#/paths/~1persons~1{code}/get',
    )
  }
  const [, name = '', pointer = ''] = match
  const source = sourceNamed(ctx, name, path, sources, '{$sourceDescriptions.'.length)
  const segments = pointer
    .slice(1)
    .split('/')
    .map((s) => safeDecode(s).replace(/~1/g, '/').replace(/~0/g, '~'))
  const normalized = `/${segments.map(escapePointer).join('/')}`
  const operation = source.spec?.operations.find((o) => o.pointer === normalized)
  if (!operation) {
    const known = source.spec?.operations.map((o) => `${o.method} ${o.pathTemplate}`) ?? []
    ctx.fail(
      `operationPath "#${pointer}" names no operation of source "${name}"; its operations: ${listOf(known)}`,
      path,
      'The pointer is /paths/, the path template with "/" written as "~1", then the method in lower case.',
      text.indexOf('#'),
    )
  }
  return operationTarget(source, operation)
}

const sourceNamed = (
  ctx: Context,
  name: string,
  path: ElementPath,
  sources: Source[],
  offset: number,
): Source => {
  const source = sources.find((s) => s.name === name)
  const names = sources.map((s) => s.name)
  if (!source) {
    ctx.fail(
      `unknown source description "${name}"${didYouMean(name, names)}; known: ${listOf(names)}`,
      path,
      'Name a source of sourceDescriptions.',
      offset,
    )
  }
  if (source.type !== 'openapi') {
    ctx.fail(
      `source "${name}" is an Arazzo document, not an OpenAPI one`,
      path,
      EXTERNAL_WORKFLOW_HINT,
      offset,
    )
  }
  return source
}

const resolveParameter = (
  ctx: Context,
  raw: RawParameter | RawReference,
  path: ElementPath,
): LoadingParameter => {
  if (!isReference(raw)) {
    return { name: raw.name, in: raw.in, value: raw.value, path, usedAt: [...path, 'name'] }
  }
  const component = componentOf(ctx, raw.reference, 'parameters', [...path, 'reference'])
  const parameter = component.value as RawParameter
  const overridden = 'value' in raw
  return {
    name: parameter.name,
    in: parameter.in,
    value: overridden ? raw.value : parameter.value,
    path: overridden ? path : component.path,
    usedAt: [...path, 'reference'],
  }
}

const componentOf = (
  ctx: Context,
  reference: string,
  field: 'parameters' | 'successActions' | 'failureActions',
  path: ElementPath,
): { value: unknown; path: ElementPath } => {
  const prefix = `$components.${field}.`
  if (!reference.startsWith(prefix)) {
    ctx.fail(
      `reference "${reference}" is not ${prefix}NAME`,
      path,
      `Here a reference names one of components.${field}.`,
    )
  }
  const name = reference.slice(prefix.length)
  const components = (ctx.doc.components?.[field] ?? {}) as Record<string, unknown>
  if (!Object.hasOwn(components, name)) {
    const known = Object.keys(components)
    ctx.fail(
      `unknown component "${name}" in components.${field}${didYouMean(name, known)}; known: ${listOf(known)}`,
      path,
      `Declare it under components.${field} or fix the name.`,
      prefix.length,
    )
  }
  return { value: components[name], path: ['components', field, name] }
}

const operationParameters = (
  ctx: Context,
  raw: RawStep,
  path: ElementPath,
  operation: OperationModel,
  own: LoadingParameter[],
  workflowParameters: LoadingParameter[],
  used: Set<LoadingParameter>,
): LoadingParameter[] => {
  const declared = (p: LoadingParameter) =>
    operation.parameters.find(
      (d) =>
        d.in === p.in &&
        (p.in === 'header' ? d.name.toLowerCase() === p.name.toLowerCase() : d.name === p.name),
    )
  const list = operation.parameters.map((d) => `${d.name} (${d.in})`)
  for (const p of own) {
    if (p.in === undefined) {
      ctx.fail(
        `parameter "${p.name}" needs "in" (path, query, header or cookie)`,
        p.usedAt,
        'An operation step says where each parameter goes.',
      )
    }
    if (p.in === 'body') {
      ctx.fail(
        `"in: body" is not a parameter location in Arazzo 1.0.1`,
        p.usedAt,
        'Send a body with requestBody.',
      )
    }
    // HTTP lets a client send any header, and OpenAPI cannot even declare some (Accept,
    // Content-Type, Authorization), so a header parameter need not be declared.
    if (!declared(p) && p.in !== 'header') {
      const elsewhere = operation.parameters.find((d) => d.name === p.name)
      ctx.fail(
        `operation "${operation.operationId}" has no ${p.in} parameter "${p.name}"${
          elsewhere
            ? ` (it has one in ${elsewhere.in})`
            : didYouMean(
                p.name,
                operation.parameters.map((d) => d.name),
              )
        }; its parameters: ${listOf(list)}`,
        p.usedAt,
        'Use the parameter names and locations of the OpenAPI operation.',
      )
    }
  }
  const key = (p: LoadingParameter) =>
    `${p.in}:${p.in === 'header' ? p.name.toLowerCase() : p.name}`
  const ownKeys = new Set(own.map(key))
  // The workflow's parameters apply to every step (headers always, path and query parameters
  // where the operation has them); the step's own override them.
  const applicable = workflowParameters.filter(
    (p) => p.in !== undefined && (p.in === 'header' || declared(p)),
  )
  applicable.forEach((p) => used.add(p))
  const parameters = [...applicable.filter((p) => !ownKeys.has(key(p))), ...own]
  for (const required of operation.parameters.filter((d) => d.in === 'path')) {
    if (!parameters.some((p) => p.in === 'path' && p.name === required.name)) {
      ctx.fail(
        `step "${raw.stepId}" misses the path parameter "${required.name}" of operation "${operation.operationId}"`,
        path,
        `Add { name: ${required.name}, in: path, value: … } to the step's parameters.`,
      )
    }
  }
  return parameters
}

const workflowStepParameters = (
  ctx: Context,
  workflowId: string,
  own: LoadingParameter[],
  workflowParameters: LoadingParameter[],
  used: Set<LoadingParameter>,
  byId: Map<string, RawWorkflow>,
): LoadingParameter[] => {
  const called = byId.get(workflowId)
  const inputs = called ? declaredInputs(ctx, called) : undefined
  for (const p of own) {
    if (inputs && !inputs.includes(p.name)) {
      ctx.fail(
        `workflow "${workflowId}" has no input "${p.name}"${didYouMean(p.name, inputs)}; its inputs: ${listOf(inputs)}`,
        p.usedAt,
        'The parameters of a workflow step are inputs of the workflow it calls.',
      )
    }
  }
  const names = new Set(own.map((p) => p.name))
  const applicable = workflowParameters.filter(
    (p) => p.in === undefined && (!inputs || inputs.includes(p.name)),
  )
  applicable.forEach((p) => used.add(p))
  return [...applicable.filter((p) => !names.has(p.name)), ...own]
}

const assertBodyFits = (
  ctx: Context,
  raw: RawStep,
  path: ElementPath,
  operation: OperationModel,
): void => {
  // A negative scenario may send what the contract does not allow, to see it refused.
  if (raw['x-sild-expect']) return
  const body = operation.requestBody
  if (!body) {
    ctx.fail(
      `operation "${operation.operationId}" takes no request body`,
      [...path, 'requestBody'],
      'Remove requestBody, or add x-sild-expect if the step sends it on purpose to be refused.',
    )
  }
  const contentType = raw.requestBody?.contentType
  const types = Object.keys(body.content)
  if (
    contentType !== undefined &&
    types.length &&
    !types.includes(contentType.split(';')[0]!.trim().toLowerCase())
  ) {
    ctx.fail(
      `operation "${operation.operationId}" takes no "${contentType}" body; it takes ${listOf(types)}`,
      [...path, 'requestBody', 'contentType'],
      'Use a media type of the operation’s requestBody.',
    )
  }
}

const criterionOf = (raw: RawCriterion, path: ElementPath): Criterion => ({
  condition: raw.condition,
  context: raw.context,
  type:
    raw.type === undefined
      ? undefined
      : typeof raw.type === 'string'
        ? (raw.type as 'simple' | 'regex' | 'jsonpath' | 'xpath')
        : { type: raw.type.type as 'jsonpath' | 'xpath', version: raw.type.version },
  path,
})

const resolveAction = (
  ctx: Context,
  raw: RawAction | RawReference,
  path: ElementPath,
  kind: 'success' | 'failure',
  workflow: RawWorkflow,
  byId: Map<string, RawWorkflow>,
): Action => {
  let action = raw as RawAction
  let at = path
  if (isReference(raw)) {
    const component = componentOf(
      ctx,
      raw.reference,
      kind === 'success' ? 'successActions' : 'failureActions',
      [...path, 'reference'],
    )
    action = component.value as RawAction
    at = component.path
  }
  // Targets are checked where the action is used: a component may be fine for one workflow only.
  const where = (field: string): ElementPath =>
    at === path ? [...path, field] : [...path, 'reference']
  if (action.stepId !== undefined && !workflow.steps.some((s) => s.stepId === action.stepId)) {
    const steps = workflow.steps.map((s) => s.stepId)
    ctx.fail(
      `${action.type} target step "${action.stepId}" is not a step of workflow "${workflow.workflowId}"${didYouMean(
        action.stepId,
        steps,
      )}; its steps: ${listOf(steps)}`,
      where('stepId'),
      'An action can go to a step of the same workflow, or to a workflow with workflowId.',
    )
  }
  if (action.workflowId !== undefined) {
    assertWorkflowExists(ctx, action.workflowId, where('workflowId'), byId, 'action')
  }
  return {
    name: action.name,
    type: action.type,
    stepId: action.stepId,
    workflowId: action.workflowId,
    retryAfter: action.retryAfter,
    retryLimit: action.retryLimit,
    criteria: (action.criteria ?? []).map((c, k) => criterionOf(c, [...at, 'criteria', k])),
    path: at,
  }
}

/** The subsystem a literal client header parameter names, when it is one of the federation. */
const clientNamed = (ctx: Context, parameters: LoadingParameter[]): string | undefined => {
  const header = parameters.findLast((p) => p.in === 'header' && CLIENT_HEADER.test(p.name))
  return typeof header?.value === 'string' && ctx.federation.subsystem(header.value)
    ? header.value
    : undefined
}

// Without a known subsystem, the client header must at least name an instance (or be a runtime
// expression, resolved when the step runs) so that Sild knows which security server to call.
const assertClientHeaderRoutes = (
  ctx: Context,
  raw: RawStep,
  path: ElementPath,
  operationId: string,
  parameters: LoadingParameter[],
): void => {
  const header = parameters.findLast((p) => p.in === 'header' && CLIENT_HEADER.test(p.name))
  if (!header) {
    ctx.fail(
      `step "${raw.stepId}" calls operation "${operationId}" but names no calling subsystem`,
      path,
      NO_CLIENT_HINT,
    )
  }
  if (typeof header.value !== 'string' || header.value.startsWith('$')) return
  const instance = header.value.split('/')[0] ?? ''
  if (ctx.federation.instance(instance)) return
  ctx.fail(
    `${header.name} "${header.value}" names no instance of the federation, so there is no security server to send it through`,
    [...header.usedAt.slice(0, -1), 'value'],
    `Write INSTANCE/CLASS/MEMBER/SUBSYSTEM with one of the instances ${listOf(
      ctx.federation.instances.map((i) => i.code),
    )}, or add x-sild-client to say which subsystem sends this header.`,
  )
}

const assertClient = (ctx: Context, key: string, path: ElementPath): void => {
  if (ctx.federation.subsystem(key)) return
  const known = ctx.federation.instances.flatMap((i) =>
    i.members.flatMap((m) => m.subsystems.map((s) => s.key)),
  )
  ctx.fail(
    `unknown client subsystem "${key}" in x-sild-client${didYouMean(key, known)}; known subsystems: ${listOf(known)}`,
    path,
    CLIENT_HINT,
  )
}

const assertWorkflowExists = (
  ctx: Context,
  id: string,
  path: ElementPath,
  byId: Map<string, RawWorkflow>,
  usage: 'dependsOn' | 'step' | 'action',
): void => {
  if (id.startsWith('$sourceDescriptions.')) {
    ctx.fail(`workflow "${id}" is in another Arazzo document`, path, EXTERNAL_WORKFLOW_HINT)
  }
  if (byId.has(id)) return
  const known = [...byId.keys()]
  const what =
    usage === 'dependsOn' ? 'dependsOn names' : usage === 'step' ? 'step calls' : 'action goes to'
  ctx.fail(
    `${what} unknown workflow "${id}"${didYouMean(id, known)}; known: ${listOf(known)}`,
    path,
    'Name a workflowId of this scenario.',
  )
}

const assertUnique = (
  ctx: Context,
  items: Array<{ id: string; path: ElementPath }>,
  what: string,
): void => {
  const first = new Map<string, ElementPath>()
  for (const { id, path } of items) {
    const earlier = first.get(id)
    if (earlier) {
      ctx.fail(
        `duplicate ${what} "${id}" (first at line ${ctx.locate.value(earlier).line})`,
        path,
        `Every ${what} must be unique${what === 'stepId' ? ' within its workflow' : ''}.`,
      )
    }
    first.set(id, path)
  }
}

// dependsOn and workflow steps both make a workflow wait for another; a cycle never finishes.
const assertNoCycles = (ctx: Context, raws: RawWorkflow[]): void => {
  const edges = new Map(
    raws.map((w, i) => [
      w.workflowId,
      [
        ...(w.dependsOn ?? []).map((to, k) => ({
          to,
          path: ['workflows', i, 'dependsOn', k] as ElementPath,
        })),
        ...w.steps.flatMap((s, j) =>
          s.workflowId !== undefined
            ? [
                {
                  to: s.workflowId,
                  path: ['workflows', i, 'steps', j, 'workflowId'] as ElementPath,
                },
              ]
            : [],
        ),
      ],
    ]),
  )
  const state = new Map<string, 'open' | 'done'>()
  const trail: string[] = []
  const visit = (id: string): void => {
    state.set(id, 'open')
    trail.push(id)
    for (const edge of edges.get(id) ?? []) {
      if (state.get(edge.to) === 'open') {
        const cycle = [...trail.slice(trail.indexOf(edge.to)), edge.to]
        ctx.fail(
          `workflows wait for each other in a cycle: ${cycle.join(' → ')}`,
          edge.path,
          'Remove one dependsOn entry (or workflow step) of the cycle; a workflow cannot wait for itself.',
        )
      }
      if (!state.has(edge.to)) visit(edge.to)
    }
    trail.pop()
    state.set(id, 'done')
  }
  for (const w of raws) if (!state.has(w.workflowId)) visit(w.workflowId)
}

const safeDecode = (s: string): string => {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}
