import type { BenchContext } from '../context.ts'
import { built, compiledSild, timeSideBySide, wallMs } from '../fixtures/commands.ts'
import { median } from '../load.ts'
import type { Benchmark } from '../types.ts'

const ONE_SCENARIO = 'scenarios/service-discovery.arazzo.yaml'

const bareNode = () => wallMs({ command: process.execPath, args: ['-e', '0'] })

export const versionVsBareNode: Benchmark = {
  name: 'versionVsBareNode',
  unit: '×',
  description: 'wall time of the compiled `sild --version` ÷ wall time of `node -e 0`',
  target: { relation: '<', value: 6, source: 'issue' },
  async run(ctx) {
    await built(ctx)
    ctx.progress('sild --version vs node -e 0: a warm-up, then 7 rounds each')
    const { value, as, bs } = await timeSideBySide(
      ctx,
      7,
      () => wallMs(compiledSild(['--version'])),
      bareNode,
    )
    return { value, raw: { sildVersionMs: as, bareNodeMs: bs } }
  },
}

/** One scenario run, Node with Prism imported, and bare Node, alternated round by round. */
const oneScenarioTimes = (ctx: BenchContext) =>
  ctx.shared('one-scenario', async () => {
    await built(ctx)
    ctx.progress('sild run on one scenario vs Node + Prism vs node -e 0: a warm-up, then 3 rounds')
    const sides = {
      run: () => wallMs(compiledSild(['run', ONE_SCENARIO])),
      nodeAndPrism: () =>
        wallMs({
          command: process.execPath,
          args: ['--input-type=module', '-e', "await import('@stoplight/prism-http')"],
        }),
      bareNode,
    }
    const times = { run: [] as number[], nodeAndPrism: [] as number[], bareNode: [] as number[] }
    for (const side of Object.values(sides)) await side()
    for (let i = 0; i < ctx.count(3); i++) {
      for (const [name, side] of Object.entries(sides)) {
        times[name as keyof typeof times].push(await side())
      }
    }
    return times
  })

export const oneScenarioVsStartup: Benchmark = {
  name: 'oneScenarioVsStartup',
  unit: '×',
  description: `wall time of the compiled \`sild run ${ONE_SCENARIO}\` ÷ wall time of starting Node and importing Prism`,
  // DESIGN.md bounds the whole suite by 3× this start; one scenario is held to the same bound.
  target: { relation: '<', value: 3, source: 'DESIGN.md' },
  async run(ctx) {
    const t = await oneScenarioTimes(ctx)
    return {
      value: median(t.run) / median(t.nodeAndPrism),
      raw: {
        sildRunOneScenarioMs: t.run.map(Math.round),
        nodeAndPrismMs: t.nodeAndPrism.map(Math.round),
      },
    }
  },
}

export const oneScenarioVsBareNode: Benchmark = {
  name: 'oneScenarioVsBareNode',
  unit: '×',
  description: `wall time of the compiled \`sild run ${ONE_SCENARIO}\` ÷ wall time of \`node -e 0\``,
  target: { relation: 'reported', value: 0, source: 'issue' },
  async run(ctx) {
    const t = await oneScenarioTimes(ctx)
    return {
      value: median(t.run) / median(t.bareNode),
      raw: { sildRunOneScenarioMs: t.run.map(Math.round), bareNodeMs: t.bareNode.map(Math.round) },
    }
  },
}
