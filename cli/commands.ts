import { certificateCommand } from './certificate.ts'
import { checkCommand } from './check.ts'
import { diffCommand } from './diff.ts'
import { initCommand } from './init.ts'
import { keygenCommand } from './keygen.ts'
import { lintCommand } from './lint.ts'
import { logVerify } from './log-verify.ts'
import type { CommandModule } from './main.ts'
import { mergeCommand } from './merge.ts'
import { recordCommand } from './record.ts'
import { reportConsumerCommand } from './report-consumer.ts'
import { runCommand } from './run.ts'
import { serveCommand } from './serve.ts'

/** Every subcommand, in the order `sild --help` lists them. */
export const commands: CommandModule[] = [
  runCommand,
  serveCommand,
  lintCommand,
  diffCommand,
  checkCommand,
  logVerify,
  mergeCommand,
  keygenCommand,
  certificateCommand,
  initCommand,
  recordCommand,
  reportConsumerCommand,
]
