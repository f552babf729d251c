import { Option, type Command } from 'commander'
import {
  diffAgainstRevision,
  diffFails,
  diffSpecs,
  FAIL_ON,
  formatDiffJson,
  formatDiffMarkdown,
  formatDiffText,
  gitRoot,
  type DiffResult,
  type FailOn,
} from '../gate/diff/index.ts'
import { loadFederation } from '../specs/federation/index.ts'
import { federationSpecs, openApi3Only, resolveProject } from '../gate/project/index.ts'
import { SildInputError } from '../specs/source-file/index.ts'
import { diffToSarif, renderSarif } from '../reports/sarif/index.ts'
import { emit } from './lint.ts'
// Types only: commands.ts imports this file, so a value import of main.ts would be a cycle.
import type { CommandModule } from './main.ts'
import { sildVersion } from './version.ts'
import { escapeControl } from '../specs/control-chars/index.ts'

export const DIFF_FORMATS = ['text', 'json', 'markdown', 'sarif'] as const
type DiffFormat = (typeof DIFF_FORMATS)[number]

type DiffCliOptions = {
  base?: string
  format: DiffFormat
  failOn: FailOn
  federation?: string
  output?: string
}

const USAGE =
  'Compare two files, sild diff OLD NEW, or the working tree with a revision, sild diff --base REF [SPEC…].'

/** `sild diff OLD NEW` and `sild diff --base REF [SPEC…]`: breaking and non-breaking changes. */
export const diffCommand: CommandModule = (program: Command, done) => {
  program
    .command('diff')
    .description(
      'classify the changes between two versions of OpenAPI specs as breaking or not, and for whom',
    )
    .argument(
      '[spec...]',
      "OLD NEW, or with --base the specs to compare (default: the repository's own, as for sild lint)",
    )
    .option('--base <ref>', 'compare the working tree with this git revision')
    .addOption(
      new Option('--format <format>', 'output format').choices(DIFF_FORMATS).default('text'),
    )
    .addOption(
      new Option('--fail-on <changes>', 'exit 1 when changes of this kind are found')
        .choices(FAIL_ON)
        .default('breaking'),
    )
    .option(
      '--federation <file>',
      'federation file naming the specs for --base (default: the bundled one)',
    )
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .action(async (specs: string[], opts: DiffCliOptions) => {
      let result: DiffResult
      if (opts.base !== undefined) {
        const project = specs.length
          ? undefined
          : resolveProject({
              root: gitRoot(process.cwd()) ?? process.cwd(),
              federation: opts.federation,
            })
        const federationFile = project?.kind === 'federation' ? project.federationFile : undefined
        const files = project
          ? project.kind === 'repository'
            ? openApi3Only(project.specs)
            : federationSpecs(loadFederation([project.federationFile], { providerHosts: 'any' }))
          : specs
        result = await diffAgainstRevision({ ref: opts.base, specs: files, federationFile })
      } else {
        if (specs.length !== 2)
          throw new SildInputError(
            `sild diff needs two specs, got ${specs.length}`,
            undefined,
            USAGE,
          )
        const [oldFile, newFile] = specs as [string, string]
        result = await diffSpecs({ file: oldFile }, { file: newFile })
      }
      await emit(await renderDiff(result, opts.format), opts.output)
      done(diffFails(result, opts.failOn) ? 1 : 0)
    })
}

const renderDiff = async (result: DiffResult, format: DiffFormat): Promise<string> => {
  switch (format) {
    case 'json':
      return formatDiffJson(result)
    case 'markdown':
      return escapeControl(formatDiffMarkdown(result), { multiline: true })
    case 'sarif':
      return renderSarif(diffToSarif(result), {
        root: gitRoot(process.cwd()) ?? process.cwd(),
        version: await sildVersion(),
      })
    default:
      return escapeControl(formatDiffText(result), { multiline: true })
  }
}
