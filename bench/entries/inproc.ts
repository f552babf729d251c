import type { BenchContext } from '../context.ts'
import { inprocCalls } from '../fixtures/index.ts'
import { alternate, median, perSecond, roundRatio, runLoad, type Call } from '../load.ts'
import { BENCH_OPERATION, providerWork } from '../operation.ts'
import type { Benchmark } from '../types.ts'

const inprocThroughput = (ctx: BenchContext) =>
  ctx.shared('inproc-throughput', async () => {
    const calls = await inprocCalls(ctx)
    const rounds = ctx.quick ? 2 : 5
    // Per-side counts sized so that each round lasts a fraction of a second or more.
    const requests = {
      exchange: ctx.count(3000),
      service: ctx.count(10_000),
      barePrism: ctx.count(5000),
    }
    // One call at a time: the ratio is the cost of one call, as DESIGN.md states it.
    const load = (call: Call, n: number) => () => runLoad(call, { requests: n })
    ctx.progress(`in-process: warming up, then ${rounds} rounds per side`)
    for (const call of Object.values(calls)) await runLoad(call, { requests: ctx.count(1000) })
    const result = await alternate(
      {
        exchange: load(calls.exchange, requests.exchange),
        service: load(calls.service, requests.service),
        barePrism: load(calls.barePrism, requests.barePrism),
      },
      rounds,
    )
    return { result, requests, rounds }
  })

export const inprocExchangeVsBarePrism: Benchmark = {
  name: 'inprocExchangeVsBarePrism',
  unit: '×',
  description:
    'in-process exchanges/s through both security servers ÷ bare in-process Prism calls/s',
  target: { relation: '>=', value: 0.5, source: 'DESIGN.md' },
  async run(ctx) {
    const { result, requests, rounds } = await inprocThroughput(ctx)
    const usPerCall = (rates: typeof result.exchange) => 1e6 / median(rates.map((r) => r.perSecond))
    return {
      value: roundRatio(result.exchange, result.barePrism),
      raw: {
        operation: `${BENCH_OPERATION.serviceId} ${BENCH_OPERATION.operationId} GET ${BENCH_OPERATION.path}`,
        providerWork: providerWork(),
        concurrency: 1,
        requestsPerRound: requests,
        rounds,
        exchangePerSecond: perSecond(result.exchange),
        directServicePerSecond: perSecond(result.service),
        barePrismPerSecond: perSecond(result.barePrism),
        // What the security servers add to one call, with the provider's own work taken out.
        securityServersUsPerCall: Math.round(
          usPerCall(result.exchange) - usPerCall(result.service),
        ),
        barePrismUsPerCall: Math.round(usPerCall(result.barePrism)),
      },
    }
  },
}
