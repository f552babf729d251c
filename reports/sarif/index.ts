import { createHash } from 'node:crypto'
import { isAbsolute, relative, resolve, sep } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { DiffResult } from '../../gate/diff/index.ts'
import type { LintFinding, LintSeverity } from '../../gate/lint/index.ts'
import type { RunReport } from '../../runner/types.ts'

export type SarifLevel = 'error' | 'warning' | 'note'

/** One result to annotate: a lint finding, a breaking change, a failing scenario step. */
export type SarifFinding = {
  /** `lint/<rule>`, `diff/<rule>`, `scenario/<check>`. */
  ruleId: string
  level: SarifLevel
  message: string
  /** Absolute, or relative to the working directory. */
  file?: string
  line?: number
  column?: number
  endLine?: number
  endColumn?: number
}

export type SarifOptions = {
  /** The folder the result paths are made relative to: the repository root, for code scanning. */
  root: string
  version: string
  cwd?: string
  /** Short descriptions of rules, by rule id. */
  descriptions?: Record<string, string>
}

const LINT_LEVEL: Record<LintSeverity, SarifLevel> = {
  error: 'error',
  warn: 'warning',
  info: 'note',
  hint: 'note',
}

/** Lint findings as SARIF results. */
export const lintToSarif = (findings: LintFinding[]): SarifFinding[] =>
  findings.map((f) => ({
    ruleId: `lint/${f.rule}`,
    level: LINT_LEVEL[f.severity],
    message: f.message,
    file: f.file,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
  }))

/**
 * Breaking changes as SARIF errors at the place in the new spec (for a removal, the nearest
 * place that still exists). Non-breaking changes are left out: they need no attention in review.
 */
export const diffToSarif = (result: DiffResult): SarifFinding[] =>
  result.breaking.map((c) => ({
    ruleId: `diff/${c.rule}`,
    level: 'error',
    message: `${c.message} (breaks ${c.breaks.join(' and ')})`,
    file: c.location.file,
    line: c.location.line,
    column: c.location.column,
  }))

/**
 * The scorecard levels a run did not test, as SARIF notes (`scorecard/not-tested`): failures are
 * already results of their own, and a level nothing tested must not read as passed.
 */
export const untestedLevelsToSarif = (report: RunReport): SarifFinding[] =>
  report.scorecards.flatMap((card) =>
    card.levels
      .filter((v) => v.state === 'not-tested' && v.level > card.level)
      .map((v) => ({
        ruleId: 'scorecard/not-tested',
        level: 'note' as const,
        message: `${card.party} × ${card.profile}: level ${v.level} not tested in this run${v.untested.length ? `: ${v.untested.map((u) => `${u.check} never applied (applied by ${u.appliedBy})`).join('; ')}` : ''}`,
      })),
  )

const toUri = (file: string, root: string, cwd: string): string => {
  const absolute = isAbsolute(file) ? file : resolve(cwd, file)
  const rel = relative(root, absolute)
  return rel.startsWith('..')
    ? pathToFileURL(absolute).href
    : rel.split(sep).map(encodeURIComponent).join('/')
}

const region = ({ line = 1, column = 1, endLine, endColumn }: SarifFinding) =>
  endLine !== undefined &&
  endColumn !== undefined &&
  (endLine > line || (endLine === line && endColumn > column))
    ? { startLine: line, startColumn: column, endLine, endColumn }
    : { startLine: line, startColumn: column }

/**
 * SARIF 2.1.0 for GitHub code scanning and other SARIF viewers: one run of the tool `sild`, with
 * paths relative to `root` (the `%SRCROOT%` base) and a fingerprint per result that survives
 * line moves.
 */
export const renderSarif = (
  findings: SarifFinding[],
  { root, version, cwd = process.cwd(), descriptions = {} }: SarifOptions,
): string => {
  const ruleIds = [...new Set(findings.map((f) => f.ruleId))].sort()
  const results = findings.map((f) => {
    const uri = f.file ? toUri(f.file, root, cwd) : undefined
    return {
      ruleId: f.ruleId,
      ruleIndex: ruleIds.indexOf(f.ruleId),
      level: f.level,
      message: { text: f.message },
      ...(uri
        ? {
            locations: [
              {
                physicalLocation: {
                  artifactLocation: uri.startsWith('file:')
                    ? { uri }
                    : { uri, uriBaseId: '%SRCROOT%' },
                  region: region(f),
                },
              },
            ],
          }
        : {}),
      partialFingerprints: {
        'sild/v1': createHash('sha256')
          .update(`${f.ruleId}\0${uri ?? ''}\0${f.message}`)
          .digest('hex'),
      },
    }
  })
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'sild',
            version,
            rules: ruleIds.map((id) => ({
              id,
              name: id.replace(/[/-](\w)/g, (_, c: string) => c.toUpperCase()),
              shortDescription: { text: descriptions[id] ?? id },
              defaultConfiguration: {
                level: findings.find((f) => f.ruleId === id)?.level ?? 'warning',
              },
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(`${resolve(root)}${sep}`).href } },
        results,
      },
    ],
  }
  return `${JSON.stringify(sarif, null, 2)}\n`
}
