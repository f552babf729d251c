import { cpus, loadavg } from 'node:os'
import type { BenchOutcome, Target } from './types.ts'

export type BenchResults = {
  machine: {
    node: string
    cpus: number
    cpuModel: string
    platform: string
    /** One-minute load average before and after the run: other work on the machine skews ratios. */
    loadAverage: [number, number]
  }
  /** The version of each peer tool the ratios compare Sild with, by package name. */
  peers: Record<string, string>
  ratios: Record<string, number>
  raw: Record<string, unknown>
}

export const meetsTarget = ({ relation, value: goal }: Target, value: number): boolean => {
  switch (relation) {
    case '>=':
      return value >= goal
    case '<=':
      return value <= goal
    case '<':
      return value < goal
    case 'reported':
      return true
  }
}

const describeTarget = ({ relation, value }: Target, unit: string): string =>
  relation === 'reported' ? 'reported' : `${relation} ${format(value)} ${unit}`

export const machine = (loadBefore: number): BenchResults['machine'] => ({
  node: process.version,
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
  platform: `${process.platform}-${process.arch}`,
  loadAverage: [round(loadBefore), round(loadavg()[0] ?? 0)],
})

/** The `bench/results.json` document: each value under `ratios`, what lies behind it under `raw`. */
export const toResults = (
  outcomes: BenchOutcome[],
  on: BenchResults['machine'],
  peers: BenchResults['peers'] = {},
): BenchResults => {
  const ratios: Record<string, number> = {}
  const raw: Record<string, unknown> = {}
  for (const o of outcomes) {
    const target =
      o.target.relation === 'reported'
        ? `reported (${o.target.source})`
        : `${o.target.relation} ${o.target.value} (${o.target.source})`
    if (o.ok) {
      ratios[o.name] = round(o.value)
      raw[o.name] = { target, pass: o.pass, ...o.raw }
    } else {
      raw[o.name] = { target, error: o.error }
    }
  }
  return { machine: on, peers, ratios, raw }
}

/** A plain-text table: each value beside its target and PASS, MISS or ERROR. */
export const formatTable = (outcomes: BenchOutcome[]): string => {
  const rows = outcomes.map((o) => [
    o.name,
    o.ok ? `${format(o.value)} ${o.unit}` : '—',
    describeTarget(o.target, o.unit),
    o.target.source,
    o.ok
      ? o.target.relation === 'reported'
        ? '—'
        : o.pass
          ? 'PASS'
          : 'MISS'
      : `ERROR ${o.error.split('\n')[0]}`,
  ])
  const header = ['benchmark', 'value', 'target', 'source', 'result']
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((r) => (r[i] as string).length)),
  )
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd()
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')
}

// Three decimals below 100, so a ratio just under its target never prints as the target.
const round = (value: number): number =>
  Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 1000) / 1000

const format = (value: number): string =>
  Math.abs(value) >= 1000 ? Math.round(value).toLocaleString('en-US') : String(round(value))
