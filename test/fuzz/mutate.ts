import fc from 'fast-check'

/** Every fast-check property here runs with this seed, so a failure replays the same way. */
export const SEED = 42

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
type Path = Array<string | number>

/** Values that reach the corners of Sild's loaders: references, expressions, escapes, odd types. */
const TRICKY: Json[] = [
  '',
  ' ',
  '../../../../etc/passwd',
  '/etc/passwd',
  'file:///etc/passwd',
  'http://169.254.169.254/latest/meta-data',
  '$inputs.',
  '$inputs.nope',
  '$steps.nope.outputs.x',
  '$response.body#/a~2b',
  '$response.header.',
  '{$inputs.x',
  '$statusCode ==',
  '$.[?(@.x ==',
  '$sourceDescriptions.nope.getPerson',
  '#/components/parameters/nope',
  '$components.parameters.nope',
  '__proto__',
  'constructor',
  '<script>alert(1)</script>',
  'x'.repeat(5000),
  '\u0000',
  '\uD800',
  'ee-test/GOV/70006317/eesti-ee',
  'ee-test/GOV/70008440/rr/population',
  '*',
  '/**',
  'GET',
  -1,
  0,
  1e308,
  Number.MAX_SAFE_INTEGER,
  true,
  null,
  [],
  {},
  [null],
  JSON.parse('{"__proto__": {"polluted": true}}') as Json,
]

/** A small JSON value: a tricky one, or an arbitrary one of shallow depth. */
export const fuzzValue: fc.Arbitrary<Json> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...TRICKY) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json> },
)

type Mutation =
  | { op: 'delete'; at: number }
  | { op: 'replace'; at: number; value: Json }
  | { op: 'rename'; at: number; name: string }
  | { op: 'duplicate'; at: number }

/** One to three structural edits; `at` picks a node of the document by its index in a walk. */
export const mutations: fc.Arbitrary<Mutation[]> = fc.array(
  fc.oneof(
    fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
    fc.record({ op: fc.constant('replace' as const), at: fc.nat(), value: fuzzValue }),
    fc.record({
      op: fc.constant('rename' as const),
      at: fc.nat(),
      name: fc.oneof(
        fc.constantFrom('x-sild-nope', '$ref', 'operationPath', 'workflowId', '__proto__'),
        fc.string({ maxLength: 6 }),
      ),
    }),
    fc.record({ op: fc.constant('duplicate' as const), at: fc.nat() }),
  ),
  { minLength: 1, maxLength: 3 },
)

const pathsOf = (value: Json, path: Path = [], out: Path[] = []): Path[] => {
  if (path.length > 0) out.push(path)
  if (Array.isArray(value)) value.forEach((v, i) => pathsOf(v, [...path, i], out))
  else if (value && typeof value === 'object')
    for (const key of Object.keys(value)) pathsOf(value[key] as Json, [...path, key], out)
  return out
}

const parentOf = (root: Json, path: Path): Json => {
  let node = root
  for (const segment of path.slice(0, -1))
    node = (node as Record<string | number, Json>)[segment] as Json
  return node
}

/** Applies the edits to a copy of `doc`; an edit whose node an earlier one removed is skipped. */
export const applyMutations = (doc: unknown, edits: Mutation[]): unknown => {
  const root = structuredClone(doc) as Json
  for (const edit of edits) {
    const paths = pathsOf(root)
    if (paths.length === 0) break
    const path = paths[edit.at % paths.length] as Path
    const parent = parentOf(root, path) as Record<string | number, Json> | Json[]
    const key = path.at(-1) as string | number
    if (parent === null || typeof parent !== 'object') continue
    if (Array.isArray(parent)) {
      const i = Number(key)
      if (edit.op === 'delete') parent.splice(i, 1)
      else if (edit.op === 'replace') parent[i] = edit.value
      else if (edit.op === 'duplicate') parent.splice(i, 0, structuredClone(parent[i] as Json))
      else parent[i] = { [edit.name]: parent[i] as Json }
      continue
    }
    const record = parent as Record<string, Json>
    if (edit.op === 'delete') delete record[key]
    else if (edit.op === 'replace') record[key] = edit.value
    else if (edit.op === 'duplicate') record[`${key}2`] = structuredClone(record[key] as Json)
    else if (edit.name !== String(key)) {
      Object.defineProperty(record, edit.name, {
        value: record[key],
        enumerable: true,
        writable: true,
        configurable: true,
      })
      delete record[key]
    }
  }
  return root
}

/** Text that is often not YAML, or YAML of an unexpected shape. */
export const arbitraryText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({
    unit: fc.constantFrom(
      ':',
      '-',
      ' ',
      '\n',
      '  ',
      '{',
      '}',
      '[',
      ']',
      '&a',
      '*a',
      '!!binary',
      '!!js/function',
      '<<: *a',
      '"',
      "'",
      '#',
      '%YAML 1.2\n---',
      '---\n',
      '...',
      'arazzo',
      'version',
      'instances',
      'workflows',
      '\t',
      '?',
      '|',
      '>',
    ),
    maxLength: 60,
  }),
)
