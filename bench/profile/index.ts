import { readFileSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { Session } from 'node:inspector/promises'
import { findSourceMap } from 'node:module'
import { relative } from 'node:path'
import { fileURLToPath } from 'node:url'

type CallFrame = { functionName: string; url: string; lineNumber: number; columnNumber: number }
type ProfileNode = { id: number; callFrame: CallFrame }
/** V8's `.cpuprofile` format, as `node --cpu-prof` writes it and DevTools opens it. */
export type CpuProfile = {
  nodes: ProfileNode[]
  startTime: number
  endTime: number
  samples: number[]
  timeDeltas: number[]
}

export type SelfTimeRow = {
  /** Share of all sampled time, 0–100. */
  percent: number
  ms: number
  /** `file:line function`, in TypeScript source positions where a source map is known. */
  where: string
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

/**
 * Runs `work` under V8's sampling profiler (the one behind `node --cpu-prof`), so only the
 * measured phase is sampled, not start-up and compilation.
 */
export const profile = async (
  work: () => Promise<void>,
  { intervalUs = 200 }: { intervalUs?: number } = {},
): Promise<CpuProfile> => {
  const session = new Session()
  session.connect()
  try {
    await session.post('Profiler.enable')
    await session.post('Profiler.setSamplingInterval', { interval: intervalUs })
    await session.post('Profiler.start')
    let result: CpuProfile | undefined
    try {
      await work()
    } finally {
      result = (await session.post('Profiler.stop')).profile as unknown as CpuProfile
    }
    return result
  } finally {
    session.disconnect()
  }
}

/** Self time (microseconds) summed over the profile's nodes under the key `keyOf` gives them. */
const sumSelfTime = (
  p: CpuProfile,
  keyOf: (frame: CallFrame) => string,
  top: number,
): SelfTimeRow[] => {
  const byNode = new Map<number, number>()
  p.samples.forEach((id, i) => byNode.set(id, (byNode.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)))
  let total = 0
  const byKey = new Map<string, number>()
  for (const node of p.nodes) {
    const us = byNode.get(node.id) ?? 0
    if (us === 0) continue
    total += us
    const key = keyOf(node.callFrame)
    byKey.set(key, (byKey.get(key) ?? 0) + us)
  }
  return [...byKey]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([where, us]) => ({ percent: (100 * us) / (total || 1), ms: us / 1000, where }))
}

/**
 * Self time per function. tsx compiles each TypeScript file to one line, so positions are mapped
 * back through the file's source map and shown with the source line.
 */
export const topSelfTime = (p: CpuProfile, top = 25): SelfTimeRow[] =>
  sumSelfTime(p, describeFrame, top)

/** Self time per file or module, for a coarse picture of where time goes. */
export const selfTimeByFile = (p: CpuProfile, top = 15): SelfTimeRow[] =>
  sumSelfTime(p, (frame) => shortUrl(frame.url) || `(${frame.functionName || 'native'})`, top)

/**
 * Total (inclusive) time per function: its own samples plus those of everything it called
 * synchronously. Async continuations start new stacks, so an awaited callee is not included.
 */
export const topTotalTime = (p: CpuProfile, top = 40): SelfTimeRow[] => {
  const parent = new Map<number, number>()
  for (const node of p.nodes as (ProfileNode & { children?: number[] })[])
    for (const child of node.children ?? []) parent.set(child, node.id)
  const frames = new Map(p.nodes.map((n) => [n.id, n.callFrame]))
  const byNode = new Map<number, number>()
  p.samples.forEach((id, i) => byNode.set(id, (byNode.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)))
  const keys = new Map<number, string>()
  const keyOf = (id: number) => {
    let key = keys.get(id)
    if (key === undefined) keys.set(id, (key = describeFrame(frames.get(id) as CallFrame)))
    return key
  }
  let total = 0
  const byKey = new Map<string, number>()
  for (const [id, us] of byNode) {
    total += us
    const seen = new Set<string>()
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const key = keyOf(cur)
      if (seen.has(key)) continue
      seen.add(key)
      byKey.set(key, (byKey.get(key) ?? 0) + us)
    }
  }
  return [...byKey]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([where, us]) => ({ percent: (100 * us) / (total || 1), ms: us / 1000, where }))
}

export const formatRows = (rows: SelfTimeRow[]): string =>
  rows
    .map(
      (r) => `${r.percent.toFixed(1).padStart(5)}%  ${r.ms.toFixed(0).padStart(6)} ms  ${r.where}`,
    )
    .join('\n')

export const saveProfile = (file: string, p: CpuProfile): Promise<void> =>
  writeFile(file, JSON.stringify(p))

const sourceLines = new Map<string, string[]>()

const describeFrame = ({ functionName, url, lineNumber, columnNumber }: CallFrame): string => {
  const name = functionName || '(anonymous)'
  if (!url) return name
  const entry = (
    url.startsWith('file:') ? findSourceMap(url)?.findEntry(lineNumber, columnNumber) : undefined
  ) as { originalSource?: string; originalLine?: number } | undefined
  if (entry?.originalSource && entry.originalLine !== undefined) {
    const file = fileURLToPath(entry.originalSource)
    return `${shortPath(file)}:${entry.originalLine + 1} ${name}  | ${sourceLine(file, entry.originalLine)}`
  }
  return `${shortUrl(url)}:${lineNumber + 1} ${name}`
}

const sourceLine = (file: string, line: number): string => {
  let lines = sourceLines.get(file)
  if (!lines) {
    try {
      lines = readFileSync(file, 'utf8').split('\n')
    } catch {
      lines = []
    }
    sourceLines.set(file, lines)
  }
  return (lines[line] ?? '').trim().slice(0, 90)
}

const shortUrl = (url: string): string =>
  url.startsWith('file:') ? shortPath(fileURLToPath(url)) : url

const shortPath = (file: string): string => {
  const path = relative(ROOT, file)
  return path.replace(/^node_modules\//, '')
}
