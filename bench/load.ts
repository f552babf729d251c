import { performance } from 'node:perf_hooks'

/** One call of a workload; resolves to the status it got. */
export type Call = () => Promise<number>

export type Rate = { requests: number; ms: number; perSecond: number }

/**
 * Sends `requests` calls with `concurrency` in flight and returns the rate. Any unexpected status
 * or error stops the run: a benchmark that fails requests measures the wrong thing.
 */
export const runLoad = async (
  call: Call,
  {
    requests,
    concurrency = 1,
    expect = 200,
  }: { requests: number; concurrency?: number; expect?: number },
): Promise<Rate> => {
  let sent = 0
  const started = performance.now()
  const worker = async () => {
    while (sent < requests) {
      sent++
      const status = await call()
      if (status !== expect) {
        throw new Error(`benchmark call answered ${status}, expected ${expect}`)
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, requests) }, worker))
  const ms = performance.now() - started
  return { requests, ms, perSecond: requests / (ms / 1000) }
}

export type Rounds<K extends string> = Record<K, Rate[]>

/**
 * Measures several sides in alternating rounds, rotating which side goes first, so that machine
 * noise (another process, a GC, CPU frequency) falls on every side alike.
 */
export const alternate = async <K extends string>(
  sides: Record<K, () => Promise<Rate>>,
  rounds: number,
): Promise<Rounds<K>> => {
  const names = Object.keys(sides) as K[]
  const result = Object.fromEntries(names.map((n) => [n, [] as Rate[]])) as Rounds<K>
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(round + i) % names.length] as K
      result[name].push(await sides[name]())
    }
  }
  return result
}

export const median = (values: number[]): number => {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

/** The median over rounds of `a / b`, each round's pair measured back to back. */
export const roundRatio = (a: Rate[], b: Rate[]): number =>
  median(a.map((rate, i) => rate.perSecond / (b[i]?.perSecond ?? Number.NaN)))

export const perSecond = (rates: Rate[]): number[] => rates.map((r) => Math.round(r.perSecond))
