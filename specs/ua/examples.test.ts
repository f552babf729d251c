import { readFileSync } from 'node:fs'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { expect, test } from 'vitest'
import { parse } from 'yaml'
import { addIdentifierFormats } from '../formats/index.ts'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>

const FILES = ['demographic-register', 'legal-entities-register', 'diia', 'tax-service'] as const
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace']
const SHARED_PROBLEMS: Record<string, string> = {
  '400': '../common/problem.yaml#/components/responses/BadRequest',
  '404': '../common/problem.yaml#/components/responses/NotFound',
  '409': '../common/problem.yaml#/components/responses/Conflict',
}
// A base for ajv to resolve `../common/problem.yaml` against; nothing is fetched from it.
const BASE = 'https://sild.invalid/specs/'

const load = (path: string): Json => parse(readFileSync(new URL(path, import.meta.url), 'utf8'))
const specs = FILES.map((name) => ({
  name,
  id: `${BASE}ua/${name}.yaml`,
  doc: load(`./${name}.yaml`),
}))

const ajv = addIdentifierFormats(
  new Ajv2020({ strict: false, allErrors: true, validateSchema: false }),
)
addFormats.default(ajv)
ajv.addSchema({ ...load('../common/problem.yaml'), $id: `${BASE}common/problem.yaml` })
for (const { id, doc } of specs) ajv.addSchema({ ...doc, $id: id })

const escape = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1')
const pointer = (segments: string[]) => segments.map(escape).join('/')

/** Follows a `#/…` reference inside the document; external ones are left alone. */
const local = (doc: Json, node: Json, at: string[]): [Json, string[]] => {
  const ref = node?.$ref
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return [node, at]
  const path = ref
    .slice(2)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
  return [path.reduce((n: Json, s) => n?.[s], doc), path]
}

type Operation = { where: string; op: Json; at: string[] }

const operationsOf = (doc: Json): Operation[] =>
  (['paths', 'webhooks'] as const).flatMap((section) =>
    Object.entries<Json>(doc[section] ?? {}).flatMap(([path, item]) =>
      METHODS.filter((m) => item[m]).map((m) => ({
        where: `${m.toUpperCase()} ${path}`,
        op: item[m],
        at: [section, path, m],
      })),
    ),
  )

type Example = { where: string; schemaAt: string[]; name: string; example: Json }

/** Every named example of parameters, request bodies and responses, with where its schema is. */
const examplesOf = (doc: Json): Example[] => {
  const found: Example[] = []
  const collect = (where: string, holder: Json, at: string[]) => {
    for (const [name, example] of Object.entries<Json>(holder?.examples ?? {})) {
      found.push({ where, schemaAt: [...at, 'schema'], name, example })
    }
  }
  const media = (where: string, content: Json, at: string[]) => {
    for (const [type, body] of Object.entries<Json>(content ?? {})) {
      collect(`${where} ${type}`, body, [...at, 'content', type])
    }
  }
  for (const { where, op, at } of operationsOf(doc)) {
    for (const [i, raw] of (op.parameters ?? []).entries()) {
      const [param, paramAt] = local(doc, raw, [...at, 'parameters', String(i)])
      collect(`${where} parameter ${param.name}`, param, paramAt)
    }
    if (op.requestBody) media(`${where} request`, op.requestBody.content, [...at, 'requestBody'])
    for (const [status, raw] of Object.entries<Json>(op.responses ?? {})) {
      const [response, responseAt] = local(doc, raw, [...at, 'responses', status])
      if (!response.$ref) media(`${where} ${status}`, response.content, responseAt)
    }
  }
  return found
}

test('every example in the Ukrainian specs validates against its schema', () => {
  const failures: string[] = []
  let checked = 0
  for (const { name, id, doc } of specs) {
    for (const {
      where,
      schemaAt,
      name: example,
      example: { value },
    } of examplesOf(doc)) {
      const validate = ajv.compile({ $ref: `${id}#/${pointer(schemaAt)}` })
      checked++
      if (!validate(value)) {
        failures.push(`${name} ${where} example "${example}": ${ajv.errorsText(validate.errors)}`)
      }
    }
  }
  expect(failures).toEqual([])
  expect(checked).toBeGreaterThan(40)
})

test('rejects an example with a wrong check digit', () => {
  const doc = specs.find((s) => s.name === 'demographic-register')!
  const validate = ajv.compile({ $ref: `${doc.id}#/components/schemas/Person/properties/unzr` })
  expect(validate('19900314-00234')).toBe(true)
  expect(validate('19900314-00235')).toBe(false)
})

test('every operation has a camelCase operationId, a summary, a description and named examples', () => {
  const problems: string[] = []
  for (const { name, doc } of specs) {
    const examples = examplesOf(doc)
    for (const { where, op } of operationsOf(doc)) {
      if (!/^[a-z][A-Za-z0-9]*$/.test(op.operationId ?? ''))
        problems.push(`${name} ${where}: operationId`)
      if (!op.summary) problems.push(`${name} ${where}: summary`)
      if (!op.description) problems.push(`${name} ${where}: description`)
      if (!examples.some((e) => e.where.startsWith(`${where} `)))
        problems.push(`${name} ${where}: examples`)
    }
    for (const { where, name: example, example: value } of examples) {
      if (!value.summary || !('value' in value))
        problems.push(`${name} ${where} ${example}: summary/value`)
    }
  }
  expect(problems).toEqual([])
})

test('every 400, 404 and 409 response is the shared problem response', () => {
  const wrong: string[] = []
  for (const { name, doc } of specs) {
    for (const { where, op } of operationsOf(doc)) {
      for (const [status, response] of Object.entries<Json>(op.responses ?? {})) {
        const shared = SHARED_PROBLEMS[status]
        if (shared && response.$ref !== shared) wrong.push(`${name} ${where} ${status}`)
      }
    }
  }
  expect(wrong).toEqual([])
})

test('each spec names its federation service and declares no servers', () => {
  const federation = load('../federation.yaml')
  const declared = new Map<string, string>()
  for (const instance of federation.instances) {
    for (const member of instance.members ?? []) {
      for (const subsystem of member.subsystems ?? []) {
        for (const service of subsystem.services ?? []) declared.set(service.spec, service.id)
      }
    }
  }
  for (const { name, doc } of specs) {
    expect(doc.info['x-sild-service']).toBe(declared.get(`ua/${name}.yaml`))
    expect(doc.servers).toBeUndefined()
  }
})

test('identifier fields use the named formats without a pattern of their own', () => {
  const identifierFormats = [
    'ua-rnokpp',
    'ua-unzr',
    'ua-edrpou',
    'ee-personal-code',
    'ee-registry-code',
  ]
  const offenders: string[] = []
  let formatted = 0
  const walk = (node: unknown, path: string) => {
    if (typeof node !== 'object' || node === null) return
    const n = node as Json
    if (identifierFormats.includes(n.format)) {
      formatted++
      if (n.pattern !== undefined) offenders.push(path)
    }
    for (const [key, child] of Object.entries(n)) walk(child, `${path}/${key}`)
  }
  for (const { name, doc } of specs) walk(doc, name)
  expect(offenders).toEqual([])
  expect(formatted).toBeGreaterThan(10)
})
