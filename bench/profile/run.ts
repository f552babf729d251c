import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Pool } from 'undici'
import { startSandboxServers } from '../../cli/sandbox-servers.ts'
import { createContext, type BenchContext } from '../context.ts'
import { httpGet, inprocCalls } from '../fixtures/index.ts'
import { runLoad, type Call } from '../load.ts'
import {
  BENCH_OPERATION,
  clientHeaders,
  providerHeaders,
  securityServerPath,
} from '../operation.ts'
import {
  formatRows,
  profile,
  saveProfile,
  selfTimeByFile,
  topSelfTime,
  topTotalTime,
} from './index.ts'

/**
 * Profiles one benchmark side and prints where its time goes:
 * `node bin/run-ts.js bench/profile/run.ts WORKLOAD [--requests N] [--top N]`.
 * The `.cpuprofile` it writes opens in Chrome DevTools like one from `node --cpu-prof`.
 */
type Workload = {
  describe: string
  concurrency: number
  setup(ctx: BenchContext): Promise<Call>
}

const httpServers = async (ctx: BenchContext) => {
  const dir = await mkdtemp(join(tmpdir(), 'sild-profile-'))
  const servers = await startSandboxServers({
    portBase: 0,
    log: join(dir, 'log.jsonl'),
    mocks: 'spec',
  })
  ctx.defer(() => rm(dir, { recursive: true, force: true }))
  ctx.defer(() => servers.close())
  return servers
}

const pool = (ctx: BenchContext, origin: string) => {
  const p = new Pool(origin, { connections: 32 })
  ctx.defer(() => p.close())
  return p
}

const WORKLOADS: Record<string, Workload> = {
  'inproc-exchange': {
    describe: 'in-process exchange through the ee-test security server (sb.dispatcher.fetch)',
    concurrency: 1,
    setup: async (ctx) => (await inprocCalls(ctx)).exchange,
  },
  'inproc-service': {
    describe: 'in-process call of the mocked service directly',
    concurrency: 1,
    setup: async (ctx) => (await inprocCalls(ctx)).service,
  },
  'bare-prism': {
    describe: 'bare in-process Prism client on the same operation',
    concurrency: 1,
    setup: async (ctx) => (await inprocCalls(ctx)).barePrism,
  },
  'http-security-server': {
    describe:
      'HTTP through the ee-test security server, servers and undici client in this process (client frames are under undici/)',
    concurrency: 32,
    setup: async (ctx) => {
      const servers = await httpServers(ctx)
      const origin = servers.ready.securityServers[BENCH_OPERATION.instance] as string
      return httpGet(pool(ctx, origin), securityServerPath(), clientHeaders())
    },
  },
  'http-direct': {
    describe: 'HTTP to the mocked service directly, server and client in this process',
    concurrency: 32,
    setup: async (ctx) => {
      const servers = await httpServers(ctx)
      const origin = servers.ready.services[BENCH_OPERATION.serviceId] as string
      return httpGet(pool(ctx, origin), BENCH_OPERATION.path, providerHeaders)
    },
  },
}

const main = async () => {
  const [name, ...rest] = process.argv.slice(2)
  const workload = name ? WORKLOADS[name] : undefined
  if (!workload) {
    const list = Object.entries(WORKLOADS)
      .map(([n, w]) => `  ${n.padEnd(22)} ${w.describe}`)
      .join('\n')
    process.stderr.write(
      `Usage: node bin/run-ts.js bench/profile/run.ts WORKLOAD [--requests N] [--top N]\n${list}\n`,
    )
    return 2
  }
  const option = (flag: string, fallback: number) => {
    const i = rest.indexOf(flag)
    return i >= 0 ? Number(rest[i + 1]) : fallback
  }
  const requests = option('--requests', 20_000)
  const top = option('--top', 25)
  const ctx = await createContext()
  try {
    const call = await workload.setup(ctx)
    await runLoad(call, { requests: 2000, concurrency: workload.concurrency })
    let rate = 0
    const result = await profile(async () => {
      rate = (await runLoad(call, { requests, concurrency: workload.concurrency })).perSecond
    })
    const file = join(tmpdir(), `sild-${name}.cpuprofile`)
    await saveProfile(file, result)
    process.stdout.write(
      `${name}: ${workload.describe}\n${requests} requests, ${Math.round(rate)}/s (under the profiler)\n\n` +
        `Self time by function (TypeScript positions):\n${formatRows(topSelfTime(result, top))}\n\n` +
        `Self time by file:\n${formatRows(selfTimeByFile(result))}\n\n` +
        `Total time by function (with what it calls synchronously):\n${formatRows(topTotalTime(result, top))}\n\n` +
        `profile: ${file}\n`,
    )
    return 0
  } finally {
    await ctx.close()
  }
}

process.exitCode = await main()
