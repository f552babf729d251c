import { httpGet, keepAlivePool, serveFixture } from '../fixtures/index.ts'
import { startServe } from '../fixtures/serve.ts'
import { median, runLoad } from '../load.ts'
import { clientHeaders, securityServerPath } from '../operation.ts'
import type { Benchmark } from '../types.ts'

const SERVED_BEFORE_RSS = 500
const STARTS = 3

export const serveStartMs: Benchmark = {
  name: 'serveStartMs',
  unit: 'ms',
  description:
    'spawning `sild serve --port-base 0` until the ready file exists and ee-test answers',
  target: { relation: '<', value: 3000, source: 'issue' },
  async run(ctx) {
    // The first start may compile sources into tsx's cache; a user's later starts find it warm.
    const starts: number[] = []
    for (let i = 0; i < 1 + ctx.count(STARTS); i++) {
      ctx.progress(`starting sild serve (${i === 0 ? 'warm-up' : `${i} of ${ctx.count(STARTS)}`})`)
      const serve = await startServe(ctx.tmpDir)
      starts.push(serve.startMs)
      await serve.stop()
    }
    const [warmUp, ...measured] = starts
    return {
      value: median(measured),
      raw: { startsMs: measured.map(Math.round), warmUpStartMs: Math.round(warmUp as number) },
    }
  },
}

export const serveRssMb: Benchmark = {
  name: 'serveRssMb',
  unit: 'MB',
  description: `resident memory of \`sild serve\` once ready and after ${SERVED_BEFORE_RSS} requests`,
  target: { relation: '<', value: 300, source: 'DESIGN.md' },
  async run(ctx) {
    const serve = await serveFixture(ctx)
    const readyMb = await serve.residentMb()
    const ss = serve.ready.securityServers['ee-test'] as string
    const call = httpGet(keepAlivePool(ctx, ss), securityServerPath(), clientHeaders())
    await runLoad(call, { requests: SERVED_BEFORE_RSS, concurrency: 8 })
    const servedMb = await serve.residentMb()
    return {
      value: servedMb,
      raw: {
        residentMbWhenReady: Math.round(readyMb),
        residentMbAfterRequests: Math.round(servedMb),
        requests: SERVED_BEFORE_RSS,
      },
    }
  },
}
