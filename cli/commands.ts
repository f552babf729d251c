import { certificateCommand } from './certificate.ts'
import { keygenCommand } from './keygen.ts'
import { logVerify } from './log-verify.ts'
import type { CommandModule } from './main.ts'
import { mergeCommand } from './merge.ts'
import { runCommand } from './run.ts'
import { serveCommand } from './serve.ts'

/** Every subcommand, in the order `sild --help` lists them. */
export const commands: CommandModule[] = [
  runCommand,
  serveCommand,
  logVerify,
  mergeCommand,
  keygenCommand,
  certificateCommand,
]
