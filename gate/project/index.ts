import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { DEFAULT_FEDERATION_FILE, type Federation } from '../../specs/federation/index.ts'
import { loadSourceFile, SildInputError } from '../../specs/source-file/index.ts'

/** The file at a spec repository's root that tells the gate what to check. */
export const CONFIG_FILE = 'sild.config.yaml'

/** What the gate checks in a repository. */
export type Project =
  /** Sild's own repository, or a federation named on the command line: its services' specs. */
  | { kind: 'federation'; federationFile: string; root: string }
  /** A spec team's repository: its own OpenAPI documents, and its own scenarios if any. */
  | {
      kind: 'repository'
      root: string
      /** The sild.config.yaml read, if there was one (else the specs were discovered). */
      configFile?: string
      specs: string[]
      scenarios: string[]
      federationFile?: string
    }

// Folders that hold other people's files or build output, never the team's own specs.
const SKIPPED = new Set([
  'node_modules',
  'vendor',
  'vendored',
  'third_party',
  'third-party',
  'dist',
  'build',
  'out',
  'target',
  'coverage',
])

const SPEC_FILE = /\.(ya?ml|json)$/i
const OPENAPI_KEY = /^\s*["']?(openapi|swagger)["']?\s*:/m
const MAX_SPEC_BYTES = 20 * 1024 * 1024

const toPosix = (p: string) => p.split(sep).join('/')

/** Every file under `root` (skipping dot-folders and the folders above), as posix relative paths. */
const walk = (root: string): string[] => {
  const out: string[] = []
  const visit = (dir: string) => {
    let entries
    try {
      entries = readdirSync(dir, { withFileTypes: true })
    } catch {
      return
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.name.startsWith('.')) continue
      const path = join(dir, e.name)
      if (e.isDirectory()) {
        if (!SKIPPED.has(e.name)) visit(path)
      } else if (e.isFile()) out.push(toPosix(relative(root, path)))
    }
  }
  visit(root)
  return out
}

/** A glob as a RegExp: `**` any folders, `*` any name part, `?` one character. */
export const globToRegExp = (glob: string): RegExp => {
  let re = ''
  const g = toPosix(glob).replace(/^\.\//, '')
  for (let i = 0; i < g.length; i++) {
    const c = g[i] as string
    if (c === '*' && g[i + 1] === '*') {
      i++
      if (g[i + 1] === '/') {
        i++
        re += '(?:.*/)?'
      } else re += '.*'
    } else if (c === '*') re += '[^/]*'
    else if (c === '?') re += '[^/]'
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&')
  }
  return new RegExp(`^${re}$`)
}

const looksLikeOpenApi = (file: string): boolean => {
  try {
    if (statSync(file).size > MAX_SPEC_BYTES) return false
    return OPENAPI_KEY.test(readFileSync(file, 'utf8').slice(0, 4096))
  } catch {
    return false
  }
}

/** The OpenAPI (and Swagger) documents under `root`, outside vendored and build folders. */
export const discoverSpecs = (root: string): string[] =>
  walk(root)
    .filter((f) => SPEC_FILE.test(f) && looksLikeOpenApi(join(root, f)))
    .map((f) => join(root, f))

type Config = { specs: string[]; scenarios: string[]; federation?: string; exclude: string[] }

// allowProviderHosts is read by sild run and sild serve (configuredProviderHosts), not the gate.
const KEYS = ['specs', 'scenarios', 'federation', 'exclude', 'allowProviderHosts']

const readConfig = (file: string): Config => {
  const source = loadSourceFile(file)
  const value = source.value
  const fail = (message: string, path: Array<string | number>, hint: string): never => {
    throw new SildInputError(`${CONFIG_FILE}: ${message}`, source.locate(path), hint)
  }
  const example = 'Write e.g.\n  specs: ["api/**/*.yaml"]\n  scenarios: ["scenarios"]'
  if (!value || typeof value !== 'object' || Array.isArray(value))
    fail('must be a mapping', [], example)
  const config = value as Record<string, unknown>
  for (const key of Object.keys(config))
    if (!KEYS.includes(key))
      fail(`unknown key "${key}"`, [key], `The keys are ${KEYS.join(', ')}. ${example}`)
  const list = (key: string, required: boolean): string[] => {
    const v = config[key]
    if (v === undefined && !required) return []
    const items = typeof v === 'string' ? [v] : v
    if (!Array.isArray(items) || items.length === 0 || items.some((i) => typeof i !== 'string'))
      return fail(`"${key}" must be a list of paths or globs`, [key], example)
    return items as string[]
  }
  const federation = config.federation
  if (federation !== undefined && typeof federation !== 'string')
    fail('"federation" must be the path of a federation file', ['federation'], example)
  return {
    specs: list('specs', true),
    scenarios: list('scenarios', false),
    exclude: list('exclude', false),
    ...(typeof federation === 'string' ? { federation } : {}),
  }
}

/** The sild.config.yaml in `cwd` or a folder above it, up to the repository root. */
export const findConfig = (cwd: string, root: string): string | undefined => {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const file = join(dir, CONFIG_FILE)
    if (existsSync(file)) return file
    if (dir === root || dirname(dir) === dir || relative(root, dir).startsWith('..'))
      return undefined
  }
}

/**
 * The provider hosts a sild.config.yaml in `cwd` or a folder above it (up to the repository's
 * top, the folder holding `.git`) allows, as `--allow-provider-host` does: the project's own
 * standing answer to "which partner hosts may my files name". Loopback is always allowed, and
 * link-local and metadata addresses never, whatever it says.
 */
export const configuredProviderHosts = (cwd = process.cwd()): string[] => {
  let file: string | undefined
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (existsSync(join(dir, CONFIG_FILE))) file = join(dir, CONFIG_FILE)
    if (file || existsSync(join(dir, '.git')) || dirname(dir) === dir) break
  }
  if (!file) return []
  const source = loadSourceFile(file)
  const value = (source.value ?? {}) as Record<string, unknown>
  const hosts = typeof value === 'object' && !Array.isArray(value) ? value.allowProviderHosts : []
  if (hosts === undefined) return []
  const bad = Array.isArray(hosts)
    ? hosts.findIndex((h) => typeof h !== 'string' || h.trim() === '')
    : undefined
  if (bad !== -1)
    throw new SildInputError(
      bad === undefined
        ? `${CONFIG_FILE}: "allowProviderHosts" must be a list of host or host:port names`
        : `${CONFIG_FILE}: item ${bad + 1} of "allowProviderHosts" is not a host or host:port name`,
      source.locate(bad === undefined ? ['allowProviderHosts'] : ['allowProviderHosts', bad]),
      'Write e.g.\n  allowProviderHosts: ["partner.test.example", "10.0.0.5:8443"]',
    )
  return hosts as string[]
}

const isSildRepository = (root: string) => !relative(root, DEFAULT_FEDERATION_FILE).startsWith('..')

const NO_SPECS_HINT = `Write a ${CONFIG_FILE} at the repository root that names them, e.g.
  specs: ["api/**/*.yaml"]
or run: npx sild init --ci`

/**
 * What the gate checks here. A federation file given on the command line wins; then a
 * sild.config.yaml; in Sild's own repository, its bundled federation; anywhere else, the OpenAPI
 * documents found in the repository. Outside Sild it never falls back to Sild's bundled specs:
 * finding none is bad input.
 */
export const resolveProject = ({
  cwd = process.cwd(),
  root = cwd,
  federation,
}: {
  cwd?: string
  /** The repository root (the git work tree's top), or the current folder outside git. */
  root?: string
  federation?: string
}): Project => {
  if (federation) return { kind: 'federation', federationFile: resolve(federation), root }
  const configFile = findConfig(cwd, root)
  if (configFile) {
    const base = dirname(configFile)
    const config = readConfig(configFile)
    const files = walk(base)
    const matching = (globs: string[]) =>
      globs.map(globToRegExp).flatMap((re) => files.filter((f) => re.test(f)))
    const excluded = new Set(matching(config.exclude))
    const specs = [...new Set(matching(config.specs))].filter((f) => !excluded.has(f))
    if (specs.length === 0)
      throw new SildInputError(
        `${CONFIG_FILE}: no file matches specs ${config.specs.map((s) => `"${s}"`).join(', ')}`,
        loadSourceFile(configFile).locate(['specs']),
        'The globs are relative to the folder of sild.config.yaml; ** matches any folders.',
      )
    const named = (key: 'scenarios' | 'federation', path: string, at: Array<string | number>) => {
      if (existsSync(resolve(base, path))) return
      throw new SildInputError(
        `${CONFIG_FILE}: ${key} names ${path}, which does not exist`,
        loadSourceFile(configFile).locate([key, ...at]),
        'Paths are relative to the folder of sild.config.yaml.',
      )
    }
    config.scenarios.forEach((s, i) => named('scenarios', s, [i]))
    if (config.federation) named('federation', config.federation, [])
    return {
      kind: 'repository',
      root,
      configFile,
      specs: specs.map((f) => join(base, f)),
      scenarios: config.scenarios.map((s) => resolve(base, s)),
      ...(config.federation ? { federationFile: resolve(base, config.federation) } : {}),
    }
  }
  if (isSildRepository(root))
    return { kind: 'federation', federationFile: DEFAULT_FEDERATION_FILE, root }
  const specs = discoverSpecs(root)
  if (specs.length === 0)
    throw new SildInputError(
      `no OpenAPI documents found in ${root} (node_modules, vendored and build folders are skipped)`,
      undefined,
      NO_SPECS_HINT,
    )
  const scenarios = walk(root)
    .filter((f) => /\.arazzo\.(ya?ml|json)$/i.test(f))
    .map((f) => join(root, f))
  return { kind: 'repository', root, specs, scenarios }
}

/** The OpenAPI 3 documents among `files` (the diff compares only those; lint reports the rest). */
export const openApi3Only = (files: string[]): string[] =>
  files.filter((f) => {
    try {
      return /^\s*["']?openapi["']?\s*:\s*["']?3\./m.test(readFileSync(f, 'utf8').slice(0, 4096))
    } catch {
      return false
    }
  })

/**
 * The spec files of a federation, each once: its services', and the metaservices' when they sit
 * beside the federation file (Sild's own; a partner's repository cannot change them).
 */
export const federationSpecs = (federation: Federation): string[] => {
  const folders = federation.files.map((f) => dirname(resolve(f)))
  const beside = (file: string) => folders.some((d) => !relative(d, file).startsWith('..'))
  return [
    ...new Set(
      federation.services
        .filter((s) => s.provider !== 'metaservice' || beside(resolve(s.specFile)))
        .map((s) => resolve(s.specFile)),
    ),
  ]
}
