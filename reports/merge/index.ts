import { scoreRun, summarize, type ScoreOptions } from '../../runner/scoring/index.ts'
import type { RunReport, RunSummary, ScenarioResult, StepState } from '../../runner/types.ts'
import { SildInputError } from '../../specs/source-file/index.ts'

/** A report to merge and the file it came from (for messages). */
export type MergeInput = { file: string; report: RunReport }

export type MergeResult = {
  report: RunReport
  /** Why the merged report is not complete; empty when it is. */
  gaps: string[]
}

/** What a merge needs of a report before its scenarios: every field but the computed ones. */
export type ReportHead = Omit<RunReport, 'scenarios' | 'scorecards' | 'summary'>

/**
 * Joins shard reports of one run into one report: scenarios in id order, scorecards and summary
 * recomputed. Refuses reports of different Sild versions, specs, seeds or modes and scenarios
 * present twice; the result is complete only if every input was and the shards cover 1..n once.
 */
export const mergeReports = (inputs: MergeInput[]): MergeResult => {
  const { head, gaps } = mergeHeads(inputs)
  const owners = scenarioOwners()
  for (const { file, report } of inputs)
    for (const scenario of report.scenarios) owners.add(scenario.id, file)
  const scenarios = inputs
    .flatMap((i) => i.report.scenarios)
    .sort((a, b) => a.id.localeCompare(b.id))
  return {
    report: {
      ...head,
      scenarios,
      scorecards: scoreRun(scenarios, mergedScoreOptions(inputs, head)),
      summary: summarize(scenarios),
    },
    gaps,
  }
}

/**
 * The merged report's fields before its scenarios, from the inputs' own: refuses reports of
 * different runs; the merge is complete only if every input was and the shards cover 1..n once.
 */
export const mergeHeads = (
  inputs: ReadonlyArray<{ file: string; report: ReportHead }>,
): { head: ReportHead; gaps: string[] } => {
  const [first, ...rest] = inputs
  if (!first)
    throw new SildInputError('no reports to merge', undefined, 'Write sild merge REPORT.json…')
  for (const input of rest) assertSameRun(first, input)
  const gaps = gapsOf(inputs)
  const providers = [
    ...new Map(
      inputs.flatMap((i) => i.report.providers ?? []).map((p) => [p.service, p] as const),
    ).values(),
  ].sort((a, b) => a.service.localeCompare(b.service))
  return {
    head: {
      schema: 'sild.report/v1',
      sild: { version: first.report.sild.version },
      specsDigest: first.report.specsDigest,
      seed: first.report.seed,
      mode: first.report.mode,
      complete: gaps.length === 0,
      // The merged run started when its first shard did.
      startedAt: inputs.map((i) => i.report.startedAt).sort()[0] ?? first.report.startedAt,
      // Shards run side by side: the run took as long as its slowest shard.
      durationMs: Math.max(...inputs.map((i) => i.report.durationMs)),
      ...(providers.length ? { providers } : {}),
    },
    gaps,
  }
}

/** How the merged scenarios are scored: with the merged providers only when every shard recorded its own. */
export const mergedScoreOptions = (
  inputs: ReadonlyArray<{ report: ReportHead }>,
  head: ReportHead,
): ScoreOptions =>
  inputs.every((i) => i.report.providers) ? { providers: head.providers ?? [] } : {}

/** Which input each scenario came from: a scenario in two inputs is refused. */
export const scenarioOwners = () => {
  const owner = new Map<string, string>()
  return {
    add(id: string, file: string) {
      const before = owner.get(id)
      if (before !== undefined)
        throw new SildInputError(
          `scenario "${id}" is in both ${before} and ${file}`,
          undefined,
          'Merge the reports of one sharded run (each scenario runs in exactly one shard), or drop the repeated report.',
        )
      owner.set(id, file)
    },
  }
}

const SAME_RUN: Array<{ what: string; of: (r: ReportHead) => string | number }> = [
  { what: 'Sild version', of: (r) => r.sild.version },
  { what: 'specs digest', of: (r) => r.specsDigest },
  { what: 'seed', of: (r) => r.seed },
  { what: 'mode', of: (r) => r.mode },
]

type HeadInput = { file: string; report: ReportHead }

const assertSameRun = (first: HeadInput, other: HeadInput) => {
  for (const { what, of } of SAME_RUN) {
    if (of(first.report) === of(other.report)) continue
    throw new SildInputError(
      `cannot merge reports of different runs: ${first.file} has ${what} ${of(first.report)}, ${other.file} has ${of(other.report)}`,
      undefined,
      `Merge only the shards of one run: the same Sild version, specs, --seed and --mode. Re-run the odd shard${what === 'Sild version' ? ' with the same Sild version' : ''}.`,
    )
  }
}

const gapsOf = (inputs: ReadonlyArray<HeadInput>): string[] => {
  const gaps = inputs.filter((i) => !i.report.complete).map((i) => `${i.file} is an incomplete run`)
  const shards = inputs.map((i) => ({
    file: i.file,
    ...(i.report.shard ?? { index: 1, total: 1 }),
  }))
  const totals = [...new Set(shards.map((s) => s.total))]
  if (totals.length > 1)
    return [...gaps, `the shards are of different splits (of ${totals.join(', ')})`]
  const total = totals[0] ?? 1
  for (let index = 1; index <= total; index++) {
    const found = shards.filter((s) => s.index === index)
    if (found.length === 0) gaps.push(`shard ${index}/${total} is missing`)
    if (found.length > 1)
      gaps.push(
        `shard ${index}/${total} is given ${found.length} times (${found.map((s) => s.file).join(', ')})`,
      )
  }
  return gaps
}

/** Counts of a run's scenarios, steps, check applications and failures. */
