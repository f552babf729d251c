import { readFileSync } from 'node:fs'
import { expect, test } from 'vitest'
import { parse } from 'yaml'
import { loadEeContract } from './index.ts'

const SPECS = {
  'population-register.yaml': 'ee-population-register',
  'business-register.yaml': 'ee-business-register',
  'e-residency.yaml': 'ee-e-residency',
  'tax-board.yaml': 'ee-tax-board',
} as const
const FILES = Object.keys(SPECS) as (keyof typeof SPECS)[]
const IDENTIFIER_FORMATS = [
  'ee-personal-code',
  'ee-registry-code',
  'ua-rnokpp',
  'ua-unzr',
  'ua-edrpou',
]
const SHARED_RESPONSES: Record<string, string> = {
  '400': '../common/problem.yaml#/components/responses/BadRequest',
  '404': '../common/problem.yaml#/components/responses/NotFound',
  '409': '../common/problem.yaml#/components/responses/Conflict',
}
const METHODS = ['get', 'put', 'post', 'delete', 'patch']

type Json = Record<string, any>
const raw = (file: string): Json =>
  parse(readFileSync(new URL(`../${file}`, import.meta.url), 'utf8'))
const operations = (spec: Json) =>
  Object.entries(spec.paths as Json).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((method) => ({ path, method, op: item[method] as Json })),
  )

/** Every object in a document with the JSON path to it. */
const walk = (value: unknown, path = ''): { path: string; node: Json }[] =>
  value && typeof value === 'object'
    ? [
        ...(Array.isArray(value) ? [] : [{ path, node: value as Json }]),
        ...Object.entries(value).flatMap(([k, v]) => walk(v, `${path}/${k}`)),
      ]
    : []

test.each(FILES)('every named example of %s validates against its schema', async (file) => {
  const contract = await loadEeContract(file)
  expect(contract.examples.length).toBeGreaterThan(10)
  const failures = contract.examples
    .map((e) => ({ where: e.where, errors: contract.errors(e.schema, e.value) }))
    .filter((f) => f.errors.length > 0)
  expect(failures).toEqual([])
})

test('reports an example that breaks its schema', async () => {
  const contract = await loadEeContract('population-register.yaml')
  const example = contract.examples.find((e) =>
    e.where.includes('response 200 application/json example alive'),
  )!
  const { givenName: _, ...withoutName } = example.value as Json
  expect(contract.errors(example.schema, withoutName)).toEqual([
    "/ must have required property 'givenName'",
  ])
  expect(
    contract.errors(example.schema, { ...withoutName, givenName: 'Mari', sex: 'X' }),
  ).toHaveLength(1)
  const wrongCheckDigit = { ...(example.value as Json), personalCode: '48001013547' }
  expect(contract.errors(example.schema, wrongCheckDigit)).toEqual([
    '/personalCode must match format "ee-personal-code"',
  ])
})

test.each(FILES)('%s names its service and has no servers block', (file) => {
  const spec = raw(file)
  expect(spec.openapi).toBe('3.1.0')
  expect(spec.info['x-sild-service']).toBe(SPECS[file])
  expect(spec.servers).toBeUndefined()
})

test.each(FILES)(
  'every operation of %s is named, described, tagged and has named examples',
  (file) => {
    const spec = raw(file)
    const tags = new Set((spec.tags as Json[]).map((t) => t.name))
    for (const { path, method, op } of operations(spec)) {
      const at = `${method} ${path}`
      expect(op.operationId, at).toMatch(/^[a-z][a-zA-Z]+$/)
      expect(op.summary, at).toBeTruthy()
      expect(op.description, at).toBeTruthy()
      expect(
        op.tags.every((t: string) => tags.has(t)),
        at,
      ).toBe(true)
      const media = [
        ...Object.values(op.requestBody?.content ?? {}),
        ...Object.entries(op.responses as Json)
          .filter(([status]) => status.startsWith('2'))
          .flatMap(([, r]) => Object.values((r as Json).content ?? {})),
      ] as Json[]
      for (const m of media) {
        const examples = Object.values(m.examples ?? {}) as Json[]
        expect(examples.length, at).toBeGreaterThan(0)
        for (const e of examples) expect(Object.keys(e).sort(), at).toEqual(['summary', 'value'])
      }
    }
  },
)

test.each(FILES)('every 400, 404 and 409 of %s is the shared problem response', (file) => {
  for (const { path, method, op } of operations(raw(file))) {
    for (const [status, response] of Object.entries(op.responses as Json)) {
      if (status.startsWith('4')) {
        expect(response, `${method} ${path} ${status}`).toEqual({ $ref: SHARED_RESPONSES[status] })
      }
    }
  }
})

test.each(FILES)('identifiers in %s use the named formats without a pattern', (file) => {
  const withFormat = walk(raw(file)).filter(({ node }) => IDENTIFIER_FORMATS.includes(node.format))
  expect(withFormat.length).toBeGreaterThan(0)
  expect(withFormat.filter(({ node }) => 'pattern' in node).map(({ path }) => path)).toEqual([])
})

test('the specs keep every path federation.yaml grants on their services', () => {
  const federation = raw('../federation.yaml')
  const specOf = new Map<string, string>()
  for (const instance of federation.instances as Json[]) {
    for (const member of instance.members as Json[]) {
      for (const subsystem of member.subsystems as Json[]) {
        for (const service of subsystem.services ?? []) {
          const id = [instance.code, member.class, member.code, subsystem.code, service.code].join(
            '/',
          )
          specOf.set(id, service.spec)
        }
      }
    }
  }
  const granted = (federation.accessRights as Json[]).flatMap((right) =>
    (right.endpoints ?? []).map((e: Json) => ({ spec: specOf.get(right.service)!, ...e })),
  )
  const ours = granted.filter((g) => g.spec?.startsWith('ee/'))
  expect(ours.length).toBeGreaterThan(0)
  for (const { spec, method, path } of ours) {
    // X-Road's REST path globs: `**` matches across segments, `*` within one.
    const glob = path
      .split('**')
      .map((part: string) => part.split('*').join('[^/]*'))
      .join('.*')
    const grant = new RegExp(`^${glob}$`)
    const matching = operations(raw(spec.replace('ee/', '')))
      .filter((o) => o.method === method.toLowerCase())
      .filter((o) => grant.test(o.path.replace(/\{[^}]+\}/g, 'x')))
    expect(matching.length, `${method} ${path} in ${spec}`).toBeGreaterThan(0)
  }
})
