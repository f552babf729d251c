import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { BenchContext } from '../context.ts'
import {
  built,
  compiledSild,
  packageBin,
  packageVersion,
  timeSideBySide,
  wallMs,
  ROOT,
} from '../fixtures/commands.ts'
import { serveFixture } from '../fixtures/index.ts'
import { median } from '../load.ts'
import { BENCH_OPERATION } from '../operation.ts'
import type { Benchmark } from '../types.ts'

/** The peer tools, by package, whose versions bench/results.json records. */
export const PEER_PACKAGES = ['@stoplight/spectral-cli', '@redocly/cli', 'openapi-diff'] as const

/**
 * A large real spec: the X-Road 7.8 Security Server management API (nordic-institute/X-Road at
 * c27e2aa2f64c52cd951d641e354f99c3cc69c41c, 277 kB, 8,000 lines), from the diff corpus.
 */
const LARGE_SPEC =
  'test/fixtures/diff-corpus/xroad-ss-7.7-7.8/new/src/security-server/openapi-model/src/main/resources/META-INF/openapi-definition.yaml'

/**
 * A real spec pair that the peer diff tool can read (it stops at the X-Road pairs' cross-folder
 * `$ref`s and at circular schemas): GovStack's Digital Registries Data API, snake to camel case.
 */
const DIFF_PAIR = {
  old: 'test/fixtures/diff-corpus/registries-camel-case/old/api/GovStack_Digital_registries_BB_Data_API_template-1.3.0.yaml',
  new: 'test/fixtures/diff-corpus/registries-camel-case/new/api/GovStack_Digital_registries_BB_Data_API_template-1.3.0.yaml',
}

const REDOCLY_ENV = {
  NO_COLOR: '1',
  REDOCLY_TELEMETRY: 'off',
  REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
}

/** A linter or diff tool that found something exits 1: still a whole run. */
const FOUND = [0, 1] as const

const ROUNDS = 3

/** Spectral's own OpenAPI ruleset, the one `sild lint` runs beside its own rules. */
const spectralRuleset = (ctx: BenchContext) =>
  ctx.shared('spectral-ruleset', async () => {
    const file = join(ctx.tmpDir, 'spectral-oas.yaml')
    writeFileSync(file, 'extends: ["spectral:oas"]\n')
    return file
  })

const sildLint = () => wallMs(compiledSild(['lint', LARGE_SPEC], FOUND))

export const lintVsSpectral: Benchmark = {
  name: 'lintVsSpectral',
  unit: '×',
  description:
    'wall time of the compiled `sild lint` ÷ `spectral lint` (spectral:oas) on the X-Road 7.8 Security Server API',
  target: { relation: '<=', value: 1, source: 'issue' },
  async run(ctx) {
    await built(ctx)
    const ruleset = await spectralRuleset(ctx)
    ctx.progress(`sild lint vs spectral lint: a warm-up, then ${ROUNDS} rounds each`)
    const spectral = () =>
      wallMs(
        packageBin(
          '@stoplight/spectral-cli',
          'dist/index.js',
          ['lint', '-r', ruleset, LARGE_SPEC],
          {
            exitCodes: FOUND,
          },
        ),
      )
    const { value, as, bs } = await timeSideBySide(ctx, ROUNDS, sildLint, spectral)
    return {
      value,
      raw: {
        spec: LARGE_SPEC,
        peer: `@stoplight/spectral-cli ${packageVersion('@stoplight/spectral-cli')}`,
        sildLintMs: as,
        spectralLintMs: bs,
        note: 'sild lint runs Spectral’s recommended OpenAPI rules and Sild’s own rules on top',
      },
    }
  },
}

export const lintVsRedocly: Benchmark = {
  name: 'lintVsRedocly',
  unit: '×',
  description:
    'wall time of the compiled `sild lint` ÷ `redocly lint` (its recommended rules) on the same spec',
  target: { relation: 'reported', value: 0, source: 'issue' },
  async run(ctx) {
    await built(ctx)
    ctx.progress(`sild lint vs redocly lint: a warm-up, then ${ROUNDS} rounds each`)
    const redocly = () =>
      wallMs(
        packageBin('@redocly/cli', 'bin/cli.js', ['lint', LARGE_SPEC], {
          exitCodes: FOUND,
          env: REDOCLY_ENV,
        }),
      )
    const { value, as, bs } = await timeSideBySide(ctx, ROUNDS, sildLint, redocly)
    return {
      value,
      raw: {
        spec: LARGE_SPEC,
        peer: `@redocly/cli ${packageVersion('@redocly/cli')}`,
        sildLintMs: as,
        redoclyLintMs: bs,
        note: 'Redocly has its own YAML parser and rules, not Spectral’s: a different amount of work',
      },
    }
  },
}

export const diffVsOpenapiDiff: Benchmark = {
  name: 'diffVsOpenapiDiff',
  unit: '×',
  description:
    'wall time of the compiled `sild diff` ÷ `openapi-diff` on a real GovStack spec pair',
  target: { relation: 'reported', value: 0, source: 'issue' },
  async run(ctx) {
    await built(ctx)
    ctx.progress(`sild diff vs openapi-diff: a warm-up, then ${ROUNDS} rounds each`)
    const sild = () => wallMs(compiledSild(['diff', DIFF_PAIR.old, DIFF_PAIR.new], FOUND))
    const peer = () =>
      wallMs(
        packageBin('openapi-diff', 'bin/openapi-diff', [DIFF_PAIR.old, DIFF_PAIR.new], {
          exitCodes: FOUND,
        }),
      )
    const { value, as, bs } = await timeSideBySide(ctx, ROUNDS, sild, peer)
    return {
      value,
      raw: {
        pair: DIFF_PAIR,
        peer: `openapi-diff ${packageVersion('openapi-diff')}`,
        sildDiffMs: as,
        openapiDiffMs: bs,
        note: 'sild diff also locates each change at file:line:column and says whom it breaks',
      },
    }
  },
}

/** Steps per workflow, and workflows, of the standard Arazzo file both runners run. */
const STEPS_PER_WORKFLOW = 100
const WORKFLOWS = 4

/**
 * A standard-only Arazzo file (no x-sild extension): person lookups, the caller named by an
 * X-Road-Client header parameter, each step checked. Its source is the compiled package's own
 * copy of the spec, so it lies in dist/ (rebuilt by each bench run, never committed).
 */
const standardStepsFile = (): { file: string; steps: number } => {
  mkdirSync(join(ROOT, 'dist', 'bench'), { recursive: true })
  const file = join(ROOT, 'dist', 'bench', 'standard-steps.arazzo.yaml')
  const code = BENCH_OPERATION.path.split('/').pop()
  const lines = [
    'arazzo: 1.0.1',
    'info: { title: Benchmark steps (standard Arazzo), version: 1.0.0 }',
    'sourceDescriptions:',
    '  - { name: rr, url: ../specs/ee/population-register.yaml, type: openapi }',
    'workflows:',
  ]
  for (let w = 0; w < WORKFLOWS; w++) {
    lines.push(
      `  - workflowId: lookups${w + 1}`,
      '    parameters:',
      `      - { name: X-Road-Client, in: header, value: ${BENCH_OPERATION.client} }`,
      '    steps:',
    )
    for (let s = 0; s < STEPS_PER_WORKFLOW; s++) {
      lines.push(
        `      - stepId: s${s}`,
        '        operationId: getPerson',
        `        parameters: [{ name: personalCode, in: path, value: '${code}' }]`,
        '        successCriteria: [{ condition: $statusCode == 200 }]',
      )
    }
  }
  writeFileSync(file, `${lines.join('\n')}\n`)
  return { file, steps: WORKFLOWS * STEPS_PER_WORKFLOW }
}

export const runVsRespect: Benchmark = {
  name: 'runVsRespect',
  unit: '×',
  description:
    'steps/s of the compiled `sild run --mode http` ÷ `redocly respect` on the same standard Arazzo workflows',
  target: { relation: '>=', value: 2, source: 'issue' },
  async run(ctx) {
    await built(ctx)
    const { file, steps } = standardStepsFile()
    // Respect needs a running sandbox; sild run --mode http starts its own, inside its time.
    const serve = await serveFixture(ctx)
    const ss = serve.ready.securityServers[BENCH_OPERATION.instance]
    const server = `rr=${ss}/r1/${BENCH_OPERATION.service}`
    ctx.progress(`sild run --mode http vs redocly respect: a warm-up, then ${ROUNDS} rounds each`)
    const sild = () => wallMs(compiledSild(['run', '--mode', 'http', file]))
    const respect = () =>
      wallMs(
        packageBin('@redocly/cli', 'bin/cli.js', ['respect', file, '--server', server], {
          env: REDOCLY_ENV,
        }),
      )
    const { as, bs } = await timeSideBySide(ctx, ROUNDS, sild, respect)
    const perSecond = (ms: number[]) => ms.map((m) => Math.round(steps / (m / 1000)))
    // Steps/s is steps over the median wall time on each side: the ratio of the medians, inverted.
    return {
      value: median(bs) / median(as),
      raw: {
        steps,
        peer: `@redocly/cli ${packageVersion('@redocly/cli')} respect`,
        sildRunStepsPerSecond: perSecond(as),
        respectStepsPerSecond: perSecond(bs),
        sildRunMs: as,
        respectMs: bs,
        note: 'each side is a whole process run; sild run --mode http also starts its own sandbox servers, respect calls an already running sild serve',
      },
    }
  },
}
