import { err, ok, type Result } from '../result.ts'
import { percentDecodeSegment } from './percent-encoding.ts'

/** What is wrong with an identifier. The consumer security server maps each code to a fault. */
export type IdentifierErrorCode =
  | 'MissingClientIdentifier'
  | 'InvalidClientIdentifier'
  | 'InvalidServiceIdentifier'
  | 'InvalidSecurityServerIdentifier'
  | 'InvalidRepresentedParty'
  | 'InvalidRequestUri'
  | 'InvalidProtocolVersion'
  | 'UnsupportedProtocolVersion'
  | 'InvalidPercentEncoding'
  | 'EmptyPart'
  | 'InvalidCharacters'

/**
 * `message` is what the security server puts in its fault (X-Road's own wording where X-Road has
 * one); `hint` tells a partner engineer what was expected.
 */
export type IdentifierError = { code: IdentifierErrorCode; message: string; hint: string }

/** Which characters an identifier part may hold after percent-decoding. */
export type CharsetRule = { test: (part: string) => boolean; description: string }

export type PartsSpec = {
  /** The allowed numbers of '/'-separated parts. */
  counts: readonly number[]
  code: IdentifierErrorCode
  message: string
  shape: string
  charset: CharsetRule
}

export const identifierError = (
  code: IdentifierErrorCode,
  message: string,
  hint: string,
): { ok: false; error: IdentifierError } => err({ code, message, hint })

/** Decodes one part and checks it is non-empty and within the character rule. */
export const decodePart = (
  raw: string,
  charset: CharsetRule,
  where: string,
): Result<string, IdentifierError> => {
  const decoded = percentDecodeSegment(raw)
  if (!decoded.ok) {
    return identifierError(
      'InvalidPercentEncoding',
      decoded.error,
      `${where}: ${JSON.stringify(raw)} is not a valid percent-encoded path segment; encode each part with encodeURIComponent`,
    )
  }
  if (decoded.value === '') {
    return identifierError(
      'EmptyPart',
      `Empty identifier part in ${where}`,
      `${where} has an empty part`,
    )
  }
  if (!charset.test(decoded.value)) {
    return identifierError(
      'InvalidCharacters',
      `Identifier part ${JSON.stringify(decoded.value)} contains characters that are not allowed`,
      `${where}: identifier parts may only contain ${charset.description}`,
    )
  }
  return ok(decoded.value)
}

/** Splits on '/' (separators are never encoded), then decodes each part on its own. */
export const decodeParts = (
  value: string,
  spec: PartsSpec,
  where: string,
): Result<string[], IdentifierError> => {
  const raw = value.split('/')
  if (!spec.counts.includes(raw.length)) {
    return identifierError(
      spec.code,
      spec.message,
      `${where} must be ${spec.shape} (${spec.counts.join(' or ')} '/'-separated parts); got ${raw.length}`,
    )
  }
  const parts: string[] = []
  for (const part of raw) {
    const decoded = decodePart(part, spec.charset, where)
    if (!decoded.ok) return decoded
    parts.push(decoded.value)
  }
  return ok(parts)
}
