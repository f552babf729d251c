import type { Federation } from '../../../specs/federation/index.ts'
import { SildInputError, type JsonPath } from '../../../specs/source-file/index.ts'
import type { CallOverride, Translations } from '../types.ts'
import type { Locator } from './locator.ts'

/** The document as the official schema guarantees it (only the parts the loader reads). */
export type RawDocument = {
  arazzo: string
  info: { title: string; version: string; description?: string; 'x-sild-i18n'?: Translations }
  sourceDescriptions: RawSource[]
  workflows: RawWorkflow[]
  components?: RawComponents
}

export type RawSource = {
  name: string
  url: string
  type?: 'openapi' | 'arazzo'
  'x-sild-service'?: string
}

export type RawReference = { reference: string; value?: unknown }
export type RawParameter = { name: string; in?: string; value: unknown }
export type RawCriterion = {
  condition: string
  context?: string
  type?: string | { type: string; version: string }
}
export type RawAction = {
  name: string
  type: 'end' | 'goto' | 'retry'
  stepId?: string
  workflowId?: string
  retryAfter?: number
  retryLimit?: number
  criteria?: RawCriterion[]
}

export type RawChecks = { disable?: string[] }

export type RawStep = {
  stepId: string
  description?: string
  'x-sild-i18n'?: Translations
  operationId?: string
  operationPath?: string
  workflowId?: string
  parameters?: Array<RawParameter | RawReference>
  requestBody?: {
    contentType?: string
    payload?: unknown
    replacements?: Array<{ target: string; value: unknown }>
  }
  successCriteria?: RawCriterion[]
  onSuccess?: Array<RawAction | RawReference>
  onFailure?: Array<RawAction | RawReference>
  outputs?: Record<string, string>
  'x-sild-client'?: string
  'x-sild-expect'?: { error?: string; status?: number }
  'x-sild-call'?: CallOverride
  'x-sild-checks'?: RawChecks
}

export type RawWorkflow = {
  workflowId: string
  summary?: string
  description?: string
  'x-sild-i18n'?: Translations
  inputs?: Record<string, unknown>
  dependsOn?: string[]
  steps: RawStep[]
  successActions?: Array<RawAction | RawReference>
  failureActions?: Array<RawAction | RawReference>
  outputs?: Record<string, string>
  parameters?: Array<RawParameter | RawReference>
  'x-sild-client'?: string
  'x-sild-profile'?: string
  'x-sild-checks'?: RawChecks
}

export type RawComponents = {
  inputs?: Record<string, unknown>
  parameters?: Record<string, RawParameter>
  successActions?: Record<string, RawAction>
  failureActions?: Record<string, RawAction>
}

/** What every resolution step needs: the document, where things are, and the federation. */
export type Context = {
  file: string
  doc: RawDocument
  locate: Locator
  federation: Federation
  /** The subsystem that calls when a step names no caller, if any does. */
  defaultClient?: string
  /** Throws a SildInputError at the value at `path` (moved `offset` characters into it). */
  fail(message: string, path: JsonPath, hint: string, offset?: number): never
}

export const createContext = (
  file: string,
  doc: RawDocument,
  locate: Locator,
  federation: Federation,
  defaultClient?: string,
): Context => ({
  file,
  doc,
  locate,
  federation,
  ...(defaultClient ? { defaultClient } : {}),
  fail: (message, path, hint, offset) => {
    throw new SildInputError(message, locate.value(path, offset), hint)
  },
})

export const isReference = (value: object): value is RawReference => 'reference' in value
