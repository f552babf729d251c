import { en, type Messages } from './index.ts'
import { reportEt } from './et.ts'
import { reportUk } from './uk.ts'

/** The languages the reports are written in (and the dashboard that offers them). */
export const LANGUAGES = ['en', 'uk', 'et'] as const
export type Language = (typeof LANGUAGES)[number]

/** Each language named in itself, as a language switch shows it. */
export const LANGUAGE_NAMES: Record<Language, string> = {
  en: 'English',
  uk: 'Українська',
  et: 'Eesti',
}

export const isLanguage = (value: unknown): value is Language =>
  typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value)

/** The report's labels by language: what `renderHtmlReport({ messages, lang })` takes. */
export const REPORT_MESSAGES: Record<Language, Messages> = { en, uk: reportUk, et: reportEt }
