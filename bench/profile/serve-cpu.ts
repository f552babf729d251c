import { readFile } from 'node:fs/promises'
import { createContext } from '../context.ts'
import { httpCalls, HTTP_CONCURRENCY } from '../fixtures/index.ts'
import { runLoad, type Call } from '../load.ts'

/**
 * CPU time per request of the `sild serve` child and of the client, for the HTTP sides of the
 * benchmark: `node bin/run-ts.js bench/profile/serve-cpu.ts [--requests N] [--rounds N]`.
 * Unlike requests per second, CPU time per request hardly moves with the machine's load, so it
 * compares changes on a busy machine.
 */
const TICK_US = 1e6 / 100

/** User plus system CPU time of a process in microseconds (Linux `/proc`, clock ticks of 10 ms). */
const cpuUs = async (path: string): Promise<number> => {
  const stat = await readFile(path, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) * TICK_US
}
/** The whole process, and its main thread alone. */
const serveUs = async (pid: number) => ({
  all: await cpuUs(`/proc/${pid}/stat`),
  main: await cpuUs(`/proc/${pid}/task/${pid}/stat`),
})

const clientUs = (): number => {
  const { user, system } = process.cpuUsage()
  return user + system
}

const main = async () => {
  const rest = process.argv.slice(2)
  const option = (flag: string, fallback: number) => {
    const i = rest.indexOf(flag)
    return i >= 0 ? Number(rest[i + 1]) : fallback
  }
  const requests = option('--requests', 20_000)
  const rounds = option('--rounds', 3)
  const ctx = await createContext()
  try {
    const calls = await httpCalls(ctx)
    const pid = calls.serve.child.pid
    const sides: Record<string, Call> = {
      securityServers: calls.securityServers,
      direct: calls.direct,
    }
    for (const call of Object.values(sides)) {
      await runLoad(call, { requests: 2000, concurrency: HTTP_CONCURRENCY })
    }
    const rows: string[] = []
    for (let round = 0; round < rounds; round++) {
      for (const [name, call] of Object.entries(sides)) {
        const [s0, c0] = [await serveUs(pid), clientUs()]
        const rate = await runLoad(call, { requests, concurrency: HTTP_CONCURRENCY })
        const [s1, c1] = [await serveUs(pid), clientUs()]
        const per = (us: number) => (us / requests).toFixed(1).padStart(6)
        rows.push(
          `${name.padEnd(16)} serve ${per(s1.all - s0.all)} µs/req (main thread ${per(s1.main - s0.main)})  client ${per(c1 - c0)} µs/req  ${Math.round(rate.perSecond)}/s`,
        )
      }
    }
    process.stdout.write(`${rows.join('\n')}\n`)
  } finally {
    await ctx.close()
  }
}

await main()
