#!/usr/bin/env node
// Compiles Sild into dist/: JavaScript and type declarations from tsc, and beside them the data
// files the code finds relative to itself (specs, world data, scenarios, the dashboard's page),
// so that dist/ has the layout of the sources and every `new URL('…', import.meta.url)` holds.
import { execFileSync } from 'node:child_process'
import { cpSync, rmSync, writeFileSync } from 'node:fs'
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
