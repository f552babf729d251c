import { mkdir, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { generateSigningKeys } from '../reports/certificate/index.ts'
import { SildInputError } from '../specs/source-file/index.ts'
// Types only: commands.ts imports this file, so a value import of main.ts would be a cycle.
import type { CommandModule, ExitCode } from './main.ts'

/** The file names `sild keygen` writes in its folder. */
export const KEY_FILES = { private: 'sild-signing-key.pem', public: 'sild-signing-key.pub.pem' }

/** `sild keygen --out DIR`: an Ed25519 key pair for signing conformance certificates. */
export const keygenCommand: CommandModule = (program, done) => {
  program
    .command('keygen')
    .description(
      'create an Ed25519 key pair to sign conformance certificates (sild run --certificate)',
    )
    .requiredOption('--out <dir>', 'folder for the private and public key (PEM)')
    .action(async (opts: { out: string }) => done(await keygen(opts.out)))
}

const keygen = async (dir: string): Promise<ExitCode> => {
  const privateFile = join(dir, KEY_FILES.private)
  const publicFile = join(dir, KEY_FILES.public)
  for (const file of [privateFile, publicFile])
    if (await stat(file).catch(() => undefined))
      throw new SildInputError(
        `${file} already exists; sild keygen never overwrites a key`,
        undefined,
        'Choose another --out folder, or remove the old key pair if nothing it signed needs verifying.',
      )
  const keys = generateSigningKeys()
  await mkdir(dir, { recursive: true })
  await writeFile(privateFile, keys.privateKeyPem, { mode: 0o600, flag: 'wx' })
  await writeFile(publicFile, keys.publicKeyPem, { flag: 'wx' })
  process.stdout.write(
    [
      `private key: ${privateFile} (keep it secret; sign with sild run --certificate PATH --signing-key ${privateFile})`,
      `public key:  ${publicFile} (give it to whoever verifies: sild certificate verify FILE --public-key ${publicFile})`,
      `key id:      ${keys.keyId}`,
      '',
    ].join('\n'),
  )
  return 0
}
