import { dirname, relative, resolve } from 'node:path'
import type { Federation, ServiceModel } from '../../specs/federation/index.ts'
import { escapePointer, loadSpec } from '../../specs/openapi/index.ts'
import { UXP_HEADER_DISPLAY } from '../../specs/protocol/uxp/index.ts'
import { XROAD_HEADER_DISPLAY } from '../../specs/protocol/xroad-headers/index.ts'
import type { RecordedExchange } from './logged.ts'
import { shapeOf, volatileReason } from './volatile.ts'

export type RecordOptions = {
  federation: Federation
  /** Where the scenario will be written: source urls are relative to it. */
  scenarioFile: string
  title?: string
  /** At most this many body checks per step; the rest are left out (and said so). */
  maxChecksPerStep?: number
  /** What the message log writes in place of a secret (mocks/message-log's REDACTED). */
  redacted?: string
}

/** A recorded scenario and what recording it left out or turned into shape checks. */
export type Recording = {
  document: Record<string, unknown>
  steps: number
  /** Fields whose value changes from run to run, checked by their shape. */
  shapeChecks: number
  notes: string[]
}

/** Headers a client sets for its own reasons, which a replay sends again. */
const REPLAYED_HEADERS = [
  'x-road-userid',
  'x-road-issue',
  'x-road-represented-party',
  'uxp-purpose-ids',
  'uxp-subject-id',
  'accept',
]

// A runtime expression ends at blank space or an operator character: keys holding one cannot be
// named in a simple condition.
const EXPRESSION_SAFE = /^[^\s()<>=!&|'"]*$/
const MAX_VALUE_LENGTH = 300

/**
 * Turns recorded exchanges into an Arazzo 1.0.1 scenario that replays them: each exchange a step
 * whose success criteria are the recorded answer — status, media type and every body field, with
 * volatile fields (ids, timestamps, hashes) checked by their shape instead of their value, and
 * later requests that reuse such a value taking it from the step that produced it.
 */
export const recordScenario = async (
  exchanges: readonly RecordedExchange[],
  {
    federation,
    scenarioFile,
    title,
    maxChecksPerStep = 60,
    redacted = '[REDACTED]',
  }: RecordOptions,
): Promise<Recording> => {
  const notes: string[] = []
  // Secrets the log redacted (session tokens) cannot be replayed as recorded; the step that issued
  // one is asked for it again, and later requests send what it answers.
  let lastSecret: string | undefined
  const sources = new Map<string, RecordedSource>()
  const steps: Array<Record<string, unknown>> = []
  const produced = new Map<string, string>()
  const stepCount = new Map<string, number>()
  let shapeChecks = 0
  for (const exchange of exchanges) {
    const service = exchange.service ? federation.service(exchange.service) : undefined
    if (!exchange.client || !service) {
      notes.push(
        `${exchange.origin}: skipped, ${exchange.client ? `service ${exchange.service ?? '(none)'} is not in the federation` : 'the request named no client the security server could read'}`,
      )
      continue
    }
    const spec = await loadSpec(service.specFile)
    const [path = '', search = ''] = splitQuery(exchange.path)
    // A call to the service's root (`/r1/…/SERVICE` with nothing after it) is a call to `/`.
    const pathname = path || '/'
    const match = spec.match(exchange.method, pathname)
    if (!match) {
      notes.push(
        `${exchange.origin}: skipped, ${exchange.method} ${pathname} is no operation of ${service.id}`,
      )
      continue
    }
    const source = sourceFor(sources, service, scenarioFile, federation)
    const operationId = match.operation.operationId
    const n = (stepCount.get(operationId) ?? 0) + 1
    stepCount.set(operationId, n)
    const stepId = `${operationId}${n}`
    const reuse = (value: string): string => produced.get(value) ?? value
    const embed = (value: string): string => {
      let text = value
      for (const [recorded, expression] of produced) {
        if (recorded.length >= 8 && text.includes(recorded)) {
          text = text.split(recorded).join(`{${expression}}`)
        }
      }
      return text
    }
    const authorization = authorizationOf(exchange, redacted, lastSecret, embed)
    if (authorization === null) {
      notes.push(
        `${exchange.origin}: its Authorization header is not replayed (a secret no earlier step issued)`,
      )
    }
    const parameters: Array<Record<string, unknown>> = [
      ...Object.entries(match.pathParams).map(([name, value]) => ({
        name,
        in: 'path',
        value: reuse(decodeURIComponent(value)),
      })),
      ...[...new URLSearchParams(search)].map(([name, value]) => ({
        name,
        in: 'query',
        value: reuse(value),
      })),
      ...clientHeaders(exchange, service),
      ...replayedHeaders(match.operation.parameters).flatMap(({ name, display }) => {
        const value = exchange.requestHeaders[name]
        return value === undefined || (name === 'accept' && value === 'application/json')
          ? []
          : [{ name: display, in: 'header', value: embed(value) }]
      }),
      ...(authorization ? [{ name: 'Authorization', in: 'header', value: authorization }] : []),
    ]
    const step: Record<string, unknown> = {
      stepId,
      description: `Recorded from ${exchange.origin}: ${exchange.method} ${exchange.path} → ${exchange.status}`,
      operationId: `$sourceDescriptions.${source.name}.${operationId}`,
    }
    if (parameters.length) step.parameters = parameters
    const body = requestBodyOf(exchange, reuse)
    if (body) step.requestBody = body
    if (exchange.fault) {
      step['x-sild-expect'] = { error: exchange.fault.code, status: exchange.status }
      step.successCriteria = [{ condition: `$statusCode == ${exchange.status}` }]
    } else {
      const expectations = expectationsOf(exchange, maxChecksPerStep, redacted)
      shapeChecks += expectations.shapeChecks
      if (expectations.cut) {
        notes.push(`${exchange.origin}: checked the first ${maxChecksPerStep} body fields only`)
      }
      step.successCriteria = expectations.criteria
      if (Object.keys(expectations.outputs).length) {
        step.outputs = expectations.outputs
        for (const [name, value] of Object.entries(expectations.produced)) {
          const expression = `$steps.${stepId}.outputs.${name}`
          if (value === redacted) lastSecret = expression
          else if (!produced.has(value)) produced.set(value, expression)
        }
      }
    }
    steps.push(step)
  }
  // Every recorded step runs, whatever the one before it found: a replay lists all differences.
  steps.forEach((step, i) => {
    const next = steps[i + 1]
    step.onFailure = [
      next ? { name: 'carryOn', type: 'goto', stepId: next.stepId } : { name: 'done', type: 'end' },
    ]
  })
  const document = {
    arazzo: '1.0.1',
    info: {
      title: title ?? `Recorded exchanges (${steps.length})`,
      version: '1.0.0',
      description:
        'Recorded by sild record: each step replays one exchange and expects the recorded answer. Fields that change from run to run are checked by their shape.',
    },
    sourceDescriptions: [...sources.values()],
    workflows: [{ workflowId: 'replay', summary: 'The recorded exchanges, in order', steps }],
  }
  return { document, steps: steps.length, shapeChecks, notes }
}

/**
 * The Authorization header to replay: one the log redacted takes the secret an earlier step issued
 * (`null` when none did); one recorded in clear (a HAR file) is replayed only where it carries a
 * value an earlier step produced, never as a literal secret.
 */
const authorizationOf = (
  exchange: RecordedExchange,
  redacted: string,
  lastSecret: string | undefined,
  embed: (value: string) => string,
): string | undefined | null => {
  const value = exchange.requestHeaders.authorization
  if (value === undefined) return undefined
  if (value.includes(redacted)) return lastSecret ? `Bearer {${lastSecret}}` : null
  const embedded = embed(value)
  return embedded === value ? null : embedded
}

/** The client's own protocol headers, as standard header parameters any Arazzo runner sends. */
const clientHeaders = (exchange: RecordedExchange, service: ServiceModel) =>
  exchange.protocol === 'uxp-rest'
    ? [
        { name: UXP_HEADER_DISPLAY.client, in: 'header', value: exchange.client },
        { name: UXP_HEADER_DISPLAY.service, in: 'header', value: service.key },
      ]
    : [{ name: XROAD_HEADER_DISPLAY.client, in: 'header', value: exchange.client }]

/** The headers a replay sends again: the protocol's optional ones and those the operation declares. */
const replayedHeaders = (parameters: ReadonlyArray<{ name: string; in: string }>) => {
  const declared = parameters
    .filter((p) => p.in === 'header')
    .map((p) => ({ name: p.name.toLowerCase(), display: p.name }))
  return [
    ...REPLAYED_HEADERS.filter((name) => !declared.some((d) => d.name === name)).map((name) => ({
      name,
      display: displayHeader(name),
    })),
    ...declared,
  ]
}

const splitQuery = (path: string): [string, string] => {
  const i = path.indexOf('?')
  return i < 0 ? [path, ''] : [path.slice(0, i), path.slice(i + 1)]
}

const displayHeader = (name: string): string =>
  name
    .split('-')
    .map((part) => (part === 'userid' ? 'UserId' : part.charAt(0).toUpperCase() + part.slice(1)))
    .join('-')

type RecordedSource = { name: string; url: string; type: 'openapi'; 'x-sild-service'?: string }

const sourceFor = (
  sources: Map<string, RecordedSource>,
  service: ServiceModel,
  scenarioFile: string,
  federation: Federation,
) => {
  const existing = sources.get(service.key)
  if (existing) return existing
  const name = service.id.replace(/[^A-Za-z0-9_-]+/g, '-')
  // The spec file names the service, unless services share it.
  const shared = federation.services.filter((s) => s.specFile === service.specFile).length > 1
  const source: RecordedSource = {
    name,
    url: relative(dirname(resolve(scenarioFile)), service.specFile)
      .split('\\')
      .join('/'),
    type: 'openapi',
    ...(shared ? { 'x-sild-service': service.id } : {}),
  }
  sources.set(service.key, source)
  return source
}

const requestBodyOf = (
  exchange: RecordedExchange,
  reuse: (value: string) => string,
): Record<string, unknown> | undefined => {
  if (exchange.requestBody === undefined || exchange.requestBody === '') return undefined
  const contentType = exchange.requestHeaders['content-type'] ?? 'application/json'
  if (!/json/i.test(contentType)) return { contentType, payload: exchange.requestBody }
  try {
    const payload = replaceStrings(JSON.parse(exchange.requestBody) as unknown, reuse)
    return { contentType, payload }
  } catch {
    return { contentType, payload: exchange.requestBody }
  }
}

const replaceStrings = (value: unknown, reuse: (value: string) => string): unknown => {
  if (typeof value === 'string') return reuse(value)
  if (Array.isArray(value)) return value.map((v) => replaceStrings(v, reuse))
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceStrings(v, reuse)]))
  }
  return value
}

type Expectations = {
  criteria: Array<Record<string, unknown>>
  outputs: Record<string, string>
  /** Output name → the recorded value it carries. */
  produced: Record<string, string>
  shapeChecks: number
  cut: boolean
}

const expectationsOf = (
  exchange: RecordedExchange,
  max: number,
  redacted: string,
): Expectations => {
  const criteria: Array<Record<string, unknown>> = [
    { condition: `$statusCode == ${exchange.status}` },
  ]
  const out: Expectations = { criteria, outputs: {}, produced: {}, shapeChecks: 0, cut: false }
  const mediaType = (exchange.responseHeaders['content-type'] ?? '').split(';')[0]?.trim()
  if (mediaType) {
    criteria.push({
      context: '$response.header.Content-Type',
      condition: `^${escapeRegex(mediaType)}`,
      type: 'regex',
    })
  }
  if (!mediaType || !/json/i.test(mediaType) || !exchange.responseBody) return out
  let body: unknown
  try {
    body = JSON.parse(exchange.responseBody)
  } catch {
    return out
  }
  let checks = 0
  for (const { pointer, key, value } of leavesOf(body)) {
    if (!EXPRESSION_SAFE.test(pointer)) continue
    if (checks >= max) {
      out.cut = true
      break
    }
    const expression = `$response.body#${pointer}`
    const reason = value === redacted ? 'secret' : volatileReason(key, value)
    if (reason === 'secret') {
      criteria.push({ context: expression, condition: '.', type: 'regex' })
      out.shapeChecks++
      const name = outputName(pointer, out.outputs)
      out.outputs[name] = expression
      out.produced[name] = redacted
    } else if (reason && typeof value === 'string') {
      criteria.push({ context: expression, condition: shapeOf(value), type: 'regex' })
      out.shapeChecks++
      const name = outputName(pointer, out.outputs)
      out.outputs[name] = expression
      out.produced[name] = value
    } else if (typeof value === 'string') {
      if (value.length > MAX_VALUE_LENGTH) continue
      criteria.push({ condition: `${expression} == '${value.replace(/'/g, "''")}'` })
    } else if (reason) {
      continue
    } else {
      criteria.push({ condition: `${expression} == ${JSON.stringify(value)}` })
    }
    checks++
  }
  return out
}

type Leaf = { pointer: string; key: string; value: string | number | boolean | null }

const leavesOf = (node: unknown, pointer = '', key = ''): Leaf[] => {
  if (node === null || typeof node !== 'object') {
    return pointer === '' ? [] : [{ pointer, key, value: node as Leaf['value'] }]
  }
  const entries = Array.isArray(node)
    ? node.map((v, i) => [String(i), v] as const)
    : Object.entries(node as Record<string, unknown>)
  return entries.flatMap(([k, v]) =>
    leavesOf(v, `${pointer}/${escapePointer(k)}`, Array.isArray(node) ? key : k),
  )
}

const outputName = (pointer: string, taken: Record<string, string>): string => {
  const base =
    pointer
      .split('/')
      .filter(Boolean)
      .map((p, i) => (i === 0 ? p : p.charAt(0).toUpperCase() + p.slice(1)))
      .join('')
      .replace(/[^A-Za-z0-9_]/g, '') || 'value'
  let name = base
  for (let i = 2; name in taken; i++) name = `${base}${i}`
  return name
}

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
