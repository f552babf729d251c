import { Command, Help } from 'commander'
import { expect, test } from 'vitest'
import { commands, type CommandEntry } from './commands.ts'
import { sildProgram } from './main.ts'

/** The registry, with each load recorded and answered by the real module. */
const recording = () => {
  const loaded: string[] = []
  const registry: CommandEntry[] = commands.map((entry) => ({
    ...entry,
    load: async () => {
      loaded.push(entry.name)
      return entry.load()
    },
  }))
  return { loaded, registry }
}

const helpOf = async (argv: string[], registry: readonly CommandEntry[]) => {
  let out = ''
  const program = await sildProgram(argv, () => {}, registry)
  const capture = (cmd: Command): void => {
    cmd.configureOutput({ writeOut: (text) => (out += text), writeErr: (text) => (out += text) })
    cmd.commands.forEach(capture)
  }
  capture(program)
  await program.parseAsync(argv, { from: 'user' }).catch(() => {})
  return out
}

test('sild --version and sild --help load no command module', async () => {
  const { loaded, registry } = recording()
  expect(await helpOf(['--version'], registry)).toMatch(/^\d+\.\d+\.\d+/)
  expect(await helpOf(['--help'], registry)).toContain('run [options] [scenario...]')
  expect(loaded).toEqual([])
})

test('a command loads its own module and no other', async () => {
  const { loaded, registry } = recording()
  expect(await helpOf(['merge', '--help'], registry)).toContain('Usage: sild merge')
  expect(await helpOf(['help', 'keygen'], registry)).toContain('Usage: sild keygen')
  expect(loaded).toEqual(['merge', 'keygen'])
})

test('sild --help lists every command by the term and description its module gives it', async () => {
  const program = new Command('sild')
  for (const entry of commands) (await entry.load())(program, () => {})
  const help = new Help()
  const listed = program.commands.map((cmd) => ({
    name: cmd.name(),
    term: help.subcommandTerm(cmd),
    summary: help.subcommandDescription(cmd),
  }))
  expect(commands.map(({ name, term, summary }) => ({ name, term, summary }))).toEqual(listed)
})
