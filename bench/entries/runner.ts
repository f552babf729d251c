import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { loadFederation } from '../../specs/federation/index.ts'
import { inprocEnvironment } from '../../cli/environments.ts'
import { runScenarios } from '../../runner/run.ts'
import { loadScenario } from '../../runner/scenario/index.ts'
import type { BenchContext } from '../context.ts'
import { benchSpec } from '../fixtures/index.ts'
import { createPrismClient } from '../../mocks/service-host/prism.ts'
import { alternate, median, roundRatio, runLoad, type Rate } from '../load.ts'
import { BENCH_OPERATION, providerHeaders } from '../operation.ts'
import type { Benchmark } from '../types.ts'

/** Steps per workflow: well inside the runner's guard against goto loops. */
const STEPS_PER_WORKFLOW = 200

/**
 * A scenario of `steps` identical person lookups through the security servers, each checked, in
 * workflows of up to STEPS_PER_WORKFLOW steps.
 */
const stepScenario = (steps: number): string => {
  const file = join(process.cwd(), 'bench', 'fixtures', 'steps.generated.arazzo.yaml')
  const lines = [
    'arazzo: 1.0.1',
    'info: { title: Benchmark steps, version: 1.0.0 }',
    'sourceDescriptions:',
    '  - { name: rr, url: ../../specs/ee/population-register.yaml, type: openapi }',
    'workflows:',
  ]
  const code = BENCH_OPERATION.path.split('/').pop()
  for (let i = 0; i < steps; i++) {
    if (i % STEPS_PER_WORKFLOW === 0) {
      lines.push(
        `  - workflowId: lookups-${i / STEPS_PER_WORKFLOW + 1}`,
        `    x-sild-client: ${BENCH_OPERATION.client}`,
        '    steps:',
      )
    }
    lines.push(
      `      - stepId: s${i}`,
      '        operationId: getPerson',
      `        parameters: [{ name: personalCode, in: path, value: '${code}' }]`,
      '        successCriteria: [{ condition: $statusCode == 200 }]',
    )
  }
  writeFileSync(file, `${lines.join('\n')}\n`)
  return file
}

export const inprocStepVsBarePrism: Benchmark = {
  name: 'inprocStepVsBarePrism',
  unit: '×',
  description:
    'in-process scenario steps/s (runner, both security servers, Prism-backed mock, every check) ÷ bare in-process Prism calls/s',
  target: { relation: '>=', value: 0.4, source: 'DESIGN.md' },
  async run(ctx: BenchContext) {
    const federation = loadFederation()
    // About as long a round as the bare Prism side's, so that neither side measures mostly noise.
    const steps = ctx.count(1000)
    const scenario = await loadScenario(stepScenario(steps), { federation })
    const env = inprocEnvironment({ federation, mocks: 'spec' })
    const prism = await createPrismClient((await benchSpec(ctx)).document)
    const stepRound = async (): Promise<Rate> => {
      const started = performance.now()
      const report = await runScenarios({
        scenarios: [scenario],
        federation,
        env,
        version: 'bench',
        specsDigest: 'bench',
      })
      const ms = performance.now() - started
      if (report.summary.steps.pass !== steps)
        throw new Error(`benchmark steps failed: ${JSON.stringify(report.summary.steps)}`)
      return { requests: steps, ms, perSecond: steps / (ms / 1000) }
    }
    const prismRound = () =>
      runLoad(
        async () =>
          (await prism.request(BENCH_OPERATION.path, { method: 'get', headers: providerHeaders }))
            .status,
        {
          requests: ctx.count(3000),
        },
      )
    ctx.progress('in-process steps: warming up, then 5 rounds per side')
    // Warmed up as long as the HTTP sides are, so that the compiler has settled before measuring.
    for (let i = 0; i < 2; i++) await stepRound()
    await prismRound()
    const result = await alternate({ step: stepRound, barePrism: prismRound }, ctx.quick ? 2 : 5)
    return {
      value: roundRatio(result.step, result.barePrism),
      raw: {
        operation: `${BENCH_OPERATION.serviceId} getPerson, Prism-backed (spec-only mocks)`,
        stepsPerRound: steps,
        stepsPerSecond: result.step.map((r) => Math.round(r.perSecond)),
        barePrismPerSecond: result.barePrism.map((r) => Math.round(r.perSecond)),
        note: 'each round includes one sandbox session (world reset), as a scenario run does',
      },
    }
  },
}

const wallMs = (command: string, args: string[]): Promise<number> =>
  new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(command, args, { stdio: 'ignore' })
    child.once('error', reject)
    child.once('exit', (code) =>
      code === 0
        ? resolve(performance.now() - started)
        : reject(new Error(`${command} ${args.join(' ')} exited ${code}`)),
    )
  })

export const suiteVsStartup: Benchmark = {
  name: 'suiteVsStartup',
  unit: '×',
  description:
    'wall time of `sild run` (every bundled scenario, in-process) ÷ wall time of starting Node and importing Prism',
  target: { relation: '<', value: 3, source: 'DESIGN.md' },
  async run(ctx: BenchContext) {
    const suite = () => wallMs(process.execPath, ['bin/sild.js', 'run'])
    const startup = () =>
      wallMs(process.execPath, [
        '-e',
        "await import('@stoplight/prism-http')",
        '--input-type=module',
      ])
    ctx.progress('whole suite vs Node + Prism start: a warm-up, then 3 rounds each')
    await suite()
    const suites: number[] = []
    const starts: number[] = []
    for (let i = 0; i < ctx.count(3); i++) {
      suites.push(await suite())
      starts.push(await startup())
    }
    return {
      value: median(suites) / median(starts),
      raw: { suiteMs: suites.map(Math.round), nodeAndPrismMs: starts.map(Math.round) },
    }
  },
}
