import { expect, test } from 'vitest'
import { catalogues, DASHBOARD_MESSAGES, LANGUAGES } from './catalogue.ts'
import { REPORT_MESSAGES } from '../../reports/i18n/languages.ts'
import { checks } from '../../runner/checks/index.ts'
import { APPLIED_BY } from './applied-by.ts'

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()

test('gives every language the same keys with the same placeholders', () => {
  for (const lang of LANGUAGES) {
    for (const table of [DASHBOARD_MESSAGES, REPORT_MESSAGES]) {
      const english = table.en as Record<string, string>
      const other = table[lang] as Record<string, string>
      expect(Object.keys(other).sort()).toEqual(Object.keys(english).sort())
      for (const [key, text] of Object.entries(english)) {
        expect({ lang, key, placeholders: placeholders(other[key] ?? '') }).toEqual({
          lang,
          key,
          placeholders: placeholders(text),
        })
      }
    }
  }
})

// Estonian writes seconds and milliseconds as English does.
const SAME_BY_NATURE: Record<string, string[]> = {
  uk: [],
  et: ['dashboard.unit.seconds', 'dashboard.unit.milliseconds'],
}

test('translates the labels instead of repeating the English', () => {
  for (const lang of ['uk', 'et'] as const) {
    const same = Object.entries(DASHBOARD_MESSAGES.en).filter(
      ([key, text]) =>
        DASHBOARD_MESSAGES[lang][key as keyof typeof DASHBOARD_MESSAGES.en] === text &&
        !SAME_BY_NATURE[lang]?.includes(key),
    )
    expect({ lang, same }).toEqual({ lang, same: [] })
  }
})

test('joins the report labels and the dashboard labels into one catalogue per language', () => {
  const { catalogues: all, languages } = catalogues()
  expect(languages.map((l) => l.name)).toEqual(['English', 'Українська', 'Eesti'])
  expect(all.et['level.name.4']).toBe('Karastatud')
  expect(all.uk['dashboard.run.featured']).toBe('Запустити транскордонну історію')
})

test('says in every language what applies each check of the registry', () => {
  const named = checks
    .filter((check) => check.appliedBy)
    .map((check) => check.name)
    .sort()
  for (const lang of ['uk', 'et'] as const) {
    expect({ lang, checks: Object.keys(APPLIED_BY[lang]).sort() }).toEqual({ lang, checks: named })
    expect(catalogues().catalogues[lang]['dashboard.appliedBy.badIdentifierRejected']).toBe(
      APPLIED_BY[lang].badIdentifierRejected,
    )
  }
})
