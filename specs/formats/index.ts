import type { Format } from 'ajv'
import { eePersonalCode, type EePersonalCodeInput } from './ee-personal-code/index.ts'
import { eeRegistryCode, type EeRegistryCodeInput } from './ee-registry-code/index.ts'
import { uaEdrpou, type UaEdrpouInput } from './ua-edrpou/index.ts'
import { uaRnokpp, type UaRnokppInput } from './ua-rnokpp/index.ts'
import { uaUnzr, type UaUnzrInput } from './ua-unzr/index.ts'
import { remember } from '../remember.ts'
import type { FormatName, IdentifierFormat } from './types.ts'

export type { FormatName, FormatVerdict, IdentifierFormat, Sex } from './types.ts'
export {
  decodeEePersonalCode,
  eePersonalCode,
  type EePersonalCodeData,
  type EePersonalCodeInput,
} from './ee-personal-code/index.ts'
export {
  decodeEeRegistryCode,
  eeRegistryCode,
  type EeRegistryCodeInput,
  type EeRegistryKind,
} from './ee-registry-code/index.ts'
export { uaEdrpou, type UaEdrpouInput } from './ua-edrpou/index.ts'
export {
  decodeUaRnokpp,
  uaRnokpp,
  type UaRnokppData,
  type UaRnokppInput,
} from './ua-rnokpp/index.ts'
export { decodeUaUnzr, uaUnzr, type UaUnzrData, type UaUnzrInput } from './ua-unzr/index.ts'

/** What each format's `generate` takes. */
export type GenerateInput = {
  'ee-personal-code': EePersonalCodeInput
  'ee-registry-code': EeRegistryCodeInput
  'ua-rnokpp': UaRnokppInput
  'ua-unzr': UaUnzrInput
  'ua-edrpou': UaEdrpouInput
}

/**
 * The same format, remembering recent verdicts: one exchange asks about the same identifiers many
 * times over (the mock's validation, then several checks), and a verdict never changes.
 */
function remembering<I>(format: IdentifierFormat<I>): IdentifierFormat<I> {
  return { ...format, validate: remember((value) => Object.freeze(format.validate(value))) }
}

/**
 * Every identifier format by name.
 * @example formats['ua-unzr'].validate('19900314-00235') // { valid: false, reason: 'check digit 5 does not match (expected 4)' }
 */
export const formats: { readonly [N in FormatName]: IdentifierFormat<GenerateInput[N]> } = {
  'ee-personal-code': remembering(eePersonalCode),
  'ee-registry-code': remembering(eeRegistryCode),
  'ua-rnokpp': remembering(uaRnokpp),
  'ua-unzr': remembering(uaUnzr),
  'ua-edrpou': remembering(uaEdrpou),
}

export const formatNames = Object.keys(formats) as readonly FormatName[]

export const isFormatName = (name: string): name is FormatName => Object.hasOwn(formats, name)

/** Any ajv v8 instance (`Ajv`, `Ajv2019`, `Ajv2020`): only `addFormat` is used. */
export type FormatRegistry = { addFormat(name: string, format: Format): unknown }

/**
 * Registers every identifier format as an ajv string format, so a schema's
 * `{ type: 'string', format: 'ua-unzr' }` checks the real check digit. Returns the same instance.
 */
export const addIdentifierFormats = <A extends FormatRegistry>(ajv: A): A => {
  for (const name of formatNames) {
    const format: IdentifierFormat = formats[name]
    ajv.addFormat(name, {
      type: 'string',
      validate: (value: string) => format.validate(value).valid,
    })
  }
  return ajv
}
