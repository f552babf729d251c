import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import type { RunReport } from '../../runner/types.ts'
import { parseSource, SildInputError, type SourceLocation } from '../../specs/source-file/index.ts'
import schema from './sild.report.v1.schema.json' with { type: 'json' }

/** The JSON Schema (2020-12) of the canonical report, `sild.report/v1`. */
export const RUN_REPORT_SCHEMA: object = schema

/** Where a report breaks the schema: a JSON pointer and what is wrong there. */
export type ReportProblem = { pointer: string; message: string }

export type ReportValidation =
  { ok: true; report: RunReport } | { ok: false; problems: ReportProblem[] }

const ajv = new Ajv2020({ allErrors: true, strict: true })
addFormats.default(ajv)
const validate = ajv.compile(schema)
const validateScenario = ajv.compile({ $ref: `${schema.$id}#/$defs/scenarioResult` })

/**
 * Whether a value is one scenario of a valid report: a report is valid when its other fields
 * are with no scenarios and each scenario is, so a large report can be checked a part at a time.
 */
export const isScenarioResult = (value: unknown): boolean => validateScenario(value)

/** Checks that a parsed JSON value is a `sild.report/v1` report; problems come most specific first. */
export const validateRunReport = (value: unknown): ReportValidation => {
  if (validate(value)) return { ok: true, report: value as RunReport }
  const errors = (validate.errors ?? []).filter(
    (e) => !['anyOf', 'oneOf', 'if'].includes(e.keyword),
  )
  const problems = errors
    .map(toProblem)
    .sort((a, b) => b.pointer.split('/').length - a.pointer.split('/').length)
  return { ok: false, problems }
}

const toProblem = (error: ErrorObject): ReportProblem => {
  const params = error.params as Record<string, unknown>
  switch (error.keyword) {
    case 'additionalProperties':
      return {
        pointer: `${error.instancePath}/${String(params.additionalProperty)}`,
        message: `unknown property "${String(params.additionalProperty)}"`,
      }
    case 'required':
      return {
        pointer: error.instancePath,
        message: `missing required property "${String(params.missingProperty)}"`,
      }
    case 'enum':
      return {
        pointer: error.instancePath,
        message: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      }
    case 'const':
      return {
        pointer: error.instancePath,
        message: `must be ${JSON.stringify(params.allowedValue)}`,
      }
    default:
      return { pointer: error.instancePath, message: error.message ?? error.keyword }
  }
}

const HINT =
  'Pass the JSON report that `sild run --report json=PATH` wrote; its shape is reports/schema/sild.report.v1.schema.json.'

/**
 * Parses the text of a JSON report and checks it against the schema; bad input throws one
 * SildInputError at the place in the file where it goes wrong.
 */
export const parseRunReport = (text: string, file: string): RunReport => {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message)?.[1]
    throw new SildInputError(
      `not valid JSON: ${(error as Error).message}`,
      position === undefined ? undefined : locationAt(text, Number(position), file),
      HINT,
    )
  }
  const result = validateRunReport(value)
  if (result.ok) return result.report
  const [first] = result.problems
  const what =
    value &&
    typeof value === 'object' &&
    (value as { schema?: unknown }).schema !== 'sild.report/v1'
      ? 'not a sild.report/v1 report'
      : 'not a valid sild.report/v1 report'
  throw new SildInputError(
    `${what}: ${first?.message ?? 'invalid'}${first?.pointer ? ` at ${first.pointer}` : ''}`,
    first ? parseSource(text, file).locate(first.pointer) : undefined,
    HINT,
  )
}

const locationAt = (text: string, offset: number, file: string): SourceLocation => {
  const before = text.slice(0, offset).split('\n')
  return { file, line: before.length, column: (before.at(-1)?.length ?? 0) + 1 }
}
