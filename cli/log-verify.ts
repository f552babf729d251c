import { createPublicKey, type KeyObject } from 'node:crypto'
import { readFile, stat } from 'node:fs/promises'
import { relative } from 'node:path'
import { DEFAULT_LOG_FILE, verifyLog, type LogProblem } from '../mocks/message-log/index.ts'
import { keyIdOf } from '../reports/certificate/index.ts'
import { SildInputError } from '../specs/source-file/index.ts'
// Types only: commands.ts imports this file, so a value import of main.ts would be a cycle.
import type { CommandModule, ExitCode } from './main.ts'

const HINTS: Record<LogProblem, string> = {
  edited:
    'The record changed after it was written. Keep this file as evidence and compare it with a backup.',
  'deleted-or-reordered':
    'Records are missing here or were moved. Keep this file as evidence and compare it with a backup.',
  duplicated:
    'Two writers appended to this log at once (a fork), or a record was copied into it. Keep this file as evidence; see SECURITY.md, "Recovering a message log".',
  'torn-tail':
    'A crash cut the last write short. Starting Sild with this log drops the torn line and continues the chain.',
  'not-json': 'A line that Sild never wrote is in the log. Keep this file as evidence.',
  rewritten:
    'The records no longer match the head Sild signed: history was rewritten and re-chained. Keep this file as evidence.',
  truncated:
    'Records Sild signed are gone from the end of the log. Keep this file as evidence and compare it with a backup.',
  unanchored:
    'No signature covers these records: they were appended by something other than Sild, or Sild was killed before it signed them. Starting Sild on this log signs them; do that only if you know it was a crash.',
  unsigned:
    'The signed heads (FILE.anchor) are missing or invalid, so a cut or re-chained log could not be told apart. Keep this file as evidence.',
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
    .option('--public-key <file>', 'the Ed25519 public key (PEM) the heads must be signed with')
    .action(async (file: string, opts: { publicKey?: string }) =>
      done(await verifyLogFile(file, opts.publicKey)),
    )
}

const verifyLogFile = async (file: string, publicKeyFile?: string): Promise<ExitCode> => {
  const found = await stat(file).catch(() => undefined)
  if (!found?.isFile()) {
    throw new SildInputError(
      found ? `not a file: ${file}` : `message log not found: ${file}`,
      undefined,
      `Pass the log to check: sild log verify FILE (default ${DEFAULT_LOG_FILE}, written by sild serve).`,
    )
  }
  const pinned = publicKeyFile ? await readPublicKey(publicKeyFile) : undefined
  const result = await verifyLog(file, pinned ? { publicKey: pinned.x } : {})
  if (result.ok) {
    const records = `${result.records} record${result.records === 1 ? '' : 's'}`
    const signed = result.signed
    const key = signed && keyIdOf(jwkKey(signed.key))
    const how = pinned ? 'the given key' : `key ${key} (pass --public-key to pin it)`
    const head = signed
      ? `, head signed ${signed.closed ? 'at close' : 'at a checkpoint'} by ${how}`
      : ''
    process.stdout.write(`ok: ${records}, hash chain intact${head}\n`)
    return 0
  }
  process.stdout.write(
    `${shownPath(result.file ?? file)}:${result.line}: ${result.message}\n  ${HINTS[result.problem]}\n`,
  )
  return 1
}

const jwkKey = (x: string): KeyObject =>
  createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' })

const readPublicKey = async (file: string): Promise<{ x: string }> => {
  try {
    const key = createPublicKey(await readFile(file))
    if (key.asymmetricKeyType === 'ed25519') return { x: String(key.export({ format: 'jwk' }).x) }
  } catch {
    // reported below
  }
  throw new SildInputError(
    `${file} is not an Ed25519 public key (PEM)`,
    undefined,
    'Give the public key of the log, for example one written by sild keygen.',
  )
}

const shownPath = (file: string): string => {
  const rel = relative(process.cwd(), file)
  return rel && !rel.startsWith('..') ? rel : file
}
