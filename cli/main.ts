import { Command, CommanderError, Help } from 'commander'
import { commands, type CommandEntry } from './commands.ts'
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
  const program = await sildProgram(argv, (code) => (exitCode = code))
  try {
    await program.parseAsync(argv, { from: 'user' })
    return exitCode
  } catch (error) {
    return exitCodeFor(error)
  }
}

/**
 * The program for `argv`: the command it names is loaded; every other command is only listed,
 * from the registry, so `sild --help` and `sild --version` start without loading any of them.
 */
export const sildProgram = async (
  argv: string[],
  done: (code: ExitCode) => void,
  registry: readonly CommandEntry[] = commands,
): Promise<Command> => {
  const termOf = new Map(registry.map((c) => [c.name, c.term]))
  const program = new Command('sild')
    .description('Cross-border interoperability sandbox for X-Road and Trembita style services')
    .version(await sildVersion(), '-V, --version')
    .exitOverride()
    .configureOutput({
      outputError: (text, write) => write(`sild: ${text.replace(/^error: /, '')}`),
    })
    .configureHelp({
      subcommandTerm: (cmd) => termOf.get(cmd.name()) ?? new Help().subcommandTerm(cmd),
    })
    .showHelpAfterError('(run `sild --help` for the list of commands)')
  const named = argv[0] === 'help' ? argv[1] : argv[0]
  for (const entry of registry) {
    if (entry.name === named) (await entry.load())(program, done)
    else program.command(entry.name).description(entry.summary)
  }
  return program
}

const exitCodeFor = async (error: unknown): Promise<ExitCode> => {
  if (error instanceof CommanderError) {
    const helpShown = ['commander.helpDisplayed', 'commander.version', 'commander.help']
    return helpShown.includes(error.code) ? EXIT.ok : EXIT.badInput
  }
  // Loaded only on this path: the parser it comes with is not needed to print a version.
  const { SildInputError } = await import('../specs/source-file/index.ts')
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
