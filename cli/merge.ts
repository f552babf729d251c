import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { jsonReportStream } from '../reports/json/stream.ts'
import { mergeReports, type MergeInput } from '../reports/merge/index.ts'
import { mergeReportFiles } from '../reports/merge/stream.ts'
import {
  parseReportTarget,
  REPORT_FORMATS,
  REPORT_STREAMS,
  type ReportStream,
  type ReportTarget,
} from '../reports/index.ts'
import type { RunOutline } from '../runner/types.ts'
import { parseRunReport } from '../reports/schema/index.ts'
import { SildInputError } from '../specs/source-file/index.ts'
// Types only: commands.ts imports this file, so a value import of main.ts would be a cycle.
import type { CommandModule, ExitCode } from './main.ts'

/** `sild merge REPORT.json…`: joins the JSON reports of a sharded run into one. */
export const mergeCommand: CommandModule = (program, done) => {
  program
    .command('merge')
    .description('merge the JSON reports of the shards of one run (sild run --shard i/n) into one')
    .argument('<report...>', 'JSON reports written by sild run --report json=PATH')
    .option(
      '--report <format=path>',
      `write the merged report (repeatable; formats: ${Object.keys(REPORT_FORMATS).join(', ')}); without it the JSON goes to stdout`,
      (value: string, previous: ReportTarget[]) => [...previous, parseReportTarget(value)],
      [],
    )
    .action(async (files: string[], opts: { report: ReportTarget[] }) =>
      done(await merge(files, opts.report)),
    )
}

const merge = async (files: string[], targets: ReportTarget[]): Promise<ExitCode> => {
  const merged = (await mergeStreamed(files, targets)) ?? (await mergeWhole(files, targets))
  const { report, gaps } = merged
  const s = report.summary.scenarios
  const line = `merged ${files.length} report${files.length === 1 ? '' : 's'}: ${report.scenarios.length} scenarios, ${s.pass} passed, ${s.fail} failed, ${s.error} errored, ${s.skip} skipped`
  process.stderr.write(`${line}\n${gaps.length ? `INCOMPLETE: ${gaps.join('; ')}\n` : ''}`)
  return report.complete && report.scenarios.length > 0 && s.pass === report.scenarios.length
    ? 0
    : 1
}

/** The merge a scenario at a time, when the files can be read so; undefined, with nothing written, otherwise. */
const mergeStreamed = async (
  files: string[],
  targets: ReportTarget[],
): Promise<{ report: RunOutline; gaps: string[] } | undefined> => {
  const streams: ReportStream[] = targets.length
    ? targets.map(({ format, path }) =>
        (REPORT_STREAMS[format] as NonNullable<(typeof REPORT_STREAMS)[string]>)(path),
      )
    : [jsonReportStream(join(tmpdir(), 'sild-merge.json'), async () => process.stdout)]
  try {
    const merged = await mergeReportFiles(files, async (scenario) => {
      for (const stream of streams) await stream.scenario(scenario)
    })
    if (!merged) return undefined
    for (const stream of streams) await stream.end(merged.outline)
    return { report: merged.outline, gaps: merged.gaps }
  } catch (error) {
    await Promise.all(streams.map((s) => s.abort()))
    throw error
  }
}

const mergeWhole = async (files: string[], targets: ReportTarget[]) => {
  const inputs: MergeInput[] = []
  for (const file of files)
    inputs.push({ file, report: parseRunReport(await readReport(file), file) })
  const merged = mergeReports(inputs)
  const { report } = merged
  if (targets.length === 0) process.stdout.write(REPORT_FORMATS.json?.(report) ?? '')
  for (const { format, path } of targets) {
    const render = REPORT_FORMATS[format] as (r: typeof report) => string
    await mkdir(dirname(path), { recursive: true })
    await writeFile(path, render(report))
  }
  return merged
}

const readReport = async (file: string): Promise<string> => {
  try {
    return await readFile(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new SildInputError(
      code === 'ENOENT'
        ? `report not found: ${file}`
        : `cannot read ${file}: ${(error as Error).message}`,
      undefined,
      'Pass the JSON reports of the shards, e.g. sild merge out/shard-*/report.json --report html=out/report.html',
    )
  }
}
