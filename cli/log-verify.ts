import { stat } from 'node:fs/promises'
import { relative } from 'node:path'
import { DEFAULT_LOG_FILE, verifyLog, type LogProblem } from '../mocks/message-log/index.ts'
import { SildInputError } from '../specs/source-file/index.ts'
// Types only: commands.ts imports this file, so a value import of main.ts would be a cycle.
import type { CommandModule, ExitCode } from './main.ts'

const HINTS: Record<LogProblem, string> = {
  edited:
    'The record changed after it was written. Keep this file as evidence and compare it with a backup.',
  'deleted-or-reordered':
    'Records are missing here or were moved. Keep this file as evidence and compare it with a backup.',
  duplicated: 'A record was copied into the log again. Keep this file as evidence.',
  'torn-tail':
    'A crash cut the last write short. Starting Sild with this log drops the torn line and continues the chain.',
  'not-json': 'A line that Sild never wrote is in the log. Keep this file as evidence.',
}

/** `sild log verify [FILE]`: checks the message log's hash chain. */
export const logVerify: CommandModule = (program, done) => {
  const log =
    program.commands.find((command) => command.name() === 'log') ??
    program.command('log').description('inspect the message log of the security servers')
  log
    .command('verify')
    .description(
      'verify the hash chain of a message log: finds edits, gaps, duplicates, torn tails',
    )
    .argument('[file]', 'the JSON Lines message log', DEFAULT_LOG_FILE)
    .action(async (file: string) => done(await verifyLogFile(file)))
}

const verifyLogFile = async (file: string): Promise<ExitCode> => {
  const found = await stat(file).catch(() => undefined)
  if (!found?.isFile()) {
    throw new SildInputError(
      found ? `not a file: ${file}` : `message log not found: ${file}`,
      undefined,
      `Pass the log to check: sild log verify FILE (default ${DEFAULT_LOG_FILE}, written by sild serve).`,
    )
  }
  const result = await verifyLog(file)
  if (result.ok) {
    const records = `${result.records} record${result.records === 1 ? '' : 's'}`
    process.stdout.write(`ok: ${records}, hash chain intact\n`)
    return 0
  }
  process.stdout.write(
    `${shownPath(file)}:${result.line}: ${result.message}\n  ${HINTS[result.problem]}\n`,
  )
  return 1
}

const shownPath = (file: string): string => {
  const rel = relative(process.cwd(), file)
  return rel && !rel.startsWith('..') ? rel : file
}
