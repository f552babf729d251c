import type { RulesetDefinition } from '@stoplight/spectral-core'
import * as spectralFormats from '@stoplight/spectral-formats'
import * as coreFunctions from '@stoplight/spectral-functions'
import { arazzo, asyncapi, oas } from '@stoplight/spectral-rulesets'
import { existsSync } from 'node:fs'
import { dirname, extname, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { loadSourceFile, SildInputError, type LoadedSource } from '../../../specs/source-file/index.ts'

type Json = Record<string, unknown>

/** The file names Spectral looks for in the current directory, in its order. */
export const RULESET_FILE_NAMES = [
  '.spectral.yaml',
  '.spectral.yml',
  '.spectral.json',
  '.spectral.js',
  '.spectral.mjs',
]

/** The Spectral ruleset file in `dir`, as Spectral's CLI would find it. */
export const findRulesetFile = (dir = process.cwd()): string | undefined =>
  RULESET_FILE_NAMES.map((name) => join(dir, name)).find((file) => existsSync(file))

const BUILT_IN: Record<string, unknown> = {
  'spectral:oas': oas,
  'spectral:asyncapi': asyncapi,
  'spectral:arazzo': arazzo,
}

// Spectral's ruleset files name formats as its docs do; the format functions use JS names.
const FORMAT_NAMES: Record<string, string> = {
  oas2: 'oas2',
  oas3: 'oas3',
  'oas3.0': 'oas3_0',
  'oas3.1': 'oas3_1',
  'oas3.2': 'oas3_2',
  asyncapi2: 'asyncapi2',
  'arazzo1.0': 'arazzo1_0',
  'json-schema': 'jsonSchema',
  'json-schema-loose': 'jsonSchemaLoose',
  'json-schema-draft4': 'jsonSchemaDraft4',
  'json-schema-draft6': 'jsonSchemaDraft6',
  'json-schema-draft7': 'jsonSchemaDraft7',
  'json-schema-draft-2019-09': 'jsonSchemaDraft2019_09',
  'json-schema-2019-09': 'jsonSchemaDraft2019_09',
  'json-schema-draft-2020-12': 'jsonSchemaDraft2020_12',
  'json-schema-2020-12': 'jsonSchemaDraft2020_12',
}

const HINT =
  'Sild reads Spectral rulesets in YAML, JSON or JS: `extends` spectral:oas, spectral:asyncapi, spectral:arazzo or a relative file; core functions by name; custom functions from `functions` in functionsDir (default ./functions).'

/**
 * Loads a user's Spectral ruleset file (`.spectral.yaml`, `.json`, `.js`/`.mjs`) into a ruleset
 * definition: built-in `extends` aliases, core function names and format names become the
 * objects Spectral expects, custom functions are imported from `functionsDir`. Remote rulesets
 * and npm packages are not fetched.
 */
export const loadUserRuleset = async (file: string): Promise<RulesetDefinition> => {
  const path = resolve(file)
  const ext = extname(path).toLowerCase()
  if (ext === '.js' || ext === '.mjs' || ext === '.cjs') {
    const module = (await importFile(path)) as { default?: unknown }
    const definition = module.default ?? module
    if (!definition || typeof definition !== 'object') {
      throw new SildInputError(`${file} does not export a Spectral ruleset`, undefined, HINT)
    }
    return definition as RulesetDefinition
  }
  return fromDocument(loadSourceFile(path), path)
}

const importFile = async (path: string): Promise<unknown> => {
  try {
    return await import(pathToFileURL(path).href)
  } catch (error) {
    throw new SildInputError(`cannot load ${path}: ${(error as Error).message}`, undefined, HINT)
  }
}

const fromDocument = async (source: LoadedSource, file: string): Promise<RulesetDefinition> => {
  const raw = source.value
  if (!isObject(raw)) {
    throw new SildInputError('a Spectral ruleset must be a mapping', source.locate([]), HINT)
  }
  const folder = dirname(file)
  const functionsDir = resolve(
    folder,
    typeof raw.functionsDir === 'string' ? raw.functionsDir : 'functions',
  )
  const custom: Record<string, unknown> = {}
  if (Array.isArray(raw.functions)) {
    for (const [i, name] of raw.functions.entries()) {
      const candidates = ['.js', '.mjs', '.cjs'].map((e) =>
        join(functionsDir, `${String(name)}${e}`),
      )
      const found = candidates.find((c) => existsSync(c))
      if (!found) {
        throw new SildInputError(
          `custom function "${String(name)}" not found in ${functionsDir}`,
          source.locate(['functions', i]),
          HINT,
        )
      }
      const module = (await importFile(found)) as { default?: unknown }
      custom[String(name)] = module.default ?? module
    }
  }
  const functionFor = (name: unknown, at: Array<string | number>) => {
    const fn =
      custom[String(name)] ?? (coreFunctions as Record<string, unknown>)[String(name)] ?? undefined
    if (typeof fn !== 'function') {
      throw new SildInputError(
        `unknown Spectral function "${String(name)}"`,
        source.locate(at),
        HINT,
      )
    }
    return fn
  }
  const formatsFor = (list: unknown, at: Array<string | number>) =>
    Array.isArray(list)
      ? list.map((name, i) => {
          const fn = (spectralFormats as Record<string, unknown>)[FORMAT_NAMES[String(name)] ?? '']
          if (typeof fn !== 'function') {
            throw new SildInputError(
              `unknown document format "${String(name)}"`,
              source.locate([...at, i]),
              `Known formats: ${Object.keys(FORMAT_NAMES).join(', ')}`,
            )
          }
          return fn
        })
      : list

  const convert = async (node: Json, at: Array<string | number>): Promise<Json> => {
    const out: Json = { ...node }
    delete out.functions
    delete out.functionsDir
    if ('extends' in node) out.extends = await convertExtends(node.extends, [...at, 'extends'])
    if ('formats' in node) out.formats = formatsFor(node.formats, [...at, 'formats'])
    if (isObject(node.rules)) {
      out.rules = Object.fromEntries(
        Object.entries(node.rules).map(([name, rule]) => [
          name,
          isObject(rule) ? convertRule(rule, [...at, 'rules', name]) : rule,
        ]),
      )
    }
    if (Array.isArray(node.overrides)) {
      out.overrides = await Promise.all(
        node.overrides.map((o, i) =>
          isObject(o) ? convert(o, [...at, 'overrides', i]) : Promise.resolve(o),
        ),
      )
    }
    return out
  }
  const convertRule = (rule: Json, at: Array<string | number>): Json => {
    const out: Json = { ...rule }
    if ('formats' in rule) out.formats = formatsFor(rule.formats, [...at, 'formats'])
    const thenOf = (then: unknown, where: Array<string | number>) =>
      isObject(then)
        ? { ...then, function: functionFor(then.function, [...where, 'function']) }
        : then
    if (Array.isArray(rule.then)) out.then = rule.then.map((t, i) => thenOf(t, [...at, 'then', i]))
    else out.then = thenOf(rule.then, [...at, 'then'])
    return out
  }
  const convertExtends = async (value: unknown, at: Array<string | number>): Promise<unknown> => {
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[1] === 'string' &&
      ['off', 'recommended', 'all'].includes(value[1]) &&
      !Array.isArray(value[0])
    ) {
      return [await convertExtends(value[0], [...at, 0]), value[1]]
    }
    if (Array.isArray(value)) return Promise.all(value.map((v, i) => convertExtends(v, [...at, i])))
    if (typeof value !== 'string') return value
    if (value in BUILT_IN) return BUILT_IN[value]
    if (/^(https?:)?\/\//.test(value) || !/^\.{0,2}\//.test(value)) {
      throw new SildInputError(
        `cannot extend "${value}": Sild loads built-in and local rulesets only`,
        source.locate(at),
        HINT,
      )
    }
    return loadUserRuleset(resolve(folder, value))
  }
  return (await convert(raw, [])) as RulesetDefinition
}

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
