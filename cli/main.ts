import { Command, CommanderError } from 'commander'
import { SildInputError } from '../specs/source-file/index.ts'
import { commands } from './commands.ts'
import { EXIT, type ExitCode } from './exit-codes.ts'
import { sildVersion } from './version.ts'

export { EXIT, type ExitCode }

/** What a subcommand's action returns: its exit code. */
export type CommandResult = Promise<ExitCode> | ExitCode

/** A subcommand file's single export: it adds itself to the program and reports its exit code. */
export type CommandModule = (program: Command, done: (code: ExitCode) => void) => void

/** Runs the `sild` command line and resolves to the process exit code. */
export const main = async (argv: string[]): Promise<ExitCode> => {
  let exitCode: ExitCode = EXIT.ok
  const program = new Command('sild')
    .description('Cross-border interoperability sandbox for X-Road and Trembita style services')
    .version(await sildVersion(), '-V, --version')
    .exitOverride()
    .configureOutput({
      outputError: (text, write) => write(`sild: ${text.replace(/^error: /, '')}`),
    })
    .showHelpAfterError('(run `sild --help` for the list of commands)')
  const named = commands.filter((c) => c.name === argv[0])
  for (const entry of named.length ? named : commands) {
    const register = await entry.load()
    register(program, (code) => (exitCode = code))
  }
  try {
    await program.parseAsync(argv, { from: 'user' })
    return exitCode
  } catch (error) {
    return exitCodeFor(error)
  }
}

const exitCodeFor = (error: unknown): ExitCode => {
  if (error instanceof CommanderError) {
    const helpShown = ['commander.helpDisplayed', 'commander.version', 'commander.help']
    return helpShown.includes(error.code) ? EXIT.ok : EXIT.badInput
  }
  if (error instanceof SildInputError) {
    process.stderr.write(`sild: ${error.format()}\n`)
    return EXIT.badInput
  }
  process.stderr.write(
    `sild: internal error, this is a bug in Sild. Please report it with the output below.\n${
      error instanceof Error ? (error.stack ?? error.message) : String(error)
    }\n`,
  )
  return EXIT.internal
}
