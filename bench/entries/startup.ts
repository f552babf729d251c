import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { BenchContext } from '../context.ts'
import { median } from '../load.ts'
import type { Benchmark } from '../types.ts'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const ONE_SCENARIO = 'scenarios/service-discovery.arazzo.yaml'
// The compiled command as the installed package runs it: dist/, no TypeScript loader.
const COMPILED_SILD =
  "const { main } = await import('./dist/cli/main.js'); process.exitCode = await main(process.argv.slice(1))"

const wallMs = (args: string[]): Promise<number> =>
  new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: 'ignore' })
    child.once('error', reject)
    child.once('exit', (code) =>
      code === 0
        ? resolve(performance.now() - started)
        : reject(new Error(`node ${args.join(' ')} exited ${code}`)),
    )
  })

const sild = (...args: string[]) =>
  wallMs(['--input-type=module', '-e', COMPILED_SILD, '--', ...args])

/** Builds dist/ once per bench run, so the figures are those of the package a user installs. */
const built = (ctx: BenchContext) =>
  ctx.shared('dist', async () => {
    ctx.progress('building dist/ (npm run build)')
    await wallMs(['bin/build.js'])
  })

/** Alternates the two sides after a warm-up of each, and returns the medians' ratio. */
const ratio = async (
  ctx: BenchContext,
  rounds: number,
  a: () => Promise<number>,
  b: () => Promise<number>,
) => {
  await a()
  await b()
  const as: number[] = []
  const bs: number[] = []
  for (let i = 0; i < ctx.count(rounds); i++) {
    as.push(await a())
    bs.push(await b())
  }
  return { value: median(as) / median(bs), as: as.map(Math.round), bs: bs.map(Math.round) }
}

export const versionVsBareNode: Benchmark = {
  name: 'versionVsBareNode',
  unit: '×',
  description: 'wall time of the compiled `sild --version` ÷ wall time of `node -e 0`',
  target: { relation: '<', value: 6, source: 'issue' },
  async run(ctx) {
    await built(ctx)
    ctx.progress('sild --version vs node -e 0: a warm-up, then 7 rounds each')
    const { value, as, bs } = await ratio(
      ctx,
      7,
      () => sild('--version'),
      () => wallMs(['-e', '0']),
    )
    return { value, raw: { sildVersionMs: as, bareNodeMs: bs } }
  },
}

export const oneScenarioVsStartup: Benchmark = {
  name: 'oneScenarioVsStartup',
  unit: '×',
  description: `wall time of the compiled \`sild run ${ONE_SCENARIO}\` ÷ wall time of starting Node and importing Prism`,
  // DESIGN.md bounds the whole suite by 3× this start; one scenario is held to the same bound.
  target: { relation: '<', value: 3, source: 'DESIGN.md' },
  async run(ctx) {
    await built(ctx)
    ctx.progress('sild run on one scenario vs Node + Prism start: a warm-up, then 3 rounds each')
    const startup = () =>
      wallMs(['--input-type=module', '-e', "await import('@stoplight/prism-http')"])
    const { value, as, bs } = await ratio(ctx, 3, () => sild('run', ONE_SCENARIO), startup)
    return { value, raw: { sildRunOneScenarioMs: as, nodeAndPrismMs: bs } }
  },
}
