import { fileURLToPath } from 'node:url'
import { dereference } from '@apidevtools/json-schema-ref-parser'
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { addIdentifierFormats } from '../../formats/index.ts'

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const

type Json = Record<string, unknown>
type Ajv = Ajv2020

/** One named example of a spec with the schema it must satisfy. */
export type ExampleCase = { operationId: string; where: string; schema: Json; value: unknown }

/** An Estonian service spec with its external `$ref`s resolved, and validators for its payloads. */
export type EeContract = {
  document: Json
  /** Every named example of parameters, request bodies and responses. */
  examples: ExampleCase[]
  /** Schema errors of `body` as a `status` response of `operationId`; [] when it conforms. */
  responseErrors(operationId: string, status: number, body: unknown): string[]
  /** Schema errors of `value` against any schema. */
  errors(schema: Json, value: unknown): string[]
}

const createAjv = (): Ajv => {
  const ajv = new Ajv2020({
    allErrors: true,
    strict: true,
    strictTypes: false,
    strictRequired: false,
  })
  ajv.addVocabulary(['discriminator', 'xml', 'externalDocs', 'example'])
  addFormats.default(ajv)
  return addIdentifierFormats(ajv)
}

const operations = (document: Json) =>
  Object.entries((document.paths ?? {}) as Record<string, Json>).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((method) => ({ path, method, op: item[method] as Json })),
  )

const namedExamples = (holder: Json, schema: Json, operationId: string, where: string) =>
  Object.entries((holder.examples ?? {}) as Record<string, Json>).map(([name, example]) => ({
    operationId,
    where: `${where} example ${name}`,
    schema,
    value: example.value,
  }))

const collectExamples = (document: Json): ExampleCase[] =>
  operations(document).flatMap(({ path, method, op }) => {
    const id = String(op.operationId)
    const at = `${method.toUpperCase()} ${path}`
    const params = ((op.parameters ?? []) as Json[]).flatMap((p) =>
      namedExamples(p, p.schema as Json, id, `${at} parameter ${String(p.name)}`),
    )
    const content = (holder: Json | undefined, where: string) =>
      Object.entries((holder?.content ?? {}) as Record<string, Json>).flatMap(([type, media]) =>
        namedExamples(media, media.schema as Json, id, `${where} ${type}`),
      )
    const responses = Object.entries((op.responses ?? {}) as Record<string, Json>).flatMap(
      ([status, response]) => content(response, `${at} response ${status}`),
    )
    return [
      ...params,
      ...content(op.requestBody as Json | undefined, `${at} request`),
      ...responses,
    ]
  })

/** Loads `specs/ee/<file>` (e.g. `population-register.yaml`) and compiles its validators. */
export const loadEeContract = async (file: string): Promise<EeContract> => {
  const path = fileURLToPath(new URL(`../${file}`, import.meta.url))
  const document = (await dereference(path)) as Json
  const ajv = createAjv()
  const errors = (schema: Json, value: unknown): string[] => {
    const validate = ajv.compile(schema)
    return validate(value)
      ? []
      : (validate.errors ?? []).map(
          (e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? ''}`,
        )
  }
  const responseErrors = (operationId: string, status: number, body: unknown): string[] => {
    const found = operations(document).find(({ op }) => op.operationId === operationId)
    if (!found) return [`no operation ${operationId}`]
    const response = (found.op.responses as Record<string, Json>)[String(status)]
    if (!response) return [`${operationId} declares no ${status} response`]
    const media = Object.values((response.content ?? {}) as Record<string, Json>)[0]
    if (!media) return body === undefined ? [] : [`${operationId} ${status} declares no body`]
    return errors(media.schema as Json, body)
  }
  return { document, examples: collectExamples(document), responseErrors, errors }
}
