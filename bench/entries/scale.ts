import { spawn } from 'node:child_process'
import { cpSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createMessageLog } from '../../mocks/message-log/index.ts'
import type { BenchContext } from '../context.ts'
import { built, compiledSild, ROOT, type CommandLine } from '../fixtures/commands.ts'
import type { Benchmark } from '../types.ts'

type Measured = { ms: number; peakMb: number }

/**
 * Runs a command to its end, reading its peak resident memory (`VmHWM`, Linux) while it runs:
 * the high-water mark only grows, so the last reading before the exit is the peak.
 */
const measure = (
  ctx: BenchContext,
  { command, args, exitCodes = [0] }: CommandLine,
): Promise<Measured> =>
  new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] })
    // A run stopped at its deadline must not leave the measured command running.
    ctx.defer(() => child.exitCode === null && child.kill())
    let stderr = ''
    child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-2000)))
    let peakKb = 0
    const read = async () => {
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8').catch(() => '')
      const kb = Number(/VmHWM:\s+(\d+)\s+kB/.exec(status)?.[1] ?? 0)
      if (kb > peakKb) peakKb = kb
    }
    const timer = setInterval(() => void read(), 50)
    child.once('error', reject)
    child.once('exit', (code) => {
      clearInterval(timer)
      if (code === null || !exitCodes.includes(code)) {
        reject(new Error(`${args.slice(-4).join(' ')} exited ${code}\n${stderr}`))
        return
      }
      resolve({ ms: performance.now() - started, peakMb: Math.round(peakKb / 1024) })
    })
  })

/**
 * `copies` copies of the bundled suite, flat in one folder of dist/ beside the compiled specs, so
 * that each copy's relative source URLs resolve as the originals' do.
 */
const suiteCopies = (copies: number): { dir: string; scenarios: number } => {
  const dir = join(ROOT, 'dist', `scale-${copies}`)
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const bundled = readdirSync(join(ROOT, 'scenarios')).filter((f) => f.endsWith('.arazzo.yaml'))
  for (let k = 0; k < copies; k++) {
    for (const file of bundled) cpSync(join(ROOT, 'scenarios', file), join(dir, `${k}-${file}`))
  }
  return { dir, scenarios: copies * bundled.length }
}

const SHARDS = 4

/** The whole suite in one process, then in SHARDS processes side by side and merged. */
const suiteAt = async (ctx: BenchContext, copies: number) => {
  const { dir, scenarios } = suiteCopies(copies)
  const report = join(ctx.tmpDir, `scale-${copies}.json`)
  ctx.progress(`scale: ${scenarios} scenarios in one process`)
  const one = await measure(ctx, compiledSild(['run', dir, '--report', `json=${report}`]))
  const reportMb = statSync(report).size / 1024 / 1024
  ctx.progress(`scale: ${scenarios} scenarios in ${SHARDS} shards, then merged`)
  const started = performance.now()
  const shardReports = Array.from({ length: SHARDS }, (_, i) =>
    join(ctx.tmpDir, `scale-${copies}-shard-${i + 1}.json`),
  )
  const shards = await Promise.all(
    shardReports.map((file, i) =>
      measure(
        ctx,
        compiledSild(['run', dir, '--shard', `${i + 1}/${SHARDS}`, '--report', `json=${file}`]),
      ),
    ),
  )
  const merged = join(ctx.tmpDir, `scale-${copies}-merged.json`)
  const merge = await measure(
    ctx,
    compiledSild(['merge', ...shardReports, '--report', `json=${merged}`]),
  )
  return {
    scenarios,
    inProcess: { ms: Math.round(one.ms), peakMb: one.peakMb, reportMb: round1(reportMb) },
    sharded: {
      ms: Math.round(performance.now() - started),
      shardPeakMb: Math.max(...shards.map((s) => s.peakMb)),
      mergeMs: Math.round(merge.ms),
      mergePeakMb: merge.peakMb,
    },
  }
}

const round1 = (n: number) => Math.round(n * 10) / 10

/** Small exchange records, as a long-running sandbox writes them, chained and signed. */
const writeLog = async (file: string, records: number) => {
  const log = await createMessageLog({ file, memoryRecords: 0 })
  for (let i = 0; i < records; i++) {
    log.append({
      kind: 'exchange',
      securityServer: 'ee-test/GOV/70006317/ss1',
      instance: 'ee-test',
      messageId: `ee-test-${i}`,
      client: 'ee-test/GOV/70006317/eesti-ee',
      service: 'ee-test/GOV/70008440/rr/population',
      method: 'GET',
      path: '/persons/48001013546',
      status: 200,
    })
    if (i % 1000 === 999) await log.written()
  }
  await log.close()
}

const COPIES = [1, 10, 100]
const LOG_RECORDS = 1_000_000
/** The suite at more than 17,000 scenarios: one process only, as it takes long. */
const LARGE_COPIES = 1_000

export const suiteScale: Benchmark = {
  name: 'suiteScale',
  unit: 'MB',
  description: `peak memory of the compiled \`sild run\` on ${COPIES.at(-1)} copies of the bundled suite (also: time per size, ${SHARDS} shards merged, \`sild log verify\` on ${LOG_RECORDS.toLocaleString('en-US')} records); opt-in: --only suiteScale`,
  target: { relation: '<', value: 300, source: 'issue' },
  optIn: true,
  async run(ctx) {
    await built(ctx)
    const sizes = ctx.quick ? [1, 2] : COPIES
    const bySize = []
    for (const copies of sizes) bySize.push(await suiteAt(ctx, copies))
    const records = ctx.quick ? 10_000 : LOG_RECORDS
    const logFile = join(ctx.tmpDir, 'scale-log', 'message-log.jsonl')
    ctx.progress(`scale: writing a message log of ${records} records`)
    const writing = performance.now()
    await writeLog(logFile, records)
    const writeMs = performance.now() - writing
    ctx.progress('scale: sild log verify')
    const verify = await measure(ctx, compiledSild(['log', 'verify', logFile]))
    for (const copies of sizes)
      rmSync(join(ROOT, 'dist', `scale-${copies}`), { recursive: true, force: true })
    const largest = bySize.at(-1)
    return {
      value: largest?.inProcess.peakMb ?? Number.NaN,
      raw: {
        suite: bySize,
        logVerify: {
          records,
          fileMb: round1(statSync(logFile).size / 1024 / 1024),
          writeMs: Math.round(writeMs),
          verifyMs: Math.round(verify.ms),
          verifyPeakMb: verify.peakMb,
        },
      },
    }
  },
}

export const suiteScaleLarge: Benchmark = {
  name: 'suiteScaleLarge',
  unit: 'MB',
  description: `peak memory of the compiled \`sild run\` on ${LARGE_COPIES} copies of the bundled suite in one process (also: time, report size); opt-in and long: --only suiteScaleLarge`,
  target: { relation: 'reported', value: 0, source: 'issue: a 17,000-scenario suite runs' },
  optIn: true,
  deadlineMs: 3 * 60 * 60 * 1000,
  async run(ctx) {
    await built(ctx)
    const copies = ctx.quick ? 3 : LARGE_COPIES
    const { dir, scenarios } = suiteCopies(copies)
    const report = join(ctx.tmpDir, `scale-${copies}.json`)
    ctx.progress(`scale: ${scenarios} scenarios in one process`)
    try {
      const one = await measure(ctx, compiledSild(['run', dir, '--report', `json=${report}`]))
      return {
        value: one.peakMb,
        raw: {
          scenarios,
          ms: Math.round(one.ms),
          msPerScenario: round1(one.ms / scenarios),
          peakMb: one.peakMb,
          reportMb: round1(statSync(report).size / 1024 / 1024),
        },
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  },
}
