import { dashboardEn } from './dashboard.en.ts'
import { dashboardEt, reportEt } from './dashboard.et.ts'
import { dashboardUk, reportUk } from './dashboard.uk.ts'
import { en, type Messages } from './index.ts'

export type DashboardKey = keyof typeof dashboardEn

/** A complete set of the dashboard's own labels in one language. */
export type DashboardMessages = Record<DashboardKey, string>

/** The languages of the dashboard and of the reports it offers for download. */
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

export const DASHBOARD_MESSAGES: Record<Language, DashboardMessages> = {
  en: dashboardEn,
  uk: dashboardUk,
  et: dashboardEt,
}

/**
 * One catalogue per language for the page: the dashboard's labels and the report's, so states,
 * levels and scorecards read the same on the page and in the downloaded HTML report.
 */
export const catalogues = (): {
  languages: Array<{ code: Language; name: string }>
  catalogues: Record<Language, Record<string, string>>
} => ({
  languages: LANGUAGES.map((code) => ({ code, name: LANGUAGE_NAMES[code] })),
  catalogues: {
    en: { ...REPORT_MESSAGES.en, ...DASHBOARD_MESSAGES.en },
    uk: { ...REPORT_MESSAGES.uk, ...DASHBOARD_MESSAGES.uk },
    et: { ...REPORT_MESSAGES.et, ...DASHBOARD_MESSAGES.et },
  },
})
