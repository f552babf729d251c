import { readFileSync } from 'node:fs'
import { renderCertificateHtml } from '../../reports/certificate/html.ts'
import {
  certificateOf,
  readEd25519Key,
  serializeCertificate,
  signCertificate,
} from '../../reports/certificate/index.ts'
import { asIfTested } from '../../reports/test-fixtures/run-report.ts'
import type { RunReport } from '../../runner/types.ts'

/**
 * The certificate files (`certificate.json` and its page) of a run that tested too little for
 * `sild run` to sign, issued as though its untested levels had been tested: for tests of what a
 * certificate shows of hostile or secret text.
 */
export const certificateFilesAsIfTested = (
  report: RunReport,
  privateKeyFile: string,
): Record<'certificate.json' | 'certificate.json.html', string> => {
  const signed = signCertificate(
    certificateOf(asIfTested(report)),
    readEd25519Key(readFileSync(privateKeyFile, 'utf8'), 'private', privateKeyFile),
  )
  return {
    'certificate.json': serializeCertificate(signed),
    'certificate.json.html': renderCertificateHtml(signed, { file: 'certificate.json' }),
  }
}
