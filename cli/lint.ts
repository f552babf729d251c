import { Option, type Command } from 'commander'
import { existsSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { gitRoot } from '../gate/diff/index.ts'
import { loadFederation, type Federation } from '../specs/federation/index.ts'
import { federationSpecs, resolveProject } from '../gate/project/index.ts'
import {
  findRulesetFile,
  formatLintJson,
  formatLintJunit,
  formatLintText,
  LINT_SEVERITIES,
  lintFails,
  lintSpecs,
  type LintResult,
  type LintSeverity,
} from '../gate/lint/index.ts'
import { lintToSarif, renderSarif } from '../reports/sarif/index.ts'
// Types only: commands.ts imports this file, so a value import of main.ts would be a cycle.
import type { CommandModule } from './main.ts'
import { SildInputError } from '../specs/source-file/index.ts'
import { sildVersion } from './version.ts'

export const LINT_FORMATS = ['text', 'json', 'sarif', 'junit'] as const
type LintFormat = (typeof LINT_FORMATS)[number]

type LintCliOptions = {
  format: LintFormat
  failSeverity: LintSeverity
  ruleset?: string
  federation?: string
  output?: string
}

/** The ruleset to use: the one given, or a Spectral ruleset file in the current folder. */
export const rulesetFor = (given?: string): string | undefined => given ?? findRulesetFile()

/** `sild lint [spec…]`: Spectral's OpenAPI rules plus Sild's, on the federation's specs by default. */
export const lintCommand: CommandModule = (program: Command, done) => {
  program
    .command('lint')
    .description(
      "lint OpenAPI specs: Spectral's OpenAPI rules plus Sild's (operationIds, examples, identifier formats, error bodies, X-Road and Trembita naming)",
    )
    .argument(
      '[spec...]',
      "OpenAPI 3.0/3.1 files (default: those sild.config.yaml names, else every OpenAPI document in the repository; in Sild itself, the federation's)",
    )
    .addOption(
      new Option('--format <format>', 'output format').choices(LINT_FORMATS).default('text'),
    )
    .addOption(
      new Option('--fail-severity <severity>', 'exit 1 on findings this severe or worse')
        .choices(LINT_SEVERITIES)
        .default('error'),
    )
    .option(
      '--ruleset <file>',
      "a Spectral ruleset extending Sild's (default: .spectral.yaml/.yml/.json/.js here, if any)",
    )
    .option('--federation <file>', 'federation file (default: the bundled specs/federation.yaml)')
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .action(async (specs: string[], opts: LintCliOptions) => {
      const { files, federation, whole } = lintTargets(specs, opts.federation)
      const result = await lintSpecs(files, {
        federation,
        wholeFederation: whole,
        rulesetFile: rulesetFor(opts.ruleset),
      })
      await emit(await renderLint(result, opts.format, opts.failSeverity), opts.output)
      done(lintFails(result, opts.failSeverity) ? 1 : 0)
    })
}

/**
 * What `sild lint` reads: the files given, else the repository's own specs (sild.config.yaml, or
 * the OpenAPI documents found), else in Sild's repository or with --federation a federation's.
 */
export const lintTargets = (specs: string[], federationFile?: string) => {
  // A file that does not parse is a finding and the others are still linted; a file that is not
  // there at all is a mistake on the command line.
  const missing = specs.filter((f) => !existsSync(f))
  if (missing.length)
    throw new SildInputError(
      `spec file not found: ${missing.join(', ')}`,
      undefined,
      'Check the path; relative paths are resolved from the current directory.',
    )
  const project = specs.length
    ? undefined
    : resolveProject({ root: gitRoot(process.cwd()) ?? process.cwd(), federation: federationFile })
  const file = project ? project.federationFile : federationFile
  const federation: Federation | undefined = file
    ? loadFederation([file], { providerHosts: 'any' })
    : undefined
  const files = specs.length
    ? specs
    : project?.kind === 'repository'
      ? project.specs
      : federation
        ? federationSpecs(federation)
        : []
  return { files, federation, whole: project?.kind === 'federation' }
}

const renderLint = async (result: LintResult, format: LintFormat, failSeverity: LintSeverity) => {
  switch (format) {
    case 'json':
      return formatLintJson(result)
    case 'junit':
      return formatLintJunit(result, { failSeverity })
    case 'sarif':
      return renderSarif(lintToSarif(result.findings), {
        root: gitRoot(process.cwd()) ?? process.cwd(),
        version: await sildVersion(),
      })
    default:
      return formatLintText(result)
  }
}

/** Writes a report to the file given, or to stdout. */
export const emit = async (text: string, output?: string): Promise<void> => {
  if (!output) {
    process.stdout.write(text)
    return
  }
  await mkdir(dirname(resolve(output)), { recursive: true })
  await writeFile(output, text)
}
