import type { CommandModule } from './main.ts'

type CommandEntry = { name: string; load: () => Promise<CommandModule> }

/**
 * Every subcommand, in the order `sild --help` lists them. Each is loaded only when it runs (or
 * for the full help): `sild run` need not load Spectral, nor `sild lint` the sandbox.
 */
export const commands: readonly CommandEntry[] = [
  { name: 'run', load: async () => (await import('./run.ts')).runCommand },
  { name: 'serve', load: async () => (await import('./serve.ts')).serveCommand },
  { name: 'lint', load: async () => (await import('./lint.ts')).lintCommand },
  { name: 'diff', load: async () => (await import('./diff.ts')).diffCommand },
  { name: 'check', load: async () => (await import('./check.ts')).checkCommand },
  { name: 'log', load: async () => (await import('./log-verify.ts')).logVerify },
  { name: 'merge', load: async () => (await import('./merge.ts')).mergeCommand },
  { name: 'keygen', load: async () => (await import('./keygen.ts')).keygenCommand },
  { name: 'certificate', load: async () => (await import('./certificate.ts')).certificateCommand },
  { name: 'init', load: async () => (await import('./init.ts')).initCommand },
  { name: 'record', load: async () => (await import('./record.ts')).recordCommand },
  { name: 'servers', load: async () => (await import('./servers.ts')).serversCommand },
  {
    name: 'report',
    load: async () => (await import('./report-consumer.ts')).reportConsumerCommand,
  },
]
