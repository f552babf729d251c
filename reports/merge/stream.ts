import { outlineOf } from '../../runner/outline.ts'
import { scoreTally, summaryTally } from '../../runner/scoring/index.ts'
import type { RunOutline, ScenarioOutline, ScenarioResult } from '../../runner/types.ts'
import { SildInputError } from '../../specs/source-file/index.ts'
import { isScenarioResult, validateRunReport } from '../schema/index.ts'
import { mergedScoreOptions, mergeHeads, scenarioOwners, type ReportHead } from './index.ts'
import { reportParts } from './read.ts'

/**
 * `mergeReports` for shard reports of any size, read from their files a scenario at a time: each
 * merged scenario goes to `write` in id order and only an outline of it is kept. Every file is
 * read twice: first to check it whole (the schema, scenarios in id order as `sild run` writes
 * them) and to merge the fields before the scenarios, then to merge the scenarios. Undefined, with
 * nothing written, when a file cannot be read this way: `mergeReports` on the whole files then
 * says what is wrong with it, or merges it.
 */
export const mergeReportFiles = async (
  files: ReadonlyArray<string>,
  write: (scenario: ScenarioResult) => Promise<void>,
): Promise<{ outline: RunOutline; gaps: string[] } | undefined> => {
  const inputs: Array<{ file: string; report: ReportHead; ids: string[] }> = []
  for (const file of files) {
    const input = await checkedHead(file)
    if (!input) return undefined
    inputs.push(input)
  }
  const { head, gaps } = mergeHeads(inputs)
  const owners = scenarioOwners()
  for (const { file, ids } of inputs) for (const id of ids) owners.add(id, file)
  const score = scoreTally()
  const summary = summaryTally()
  const outlines: ScenarioOutline[] = []
  for await (const scenario of inIdOrder(files.map(scenariosOf))) {
    score.add(scenario)
    summary.add(scenario)
    outlines.push(outlineOf(scenario))
    await write(scenario)
  }
  if (outlines.length !== inputs.reduce((n, i) => n + i.ids.length, 0))
    throw new SildInputError('a report changed while it was merged', undefined, 'Merge again.')
  return {
    outline: {
      ...head,
      scenarios: outlines,
      scorecards: score.scorecards(mergedScoreOptions(inputs, head)),
      summary: summary.summary(),
    },
    gaps,
  }
}

/** A file's fields but its scenarios, and its scenarios' ids, when all is valid and in order. */
const checkedHead = async (file: string) => {
  const fields: Record<string, unknown> = {}
  const ids: string[] = []
  try {
    for await (const part of reportParts(file)) {
      if ('key' in part) {
        fields[part.key] = part.value
        continue
      }
      const id = (part.scenario as { id?: unknown } | null)?.id
      const last = ids.at(-1)
      if (!isScenarioResult(part.scenario) || typeof id !== 'string') return undefined
      if (last !== undefined && last.localeCompare(id) > 0) return undefined
      ids.push(id)
    }
  } catch {
    return undefined
  }
  if (!validateRunReport({ ...fields, scenarios: [] }).ok) return undefined
  const { scenarios: _, scorecards: _cards, summary: _summary, ...head } = fields
  return { file, report: head as ReportHead, ids }
}

async function* scenariosOf(file: string): AsyncGenerator<ScenarioResult> {
  for await (const part of reportParts(file))
    if ('scenario' in part) yield part.scenario as ScenarioResult
}

/** Scenarios of id-ordered inputs merged in id order; ties keep the inputs' order. */
async function* inIdOrder(
  inputs: Array<AsyncGenerator<ScenarioResult>>,
): AsyncGenerator<ScenarioResult> {
  const heads = await Promise.all(inputs.map((i) => i.next()))
  for (;;) {
    let pick = -1
    for (let i = 0; i < heads.length; i++) {
      const head = heads[i]
      if (!head || head.done) continue
      const best = heads[pick]
      if (pick < 0 || (best && !best.done && head.value.id.localeCompare(best.value.id) < 0))
        pick = i
    }
    if (pick < 0) return
    const picked = heads[pick] as IteratorYieldResult<ScenarioResult>
    heads[pick] = await (inputs[pick] as AsyncGenerator<ScenarioResult>).next()
    yield picked.value
  }
}
