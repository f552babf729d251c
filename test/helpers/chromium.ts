import { existsSync } from 'node:fs'
import { test } from 'vitest'

/** The browser the tests drive: SILD_CHROMIUM, or Debian's chromium (which `.ci/run` installs). */
export const CHROMIUM = process.env.SILD_CHROMIUM || '/usr/bin/chromium'

const inCI =
  Boolean(process.env.CI) && !['0', 'false'].includes(process.env.CI?.toLowerCase() ?? '')

const MISSING = `no Chromium at ${CHROMIUM}: install it (apt-get install -y --no-install-recommends chromium) or set SILD_CHROMIUM to a Chromium or Chrome executable`

/**
 * Without Chromium the browser tests are skipped on a developer's machine; under CI (CI set) they
 * run and fail with the fix, so that a CI that never opened a browser cannot pass.
 */
export const skipBrowserTests = !existsSync(CHROMIUM) && !inCI

/** What a skipped browser test's name says it needs. */
export const NEEDS_CHROMIUM = `(needs Chromium at ${CHROMIUM} or SILD_CHROMIUM)`

/** `test` for a test that drives Chromium. */
export const browserTest = test.skipIf(skipBrowserTests)

/** The executable to launch, or the error that says how to get one. */
export const chromiumExecutable = (): string => {
  if (!existsSync(CHROMIUM)) throw new Error(MISSING)
  return CHROMIUM
}
