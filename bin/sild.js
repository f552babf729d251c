#!/usr/bin/env node
// Sild runs from its TypeScript sources: tsx compiles them on load, so `npx sild` needs no build step.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../cli/main.ts')
process.exitCode = await main(process.argv.slice(2))
