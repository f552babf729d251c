import {
  Document,
  Ruleset,
  Spectral,
  type ISpectralDiagnostic,
  type RulesetDefinition,
} from '@stoplight/spectral-core'
import parsers from '@stoplight/spectral-parsers'
import { readFileSync, statSync } from 'node:fs'
import { extname, resolve } from 'node:path'
import type { Federation } from '../../specs/federation/index.ts'
import { loadSourceFile, MAX_SOURCE_BYTES, SildInputError } from '../../specs/source-file/index.ts'
import { lintFederation } from './federation-rules/index.ts'
import { localFileResolver } from './internal/resolver.ts'
import { isObject } from './internal/walk.ts'
import { sildRuleset } from './ruleset/index.ts'
import { loadUserRuleset } from './user-ruleset/index.ts'

export { SILD_RULE_NAMES, sildRuleset } from './ruleset/index.ts'
export { findRulesetFile, loadUserRuleset, RULESET_FILE_NAMES } from './user-ruleset/index.ts'
export { FEDERATION_RULE_NAMES, lintFederation } from './federation-rules/index.ts'
export { formatLintJson, formatLintJunit, formatLintText, lintSuite } from './format/index.ts'

/** Spectral's severities, most severe first. */
export const LINT_SEVERITIES = ['error', 'warn', 'info', 'hint'] as const
export type LintSeverity = (typeof LINT_SEVERITIES)[number]

/** One problem found in a spec (or in the federation file), where an editor can jump to it. */
export type LintFinding = {
  rule: string
  severity: LintSeverity
  message: string
  /** Absolute path of the file the problem is in: a `$ref`'d file when it lies there. */
  file: string
  /** 1-based. */
  line: number
  column: number
  endLine: number
  endColumn: number
  /** JSON pointer of the problem in the linted document (with its $refs resolved). */
  pointer: string
}

export type LintOptions = {
  /**
   * The federation the specs belong to: its specs follow Sild's conventions (error bodies), and
   * the naming conventions of the services whose specs are linted are checked in its files.
   */
  federation?: Federation
  /** Also check instance, member and subsystem codes of the whole federation. */
  wholeFederation?: boolean
  /** A Spectral ruleset file that extends (and may override) Sild's ruleset. */
  rulesetFile?: string
}

export type LintResult = {
  /** The linted spec files, absolute. */
  specs: string[]
  /** Sorted by file, line, column and rule; without duplicates. */
  findings: LintFinding[]
  /** The user's ruleset file, when one was used. */
  rulesetFile?: string
}

const SEVERITY_OF: Record<number, LintSeverity> = { 0: 'error', 1: 'warn', 2: 'info', 3: 'hint' }

/** Whether a finding is at least as severe as `threshold` (for `--fail-severity`). */
export const atLeast = (severity: LintSeverity, threshold: LintSeverity): boolean =>
  LINT_SEVERITIES.indexOf(severity) <= LINT_SEVERITIES.indexOf(threshold)

/** Counts findings by severity. */
/** Whether any finding is at least as severe as the threshold. */
export const lintFails = (result: LintResult, failSeverity: LintSeverity): boolean =>
  result.findings.some((f) => atLeast(f.severity, failSeverity))

export const countSeverities = (findings: LintFinding[]): Record<LintSeverity, number> => {
  const counts: Record<LintSeverity, number> = { error: 0, warn: 0, info: 0, hint: 0 }
  for (const f of findings) counts[f.severity]++
  return counts
}

/**
 * Lints OpenAPI 3.0 and 3.1 documents with Spectral's OpenAPI rules, Sild's rules and the user's
 * ruleset, and the federation's naming conventions for their services. A file that does not
 * parse, or is not OpenAPI 3.x (a Swagger 2.0 file), is one `sild-unreadable-spec` finding at its
 * place, and the other files are still linted.
 */
export const lintSpecs = async (
  files: string[],
  options: LintOptions = {},
): Promise<LintResult> => {
  const specs = [...new Set(files.map((f) => resolve(f)))]
  const federationSpecs = new Set(options.federation?.services.map((s) => resolve(s.specFile)))
  const sild = sildRuleset({
    isSildSpec: (source, document) =>
      (source !== null && federationSpecs.has(resolve(source))) ||
      (isObject(document.info) && typeof document.info['x-sild-service'] === 'string'),
  })
  const definition: RulesetDefinition = options.rulesetFile
    ? extendWith(sild, await loadUserRuleset(options.rulesetFile))
    : sild
  const spectral = new Spectral({ resolver: localFileResolver() })
  try {
    spectral.setRuleset(
      new Ruleset(definition, {
        severity: 'recommended',
        ...(options.rulesetFile ? { source: resolve(options.rulesetFile) } : {}),
      }),
    )
  } catch (error) {
    throw new SildInputError(
      `invalid Spectral ruleset ${options.rulesetFile ?? ''}: ${rulesetErrorMessage(error)}`,
      undefined,
      'Fix the ruleset; `sild lint` accepts what Spectral 6 accepts.',
    )
  }
  const findings: LintFinding[] = []
  for (const file of specs) {
    let document = cleanOpenApiDocument(file)
    if (!document) {
      const read = readOpenApi(file)
      if (!read.ok) {
        findings.push(read.error)
        continue
      }
      document = spectralDocument(read.value, file)
    }
    const results = await spectral.run(document, {
      ignoreUnknownFormat: false,
    })
    findings.push(...results.map((r) => toFinding(r, file)))
  }
  if (options.federation)
    findings.push(...lintFederation(options.federation, { specs, whole: options.wholeFederation }))
  return { specs, findings: sortUnique(findings), rulesetFile: options.rulesetFile }
}

// The user's ruleset extends Sild's, so its rules can switch any of Sild's or Spectral's rules
// off or change their severity by name. Sild's comes after what the user's ruleset extends
// itself (typically spectral:oas), so that does not undo Sild's own severities.
const extendWith = (sild: RulesetDefinition, user: RulesetDefinition): RulesetDefinition => {
  const own = (user as { extends?: unknown }).extends
  const extra = own === undefined ? [] : Array.isArray(own) && !isSeverityPair(own) ? own : [own]
  return { ...user, extends: [...extra, sild] } as RulesetDefinition
}

const isSeverityPair = (value: unknown[]) =>
  value.length === 2 && typeof value[1] === 'string' && !Array.isArray(value[0])

const rulesetErrorMessage = (error: unknown): string => {
  const errors = (error as { errors?: Array<{ message: string; path?: string[] }> }).errors
  if (Array.isArray(errors) && errors.length)
    return errors.map((e) => `${e.path?.join('.') ?? ''} ${e.message}`.trim()).join('; ')
  return (error as Error).message
}

/** The rule of a spec that cannot be linted at all. */
export const UNREADABLE_SPEC = 'sild-unreadable-spec'

type Read = { ok: true; value: string } | { ok: false; error: LintFinding }

const spectralDocument = (text: string, file: string) =>
  extname(file).toLowerCase() === '.json'
    ? new Document(text, parsers.Json, file)
    : new Document(text, parsers.Yaml, file)

// YAML anchors and aliases: Sild's own reader bounds their expansion, so such a file goes there.
const ANCHOR_OR_ALIAS = /(?:^|[\s[{,])[&*][^\s*&]/

/**
 * The file as Spectral parses it, when that parse is clean and the document is OpenAPI 3.x: the
 * common case needs one read and one parse. Anything else (a syntax error, a duplicate key, an
 * alias, Swagger 2.0, a file too large or missing) returns undefined, and Sild's own reader
 * explains it at its place.
 */
const cleanOpenApiDocument = (file: string) => {
  let text: string
  try {
    if (statSync(file).size > MAX_SOURCE_BYTES) return undefined
    text = readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
  if (ANCHOR_OR_ALIAS.test(text)) return undefined
  const document = spectralDocument(text, file)
  if (document.diagnostics.length > 0) return undefined
  const data: unknown = document.data
  return isObject(data) && typeof data.openapi === 'string' && data.openapi.startsWith('3.')
    ? document
    : undefined
}

const unreadable = (file: string, error: SildInputError): LintFinding => {
  const at = error.location
  const line = at?.line ?? 1
  const column = at?.column ?? 1
  return {
    rule: UNREADABLE_SPEC,
    severity: 'error',
    message: error.hint ? `${error.message}; ${error.hint.replace(/\.$/, '')}` : error.message,
    file: at?.file ? resolve(at.file) : file,
    line,
    column,
    endLine: line,
    endColumn: column,
    pointer: '',
  }
}

const readOpenApi = (file: string): Read => {
  let source: ReturnType<typeof loadSourceFile>
  try {
    source = loadSourceFile(file)
  } catch (error) {
    if (error instanceof SildInputError) return { ok: false, error: unreadable(file, error) }
    throw error
  }
  const document = source.value
  if (isObject(document) && typeof document.swagger === 'string')
    return {
      ok: false,
      error: unreadable(
        file,
        new SildInputError(
          `Swagger ${document.swagger} document: sild lint reads OpenAPI 3.0 and 3.1`,
          source.locate(['swagger']),
          'Convert it to OpenAPI 3 (e.g. with swagger2openapi), or leave it out of sild.config.yaml',
        ),
      ),
    }
  if (
    !isObject(document) ||
    typeof document.openapi !== 'string' ||
    !document.openapi.startsWith('3.')
  )
    return {
      ok: false,
      error: unreadable(
        file,
        new SildInputError(
          'not an OpenAPI 3.x document (no "openapi: 3.x" field)',
          source.locate(['openapi']),
          'sild lint reads OpenAPI 3.0 and 3.1 documents',
        ),
      ),
    }
  return { ok: true, value: readFileSync(file, 'utf8') }
}

const toFinding = (r: ISpectralDiagnostic, linted: string): LintFinding => ({
  rule: String(r.code),
  severity: SEVERITY_OF[r.severity] ?? 'error',
  message: r.message,
  file: r.source ? resolve(r.source) : linted,
  line: r.range.start.line + 1,
  column: r.range.start.character + 1,
  endLine: r.range.end.line + 1,
  endColumn: r.range.end.character + 1,
  pointer: r.path.length
    ? `/${r.path.map((s) => String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`
    : '',
})

const sortUnique = (findings: LintFinding[]): LintFinding[] => {
  const seen = new Set<string>()
  return findings
    .filter((f) => {
      const key = `${f.rule}\0${f.file}\0${f.line}\0${f.column}\0${f.message}`
      return !seen.has(key) && Boolean(seen.add(key))
    })
    .sort(
      (a, b) =>
        a.file.localeCompare(b.file) ||
        a.line - b.line ||
        a.column - b.column ||
        a.rule.localeCompare(b.rule),
    )
}
