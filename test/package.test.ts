import { execFile } from 'node:child_process'
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, expect, test } from 'vitest'

// Sild as a partner's project gets it: `npm pack`, the tarball installed into a new project, then
// the command and `sild/msw` used from there, with no TypeScript loader anywhere. One install
// serves every test below; the registry's packages come from npm's cache when it has them.

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const EXAMPLES = join(ROOT, 'examples/msw-node')
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc')
const run = promisify(execFile)
// Bounds, not expectations: they only keep a broken install from hanging the suite.
const INSTALL_WITHIN_MS = 420_000
const RUN_WITHIN_MS = 120_000

let dir: string
let project: string
const version = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')).version as string
const devVersion = async (name: string) =>
  JSON.parse(await readFile(join(ROOT, 'node_modules', name, 'package.json'), 'utf8'))
    .version as string

const inProject = (file: string, args: string[]) =>
  run(file, args, {
    cwd: project,
    timeout: RUN_WITHIN_MS,
    env: { ...process.env, NO_COLOR: '1', CI: '' },
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({
      code: error.code,
      stdout: error.stdout ?? '',
      stderr: error.stderr ?? '',
    }),
  )

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sild-package-'))
  project = join(dir, 'partner-project')
  // `npm pack` builds through the prepare script, as it does for a publish or a git dependency.
  const packed = await run('npm', ['pack', '--json', '--pack-destination', dir], {
    cwd: ROOT,
    timeout: INSTALL_WITHIN_MS,
  })
  const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }]
  await run('mkdir', [project])
  await writeFile(
    join(project, 'package.json'),
    `${JSON.stringify({ name: 'partner-project', private: true, type: 'module' }, null, 2)}\n`,
  )
  for (const file of ['plain-node.mjs', 'population-register.test.ts']) {
    await copyFile(join(EXAMPLES, file), join(project, file))
  }
  const tools = [`msw@${await devVersion('msw')}`, `vitest@${await devVersion('vitest')}`]
  await run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', join(dir, filename), ...tools],
    { cwd: project, timeout: INSTALL_WITHIN_MS },
  )
}, INSTALL_WITHIN_MS * 2)

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
})

test(
  'the installed package holds compiled JavaScript and declarations, and no TypeScript source',
  async () => {
    const listed = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: join(project, 'node_modules/sild'),
      timeout: RUN_WITHIN_MS,
    })
    const [{ files }] = JSON.parse(listed.stdout) as [{ files: Array<{ path: string }> }]
    const paths = files.map((f) => f.path)
    expect(paths).toContain('dist/cli/main.js')
    expect(paths).toContain('dist/mocks/msw/index.d.ts')
    expect(paths.filter((p) => p.endsWith('.ts') && !p.endsWith('.d.ts'))).toEqual([])
    expect(paths.filter((p) => p.includes('.test.'))).toEqual([])
  },
  RUN_WITHIN_MS,
)

test(
  'npx sild --version prints the version, and npx sild run passes every bundled scenario',
  async () => {
    expect(await inProject('npx', ['sild', '--version'])).toEqual({
      code: 0,
      stdout: `${version}\n`,
      stderr: '',
    })
    const result = await inProject('npx', ['sild', 'run'])
    expect(result.stderr).toBe('')
    expect(result.stdout).toMatch(
      /Scenarios \d+ passed {2}Steps \d+ passed {2}Checks \d+ passed, 0 failed/,
    )
    expect(result.code).toBe(0)
  },
  RUN_WITHIN_MS * 2,
)

test(
  'sild/msw answers through the security servers in a plain Node ESM script',
  async () => {
    expect(await inProject(process.execPath, ['plain-node.mjs'])).toEqual({
      code: 0,
      stdout: '200 Mari Tamm\n',
      stderr: '',
    })
  },
  RUN_WITHIN_MS,
)

test(
  "sild/msw answers in the project's own vitest suite",
  async () => {
    // Generous per-test bounds: the machine may be busy; what is asserted is that the tests pass.
    const result = await inProject('npx', [
      'vitest',
      'run',
      'population-register.test.ts',
      '--testTimeout=60000',
      '--hookTimeout=60000',
    ])
    expect(result.stdout).toMatch(/Tests +3 passed \(3\)/)
    expect(result.code).toBe(0)
  },
  RUN_WITHIN_MS,
)

test(
  "sild/msw's declarations type a project's TypeScript",
  async () => {
    await writeFile(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2022',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: [],
          lib: ['ES2023', 'DOM'],
        },
        files: ['typed.ts'],
      }),
    )
    await writeFile(
      join(project, 'typed.ts'),
      [
        "import type { HttpHandler } from 'msw'",
        "import { sandboxHandlers, type SandboxHandlersOptions } from 'sild/msw'",
        "const options: SandboxHandlersOptions = { mocks: 'spec' }",
        'export const handlers: HttpHandler[] = sandboxHandlers(options).handlers',
        '// @ts-expect-error: the declarations know the kinds of mocks',
        "sandboxHandlers({ mocks: 'none' })",
        '',
      ].join('\n'),
    )
    expect(await inProject(process.execPath, [TSC, '-p', 'tsconfig.json'])).toMatchObject({
      code: 0,
      stdout: '',
    })
  },
  RUN_WITHIN_MS,
)
