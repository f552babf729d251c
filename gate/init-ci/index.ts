import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, sep } from 'node:path'
import { SildInputError } from '../../specs/source-file/index.ts'
import { CONFIG_FILE, discoverSpecs } from '../project/index.ts'

/** Where `sild init --ci` puts the workflow. */
export const WORKFLOW_FILE = '.github/workflows/sild.yml'

const WORKFLOW = `# Sild's gate on this repository's OpenAPI specs: lint, breaking changes against the pull
# request's base, and the Arazzo scenarios against mocks of the specs. sild.config.yaml names them.
name: Sild spec gate

on:
  pull_request:
  push:
    branches: [main]

permissions:
  contents: read

jobs:
  gate:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      security-events: write # upload SARIF to code scanning
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0 # the diff needs the merge base with the target branch
      - uses: actions/setup-node@v4
        with:
          node-version: 20
          cache: npm
      - run: npm ci
      - name: sild check
        env:
          NO_COLOR: '1'
        run: >-
          npx sild check
          --base "origin/\${{ github.base_ref || 'main' }}"
          --report sarif=out/sild.sarif
          --report markdown=out/sild.md
      - name: Job summary
        if: \${{ !cancelled() }}
        run: cat out/sild.md >> "$GITHUB_STEP_SUMMARY"
      - name: Code scanning annotations
        if: \${{ !cancelled() }}
        continue-on-error: true # a fork's pull request has a read-only token
        uses: github/codeql-action/upload-sarif@v3
        with:
          sarif_file: out/sild.sarif
          category: sild
`

const toPosix = (p: string) => p.split(sep).join('/')

/** The config for the specs found under `root`: one glob per folder that holds them. */
export const configFor = (root: string): string => {
  const specs = discoverSpecs(root)
  if (specs.length === 0)
    throw new SildInputError(
      `no OpenAPI documents found in ${root} to name in ${CONFIG_FILE}`,
      undefined,
      `Add your specs first, or write ${CONFIG_FILE} yourself: specs: ["api/**/*.yaml"]`,
    )
  const folders = [...new Set(specs.map((f) => toPosix(relative(root, dirname(f))) || '.'))]
  const globs = folders.map((d) => (d === '.' ? '*.{yaml,yml,json}' : `${d}/*.{yaml,yml,json}`))
  const explicit = specs.map((f) => toPosix(relative(root, f)))
  const list = (items: string[]) => items.map((i) => `  - ${JSON.stringify(i)}`).join('\n')
  // Brace globs are not read; the found files are named one by one, with the folders as a hint.
  return `# What sild check, lint and diff read in this repository.
# Globs are relative to this file; ** matches any folders. Found in: ${globs.join(', ')}
specs:
${list(explicit)}
# scenarios: ["scenarios"]    # Arazzo scenarios, run against Prism mocks of the specs
# federation: federation.yaml # a federation to run them in instead of those mocks
`
}

/** Writes sild.config.yaml and the GitHub Actions workflow; the paths written. */
export const initCi = (root: string, { force = false }: { force?: boolean } = {}): string[] => {
  const files = { [CONFIG_FILE]: configFor(root), [WORKFLOW_FILE]: WORKFLOW }
  const existing = Object.keys(files).filter((f) => existsSync(join(root, f)))
  if (existing.length && !force)
    throw new SildInputError(
      `${existing.join(' and ')} already exist${existing.length === 1 ? 's' : ''}; nothing was written`,
      undefined,
      'Pass --force to overwrite.',
    )
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, file)), { recursive: true })
    writeFileSync(join(root, file), text)
  }
  return Object.keys(files)
}
