import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { InvalidArgumentError } from 'commander'
import {
  CertificateRefused,
  certificateOf,
  type Certificate,
  readEd25519Key,
  serializeCertificate,
  signCertificate,
  verifyCertificate,
} from '../reports/certificate/index.ts'
import { renderCertificateHtml } from '../reports/certificate/html.ts'
import type { RunOutline } from '../runner/types.ts'
import { SildInputError } from '../specs/source-file/index.ts'
import { escapeControl } from '../specs/control-chars/index.ts'
// Types only: commands.ts imports this file, so a value import of main.ts would be a cycle.
import type { CommandModule, ExitCode } from './main.ts'

/** `sild certificate verify FILE --public-key KEY`: checks a signed conformance certificate offline. */
export const certificateCommand: CommandModule = (program, done) => {
  const certificate =
    program.commands.find((command) => command.name() === 'certificate') ??
    program.command('certificate').description('conformance certificates signed by sild run')
  certificate
    .command('verify')
    .description('verify a conformance certificate against the public key of its signer')
    .argument('<file>', 'the certificate (JSON) that sild run --certificate wrote')
    .requiredOption('--public-key <file>', "the signer's public key (PEM), from sild keygen")
    .action(async (file: string, opts: { publicKey: string }) =>
      done(await verify(file, opts.publicKey)),
    )
}

const verify = async (file: string, publicKeyFile: string): Promise<ExitCode> => {
  const publicKey = readEd25519Key(
    (await readInput(publicKeyFile, 'public key')).toString('utf8'),
    'public',
    publicKeyFile,
  )
  const result = verifyCertificate(await readInput(file, 'certificate'), publicKey)
  if (!result.ok) {
    process.stdout.write(`${escapeControl(file)}: NOT VALID: ${escapeControl(result.problem)}\n`)
    return 1
  }
  const c = result.signed.certificate
  // Every field below comes from the file: printed raw, an escape sequence could rewrite the line.
  process.stdout.write(
    escapeControl(
      [
        `${file}: valid, signed by key ${result.signed.signature.keyId}`,
        `  ${c.party} · ${c.date} · Sild ${c.sild.version} · specs ${c.specsDigest.slice(0, 16)}`,
        ...c.profiles.map(
          (p) =>
            `  ${p.profile.padEnd(32)} level ${p.level} ${p.levelName.padEnd(20)} ${p.score.toFixed(1)}${blockedAbove(p.levels)}`,
        ),
        ...(c.providers ?? []).map(
          (p) => `  provider ${p.service}: ${p.url}${p.target ? ' (set by --target)' : ''}`,
        ),
        '',
      ].join('\n'),
      { multiline: true },
    ),
  )
  return 0
}

// Certificates issued before levels and providers were recorded have neither.
const blockedAbove = (levels: Certificate['profiles'][number]['levels'] | undefined): string => {
  const blocked = levels?.find((v) => v.state === 'blocked')
  return blocked ? ` · level ${blocked.level} blocked` : ''
}

const readInput = async (file: string, what: string): Promise<Buffer> => {
  try {
    return await readFile(file)
  } catch (error) {
    throw new SildInputError(
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? `${what} not found: ${file}`
        : `cannot read ${what} ${file}: ${(error as Error).message}`,
    )
  }
}

/** `--certificate [PARTY=]PATH` of `sild run`. */
export type CertificateTarget = { party?: string; path: string }

/** Parses `--certificate [PARTY=]PATH`: the party may be left out when the run scores only one. */
export const parseCertificateTarget = (value: string): CertificateTarget => {
  const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)=(.+)$/.exec(value)
  if (m) return { party: m[1], path: m[2] as string }
  if (!value || value.endsWith('='))
    throw new InvalidArgumentError('write [PARTY=]PATH, e.g. ee-test=out/certificate.json')
  return { path: value }
}

/**
 * For `sild run --certificate [PARTY=]PATH --signing-key KEY`: checks the options and reads the key
 * before the run, and returns what writes the signed certificate and its HTML page after it.
 */
export const certificateWriter = async (opts: {
  certificate?: CertificateTarget
  signingKey?: string
}): Promise<((report: RunOutline) => Promise<boolean>) | undefined> => {
  if (!opts.certificate && !opts.signingKey) return undefined
  if (!opts.certificate || !opts.signingKey)
    throw new SildInputError(
      opts.certificate ? '--certificate needs --signing-key' : '--signing-key needs --certificate',
      undefined,
      'Write --certificate [PARTY=]PATH --signing-key KEY.pem; create a key with: sild keygen --out DIR',
    )
  const { party, path } = opts.certificate
  const key = readEd25519Key(
    (await readInput(opts.signingKey, 'signing key')).toString('utf8'),
    'private',
    opts.signingKey,
  )
  // True when written; false when the run's result cannot be certified (said on stderr).
  return async (report) => {
    if (!report.complete) {
      process.stderr.write(`sild: no certificate written to ${path}: the run is incomplete\n`)
      return false
    }
    let certificate: Certificate
    try {
      certificate = certificateOf(report, { party })
    } catch (error) {
      if (!(error instanceof CertificateRefused)) throw error
      process.stderr.write(`sild: no certificate written to ${path}: ${error.message}\n`)
      return false
    }
    const signed = signCertificate(certificate, key)
    await mkdir(dirname(path), { recursive: true })
    await writeFile(path, serializeCertificate(signed))
    await writeFile(`${path}.html`, renderCertificateHtml(signed, { file: path }))
    return true
  }
}
