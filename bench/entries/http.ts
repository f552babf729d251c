import type { BenchContext } from '../context.ts'
import { HTTP_CONCURRENCY, httpCalls } from '../fixtures/index.ts'
import { alternate, perSecond, roundRatio, runLoad, type Call } from '../load.ts'
import { BENCH_OPERATION, providerWork } from '../operation.ts'
import type { Benchmark } from '../types.ts'

/**
 * One alternating measurement of all three HTTP sides, shared by both HTTP ratios so that each
 * ratio compares rounds run back to back.
 */
const httpThroughput = (ctx: BenchContext) =>
  ctx.shared('http-throughput', async () => {
    const calls = await httpCalls(ctx)
    const rounds = ctx.quick ? 2 : 5
    // Fixed counts per side, sized so that each side's round lasts about a second here: a round of
    // a fast side that ends in a few milliseconds would measure mostly noise.
    const requests = {
      securityServers: ctx.count(5000),
      direct: ctx.count(20_000),
      prismCli: ctx.count(4000),
    }
    const load = (call: Call, n: number) => () =>
      runLoad(call, { requests: n, concurrency: HTTP_CONCURRENCY })
    ctx.progress(`HTTP: warming up, then ${rounds} rounds per side`)
    for (const call of [calls.securityServers, calls.direct, calls.prismCli]) {
      await runLoad(call, { requests: ctx.count(2000), concurrency: HTTP_CONCURRENCY })
    }
    const result = await alternate(
      {
        securityServers: load(calls.securityServers, requests.securityServers),
        direct: load(calls.direct, requests.direct),
        prismCli: load(calls.prismCli, requests.prismCli),
      },
      rounds,
    )
    return {
      result,
      settings: {
        operation: `${BENCH_OPERATION.serviceId} ${BENCH_OPERATION.operationId} GET ${BENCH_OPERATION.path}`,
        providerWork: providerWork('spec'),
        concurrency: HTTP_CONCURRENCY,
        requestsPerRound: requests,
        rounds,
        client: 'undici Pool, keep-alive, one per side, in the benchmark process',
        servers: 'sild serve and prism mock (CLI defaults) as child processes on 127.0.0.1',
      },
      residentMbAfterLoad: await calls.serve.residentMb(),
    }
  })

export const httpThroughSecurityServersVsDirect: Benchmark = {
  name: 'httpThroughSecurityServersVsDirect',
  unit: '×',
  description: 'HTTP requests/s through the ee-test security server ÷ calling the mock directly',
  target: { relation: '>=', value: 0.5, source: 'DESIGN.md' },
  async run(ctx) {
    const { result, settings, residentMbAfterLoad } = await httpThroughput(ctx)
    return {
      value: roundRatio(result.securityServers, result.direct),
      raw: {
        ...settings,
        securityServersPerSecond: perSecond(result.securityServers),
        directPerSecond: perSecond(result.direct),
        serveResidentMbAfterLoad: Math.round(residentMbAfterLoad),
      },
    }
  },
}

export const httpThroughSecurityServersVsPrismCli: Benchmark = {
  name: 'httpThroughSecurityServersVsPrismCli',
  unit: '×',
  description:
    'HTTP requests/s through the ee-test security server ÷ `prism mock` on the same spec',
  target: { relation: '>=', value: 2, source: 'DESIGN.md' },
  async run(ctx) {
    const { result, settings } = await httpThroughput(ctx)
    return {
      value: roundRatio(result.securityServers, result.prismCli),
      raw: {
        ...settings,
        securityServersPerSecond: perSecond(result.securityServers),
        prismCliPerSecond: perSecond(result.prismCli),
      },
    }
  },
}
