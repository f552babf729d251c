import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Federation } from '../../specs/federation/index.ts'
import { parseSource, SildInputError } from '../../specs/source-file/index.ts'
import { prebuiltValue } from '../../specs/source-file/prebuilt.ts'
import { createContext, type RawDocument } from './internal/context.ts'
import { propertiesOf, type InputOverrides } from './internal/inputs.ts'
import { locator } from './internal/locator.ts'
import { checkExpressions } from './internal/references.ts'
import { assertArazzoDocument, assertSildExtensions } from './internal/schemas.ts'
import { resolveSources } from './internal/sources.ts'
import { buildWorkflows } from './internal/workflows.ts'
import type { Scenario } from './types.ts'

export type {
  Action,
  ChecksOptions,
  Criterion,
  CriterionExpressionType,
  ElementPath,
  Expectation,
  Parameter,
  RequestBody,
  Scenario,
  Source,
  Step,
  StepTarget,
  Translations,
  Workflow,
} from './types.ts'
export type { InputOverrides } from './internal/inputs.ts'
export { CLIENT_HEADER } from './internal/workflows.ts'

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** The folder of the bundled scenarios. */
export const BUNDLED_SCENARIOS_DIR = join(PROJECT_ROOT, 'scenarios')

const SCENARIO_FILE = /\.arazzo\.(ya?ml|json)$/

export type LoadScenarioOptions = {
  /** The world the scenario runs in: its sources bind to these services, its clients to these subsystems. */
  federation: Federation
  /** A partner's test data: replaces input defaults, by workflowId or `'*'` for every workflow declaring the input. */
  inputOverrides?: InputOverrides
  /**
   * Folders sources may also come from. Always allowed: the project, the scenario's folder and
   * the folders of the federation's files (a partner's folder).
   */
  roots?: string[]
  /**
   * The subsystem that calls when a step names no caller (no client header parameter nor
   * x-sild-client): a spec team's plain Arazzo files run so against mocks of its own specs.
   */
  defaultClient?: string
}

/**
 * Loads an Arazzo 1.0.x scenario and resolves it against the federation: sources to services and
 * specs, steps to operations, components references to their objects. Every problem is one
 * SildInputError at file:line:column.
 * @example const scenario = await loadScenario('scenarios/e-residency.arazzo.yaml', { federation })
 */
export const loadScenario = async (
  file: string,
  options: LoadScenarioOptions,
): Promise<Scenario> => {
  const path = resolve(file)
  const bytes = readScenario(path)
  const text = bytes.toString('utf8')
  // A bundled scenario comes parsed with the package; any other file is parsed here.
  const { value } = prebuiltValue(path, text) ?? parseSource(text, path)
  const locate = locator(text, path)
  assertArazzoDocument(value, locate)
  assertSildExtensions(value, locate)
  const doc = value as RawDocument
  const ctx = createContext(path, doc, locate, options.federation, options.defaultClient)
  // The folder Sild runs in is the user's project: its scenarios may read its specs side by side.
  const roots = [
    process.cwd(),
    PROJECT_ROOT,
    dirname(path),
    ...options.federation.files.map((f) => dirname(resolve(f))),
    ...(options.roots ?? []).map((r) => resolve(r)),
  ]
  const sources = await resolveSources(ctx, roots)
  const workflows = buildWorkflows(ctx, sources, options.inputOverrides ?? {})
  checkExpressions(ctx, workflows, (w) => Object.keys(propertiesOf(w.inputsSchema)))
  return {
    file: path,
    digest: createHash('sha256').update(bytes).digest('hex'),
    title: doc.info.title,
    description: doc.info.description,
    ...(doc.info['x-sild-i18n'] ? { translations: doc.info['x-sild-i18n'] } : {}),
    version: doc.info.version,
    sources,
    workflows,
    components: structuredClone(doc.components ?? {}) as Record<string, unknown>,
    locate: (at) => locate.value(at),
  }
}

/**
 * Loads several scenarios; the first bad one (in the order given) is the error thrown.
 */
export const loadScenarios = async (
  files: string[],
  options: LoadScenarioOptions,
): Promise<Scenario[]> => {
  const settled = await Promise.allSettled(files.map((f) => loadScenario(f, options)))
  return settled.map((result) => {
    if (result.status === 'rejected') throw result.reason
    return result.value
  })
}

/** Scenarios loaded one by one: the good ones, and one error for each file that would not load. */
export type ScenarioSet = { scenarios: Scenario[]; problems: SildInputError[] }

/**
 * Loads several scenarios and keeps going past a bad file: each one is a problem with its
 * location, and the others still load. Errors other than bad input (bugs) are thrown.
 */
export const loadScenarioSet = async (
  files: string[],
  options: LoadScenarioOptions,
): Promise<ScenarioSet> => {
  const set: ScenarioSet = { scenarios: [], problems: [] }
  // One at a time: loading them all at once holds every file's parse at the same moment.
  for (const file of files) {
    try {
      set.scenarios.push(await loadScenario(file, options))
    } catch (error) {
      if (error instanceof SildInputError) set.problems.push(error)
      else throw error
    }
  }
  return set
}

/**
 * The scenario files named: a folder gives its `*.arazzo.yaml` (also `.yml`, `.json`) files, a
 * file is taken as it is. Sorted, without duplicates; the bundled scenarios by default.
 */
export const findScenarioFiles = (
  dirOrFiles: string | string[] = BUNDLED_SCENARIOS_DIR,
): string[] => {
  const found = new Set<string>()
  for (const entry of Array.isArray(dirOrFiles) ? dirOrFiles : [dirOrFiles]) {
    const path = resolve(entry)
    let isDirectory: boolean
    try {
      isDirectory = statSync(path).isDirectory()
    } catch {
      throw new SildInputError(
        `scenario file or folder not found: ${entry}`,
        undefined,
        'Name Arazzo scenario files (*.arazzo.yaml) or folders that hold them.',
      )
    }
    if (!isDirectory) {
      found.add(path)
      continue
    }
    for (const name of readdirSync(path)) if (SCENARIO_FILE.test(name)) found.add(join(path, name))
  }
  return [...found].sort()
}

const readScenario = (path: string): Buffer => {
  try {
    return readFileSync(path)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new SildInputError(
      code === 'ENOENT' ? `scenario file not found: ${path}` : `cannot read ${path} (${code})`,
      undefined,
      'Check the path; relative paths are resolved from the current directory.',
    )
  }
}
