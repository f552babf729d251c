import { writeFile } from 'node:fs/promises'
import { loadavg } from 'node:os'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { createContext } from './context.ts'
import { PEER_PACKAGES } from './entries/peers.ts'
import { packageVersion } from './fixtures/commands.ts'
import { benchmarks } from './registry.ts'
import { formatTable, machine, meetsTarget, toResults } from './report.ts'
import type { BenchOutcome } from './types.ts'

const RESULTS_FILE = fileURLToPath(new URL('./results.json', import.meta.url))
// A hung server must not hang CI: past this the run stops, children are killed, and it exits 1.
const DEADLINE_MS = 600_000

const USAGE = `Usage: npm run bench -- [--only NAME[,NAME…]] [--quick] [--strict]
  --only    run only these benchmarks (opt-in ones, marked *, run only so)
  --quick   fewer rounds and requests, to check the benchmark itself
  --strict  exit 1 when a benchmark misses its target
bench/results.json is written by a full run of every benchmark only.

Benchmarks:
${benchmarks.map((b) => `  ${(b.optIn ? `${b.name} *` : b.name).padEnd(38)} ${b.description}`).join('\n')}`

const parseArgs = (args: string[]) => {
  const opts = { only: undefined as string[] | undefined, quick: false, strict: false, help: false }
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string
    if (arg === '--help' || arg === '-h') opts.help = true
    else if (arg === '--quick') opts.quick = true
    else if (arg === '--strict') opts.strict = true
    else if (arg === '--only') opts.only = (args[++i] ?? '').split(',').filter(Boolean)
    else if (arg.startsWith('--only=')) opts.only = arg.slice(7).split(',').filter(Boolean)
    else throw new Error(`unknown argument ${arg}\n${USAGE}`)
  }
  const unknown = opts.only?.filter((name) => !benchmarks.some((b) => b.name === name)) ?? []
  if (unknown.length > 0) throw new Error(`no benchmark named ${unknown.join(', ')}\n${USAGE}`)
  return opts
}

const main = async (): Promise<number> => {
  const opts = parseArgs(process.argv.slice(2))
  if (opts.help) {
    process.stdout.write(`${USAGE}\n`)
    return 0
  }
  const selected = benchmarks.filter((b) => (opts.only ? opts.only.includes(b.name) : !b.optIn))
  const ctx = await createContext({ quick: opts.quick })
  const outcomes: BenchOutcome[] = []
  const started = performance.now()
  const loadBefore = loadavg()[0] ?? 0
  const report = () => {
    const on = machine(loadBefore)
    const seconds = ((performance.now() - started) / 1000).toFixed(0)
    const load = `load average ${on.loadAverage.join(' → ')} on ${on.cpus} CPUs`
    process.stdout.write(`\n${formatTable(outcomes)}\n\nbenchmarks took ${seconds} s, ${load}\n`)
    return on
  }
  const stop = async (why: string) => {
    process.stderr.write(`bench: ${why}, stopping servers\n`)
    await ctx.close()
    report()
    process.exit(1)
  }
  const deadlineMs = Math.max(DEADLINE_MS, ...selected.map((b) => b.deadlineMs ?? 0))
  const deadline = setTimeout(() => void stop(`over ${deadlineMs / 1000} s`), deadlineMs)
  process.once('SIGINT', () => void stop('interrupted'))
  try {
    for (const b of selected) {
      ctx.progress(`${b.name}…`)
      const base = { name: b.name, target: b.target, unit: b.unit }
      try {
        const { value, raw } = await b.run(ctx)
        outcomes.push({ ...base, ok: true, value, pass: meetsTarget(b.target, value), raw })
      } catch (error) {
        outcomes.push({ ...base, ok: false, error: (error as Error).stack ?? String(error) })
      }
    }
  } finally {
    await ctx.close()
    clearTimeout(deadline)
  }
  const on = report()
  for (const o of outcomes) if (!o.ok) process.stderr.write(`\n${o.name} failed:\n${o.error}\n`)
  // A partial run writes no results.json: what lies behind its values is printed instead.
  if (opts.only) {
    const raw = Object.fromEntries(outcomes.flatMap((o) => (o.ok ? [[o.name, o.raw ?? {}]] : [])))
    process.stdout.write(`\n${JSON.stringify(raw, null, 2)}\n`)
  }
  // Only a whole, full-length run replaces the recorded results.
  if (!opts.quick && !opts.only) {
    const peers = Object.fromEntries(PEER_PACKAGES.map((p) => [p, packageVersion(p)]))
    await writeFile(RESULTS_FILE, `${JSON.stringify(toResults(outcomes, on, peers), null, 2)}\n`)
    process.stdout.write(`results: ${RESULTS_FILE}\n`)
  }
  if (outcomes.some((o) => !o.ok)) return 1
  return opts.strict && outcomes.some((o) => o.ok && !o.pass) ? 1 : 0
}

process.exitCode = await main().catch((error: Error) => {
  process.stderr.write(`${error.message}\n`)
  return 1
})
