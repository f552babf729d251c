import type { BenchContext } from './context.ts'

/** A number to reach, as DESIGN.md (or the issue) states it. */
export type Target = {
  /** `reported`: a figure shown beside the others, with no number to reach. */
  relation: '>=' | '<' | '<=' | 'reported'
  value: number
  /** Where the number comes from, shown beside it. */
  source: string
}

export type Measurement = {
  value: number
  /** Everything behind the value (per-round rates, counts, settings), kept in results.json. */
  raw?: Record<string, unknown>
}

/** One named entry of `npm run bench`; new ones are added to the registry in `registry.ts`. */
export type Benchmark = {
  name: string
  unit: string
  description: string
  target: Target
  /** Too slow for every run: measured only when named with --only. */
  optIn?: boolean
  /** How long the run may take when it includes this benchmark, if longer than the usual limit. */
  deadlineMs?: number
  run(ctx: BenchContext): Promise<Measurement>
}

export type BenchOutcome =
  | {
      name: string
      target: Target
      unit: string
      ok: true
      value: number
      pass: boolean
      raw?: Record<string, unknown>
    }
  | { name: string; target: Target; unit: string; ok: false; error: string }
