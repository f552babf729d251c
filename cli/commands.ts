import type { CommandModule } from './main.ts'

export type CommandEntry = {
  name: string
  /** How `sild --help` lists it: the name, `[options]` and its arguments, as commander would. */
  term: string
  /** Its line in `sild --help`: the command's own description. */
  summary: string
  load: () => Promise<CommandModule>
}

/**
 * Every subcommand, in the order `sild --help` lists them. A command's module is loaded only when
 * that command runs: `sild run` need not load Spectral, nor `sild lint` the sandbox, and
 * `sild --help` and `--version` load none (the list above is what they show).
 */
export const commands: readonly CommandEntry[] = [
  {
    name: 'run',
    term: 'run [options] [scenario...]',
    summary: 'run Arazzo scenarios through the security servers and score every exchange',
    load: async () => (await import('./run.ts')).runCommand,
  },
  {
    name: 'serve',
    term: 'serve [options]',
    summary: 'start every mocked service and a security server per instance on 127.0.0.1',
    load: async () => (await import('./serve.ts')).serveCommand,
  },
  {
    name: 'lint',
    term: 'lint [options] [spec...]',
    summary:
      "lint OpenAPI specs: Spectral's OpenAPI rules plus Sild's (operationIds, examples, identifier formats, error bodies, X-Road and Trembita naming)",
    load: async () => (await import('./lint.ts')).lintCommand,
  },
  {
    name: 'diff',
    term: 'diff [options] [spec...]',
    summary:
      'classify the changes between two versions of OpenAPI specs as breaking or not, and for whom',
    load: async () => (await import('./diff.ts')).diffCommand,
  },
  {
    name: 'check',
    term: 'check [options]',
    summary:
      "what a spec repository's CI runs: lint the specs, diff them against the base revision, and run every scenario against mocks built from the working tree",
    load: async () => (await import('./check.ts')).checkCommand,
  },
  {
    name: 'log',
    term: 'log',
    summary: 'inspect the message log of the security servers',
    load: async () => (await import('./log-verify.ts')).logVerify,
  },
  {
    name: 'merge',
    term: 'merge [options] <report...>',
    summary: 'merge the JSON reports of the shards of one run (sild run --shard i/n) into one',
    load: async () => (await import('./merge.ts')).mergeCommand,
  },
  {
    name: 'keygen',
    term: 'keygen [options]',
    summary: 'create an Ed25519 key pair to sign conformance certificates (sild run --certificate)',
    load: async () => (await import('./keygen.ts')).keygenCommand,
  },
  {
    name: 'certificate',
    term: 'certificate',
    summary: 'conformance certificates signed by sild run',
    load: async () => (await import('./certificate.ts')).certificateCommand,
  },
  {
    name: 'init',
    term: 'init [options] [instance]',
    summary: "scaffold a partner.yaml for a new country's instance",
    load: async () => (await import('./init.ts')).initCommand,
  },
  {
    name: 'record',
    term: 'record [options]',
    summary: 'turn logged exchanges (or a HAR file) into an Arazzo scenario that replays them',
    load: async () => (await import('./record.ts')).recordCommand,
  },
  {
    name: 'servers',
    term: 'servers [options] <scenario...>',
    summary:
      "print the command that runs scenarios with another Arazzo runner (redocly respect) against sild serve: each source mapped to its caller's security server",
    load: async () => (await import('./servers.ts')).serversCommand,
  },
  {
    name: 'report',
    term: 'report',
    summary: 'reports read from what the sandbox recorded',
    load: async () => (await import('./report-consumer.ts')).reportConsumerCommand,
  },
]
