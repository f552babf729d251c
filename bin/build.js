#!/usr/bin/env node
// Compiles Sild into dist/: JavaScript and type declarations from tsc, and beside them the data
// files the code finds relative to itself (specs, world data, scenarios, the dashboard's page),
// so that dist/ has the layout of the sources and every `new URL('…', import.meta.url)` holds.
import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { basename, dirname, extname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const DIST = join(ROOT, 'dist')
const FOLDERS = ['specs', 'gate', 'mocks', 'runner', 'reports', 'cli', 'dashboard', 'scenarios']
const TEST_ONLY = new Set(['__snapshots__', 'fixtures', 'test-fixtures'])

const shipped = (path) => {
  const name = basename(path)
  if (TEST_ONLY.has(name)) return false
  if (name.includes('.test.')) return false
  return extname(name) !== '.ts'
}

rmSync(DIST, { recursive: true, force: true })
const typescript = dirname(createRequire(import.meta.url).resolve('typescript/package.json'))
const tsc = join(typescript, 'bin', 'tsc')
execFileSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], {
  cwd: ROOT,
  stdio: 'inherit',
})
for (const folder of FOLDERS) {
  cpSync(join(ROOT, folder), join(DIST, folder), { recursive: true, filter: shipped })
}
// The Arazzo schema's validators, compiled now rather than at the start of every run.
{
  const folder = join(DIST, 'runner', 'scenario', 'internal')
  const schemas = await import(pathToFileURL(join(folder, 'schemas.js')).href)
  writeFileSync(join(folder, schemas.PREBUILT_VALIDATORS), await schemas.prebuiltValidatorsSource())
}
// The specs, federation and scenarios the package ships, parsed now rather than at every start.
const { parseSource } = await import(pathToFileURL(join(DIST, 'specs/source-file/index.js')).href)
const { PREBUILT_SOURCES, prebuiltSource } = await import(
  pathToFileURL(join(DIST, 'specs/source-file/prebuilt.js')).href
)
for (const folder of ['specs', 'scenarios']) {
  for (const rel of readdirSync(join(DIST, folder), { recursive: true })) {
    if (!/\.ya?ml$/.test(rel)) continue
    const file = join(DIST, folder, rel)
    const text = readFileSync(file, 'utf8')
    let stored
    try {
      stored = prebuiltSource(text, parseSource(text, file).value)
    } catch {
      // A file that does not parse keeps its error for the run that reads it.
    }
    if (stored === undefined) continue
    const target = join(DIST, PREBUILT_SOURCES, folder, `${rel}.json`)
    mkdirSync(dirname(target), { recursive: true })
    writeFileSync(target, stored)
  }
}
