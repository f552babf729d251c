import { join } from 'node:path'
import { measureAppendRate } from '../../mocks/message-log/index.ts'
import { median } from '../load.ts'
import type { Benchmark } from '../types.ts'

export const logAppendsPerSecond: Benchmark = {
  name: 'logAppendsPerSecond',
  unit: '/s',
  description: 'hash-chained appends per second to a file-backed message log, until synced',
  target: { relation: '>=', value: 20_000, source: 'DESIGN.md' },
  async run(ctx) {
    const records = ctx.count(20_000)
    const rounds = ctx.quick ? 1 : 3
    const rates: number[] = []
    for (let i = 0; i < rounds; i++) {
      const file = join(ctx.tmpDir, `append-rate-${i}.jsonl`)
      rates.push((await measureAppendRate({ records, file })).appendsPerSecond)
    }
    return {
      value: median(rates),
      raw: { records, rounds, appendsPerSecond: rates.map(Math.round) },
    }
  },
}
