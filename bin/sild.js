#!/usr/bin/env node
// An installed Sild runs its compiled JavaScript (dist/). Its own repository has the TypeScript
// sources, and runs them through tsx, so that a change there needs no build step.
import { existsSync } from 'node:fs'

const sources = new URL('../cli/main.ts', import.meta.url)
let main
if (existsSync(sources)) {
  const { register } = await import('tsx/esm/api')
  register()
  ;({ main } = await import(sources.href))
} else {
  ;({ main } = await import('../dist/cli/main.js'))
}
process.exitCode = await main(process.argv.slice(2))
