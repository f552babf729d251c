import type { Texts } from '../../specs/translations/index.ts'

/** The texts of one item in other languages: `{ uk: { name: '…' }, et: { name: '…' } }`. */
export type ItemTranslations = Record<string, Record<string, string>>

/**
 * Turns per-field translations (`{ name: { uk, et } }`) into the per-language form the page reads
 * (`{ i18n: { uk: { name }, et: { name } } }`); nothing when no field has one, so the page falls
 * back to the English.
 */
export const withTranslations = (
  fields: Record<string, Texts | undefined>,
): { i18n?: ItemTranslations } => {
  const i18n: ItemTranslations = {}
  for (const [field, texts] of Object.entries(fields)) {
    for (const [lang, text] of Object.entries(texts ?? {})) (i18n[lang] ??= {})[field] = text
  }
  return Object.keys(i18n).length > 0 ? { i18n } : {}
}
