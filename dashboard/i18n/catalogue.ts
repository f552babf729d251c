import {
  LANGUAGE_NAMES,
  LANGUAGES,
  REPORT_MESSAGES,
  type Language,
} from '../../reports/i18n/languages.ts'
import { APPLIED_BY } from './applied-by.ts'
import { dashboardEn } from './en.ts'
import { dashboardEt } from './et.ts'
import { dashboardUk } from './uk.ts'

export {
  isLanguage,
  LANGUAGE_NAMES,
  LANGUAGES,
  type Language,
} from '../../reports/i18n/languages.ts'

export type DashboardKey = keyof typeof dashboardEn

/** A complete set of the dashboard's own labels in one language. */
export type DashboardMessages = Record<DashboardKey, string>

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
    uk: { ...REPORT_MESSAGES.uk, ...DASHBOARD_MESSAGES.uk, ...appliedBy('uk') },
    et: { ...REPORT_MESSAGES.et, ...DASHBOARD_MESSAGES.et, ...appliedBy('et') },
  },
})

const appliedBy = (lang: 'uk' | 'et'): Record<string, string> =>
  Object.fromEntries(
    Object.entries(APPLIED_BY[lang]).map(([check, text]) => [`dashboard.appliedBy.${check}`, text]),
  )
