import type { CommandModule } from './main.ts'

/** Every subcommand, in the order `sild --help` lists them. */
export const commands: CommandModule[] = []
