import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** What every benchmark gets: shared fixtures, a scratch folder and a place to register cleanup. */
export type BenchContext = {
  /** Scratch folder, removed at the end. */
  tmpDir: string
  /** Shorter runs (fewer rounds and requests), for a smoke check of the benchmark itself. */
  quick: boolean
  /** A request count or number of rounds, cut to a tenth (at least 1) in a quick run. */
  count(n: number): number
  /** Builds a fixture or measurement once and shares it between benchmarks. */
  shared<T>(key: string, make: () => Promise<T>): Promise<T>
  /** Registers cleanup (stopping a server or child process); run last-in first-out on close. */
  defer(cleanup: () => unknown): void
  progress(message: string): void
  close(): Promise<void>
}

export const createContext = async ({
  quick = false,
  progress = (message: string) => process.stderr.write(`bench: ${message}\n`),
}: {
  quick?: boolean
  progress?: (message: string) => void
} = {}): Promise<BenchContext> => {
  const tmpDir = await mkdtemp(join(tmpdir(), 'sild-bench-'))
  const cache = new Map<string, Promise<unknown>>()
  const cleanups: Array<() => unknown> = []
  let closing: Promise<void> | undefined
  return {
    tmpDir,
    quick,
    count: (n) => (quick ? Math.max(1, Math.ceil(n / 10)) : n),
    shared<T>(key: string, make: () => Promise<T>) {
      let value = cache.get(key) as Promise<T> | undefined
      if (!value) {
        value = make()
        cache.set(key, value)
      }
      return value
    },
    defer: (cleanup) => void cleanups.push(cleanup),
    progress,
    close() {
      closing ??= (async () => {
        for (const cleanup of cleanups.reverse()) {
          try {
            await cleanup()
          } catch (error) {
            progress(`cleanup failed: ${(error as Error).message}`)
          }
        }
        await rm(tmpDir, { recursive: true, force: true })
      })()
      return closing
    },
  }
}
