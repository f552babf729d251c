import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { chromiumExecutable } from '../helpers/chromium.ts'

/** Everything the page did that a test should not let pass silently. */
export type PageWatch = {
  /** Script errors and console errors. */
  errors: string[]
  /** Requests to any origin but the dashboard's. */
  foreignRequests: string[]
  /** alert/confirm/prompt dialogs: a sign that service data ran as script. */
  dialogs: string[]
}

export type BrowserSession = {
  context: BrowserContext
  page: Page
  watch: PageWatch
  close(): Promise<void>
}

/** A headless chromium with a fresh profile, one page, watched from the first request on. */
export const openBrowser = async (origin: string): Promise<BrowserSession> => {
  const profile = await mkdtemp(join(tmpdir(), 'sild-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumExecutable(),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    viewport: { width: 1280, height: 800 },
    acceptDownloads: true,
  })
  const page = context.pages()[0] ?? (await context.newPage())
  const watch: PageWatch = { errors: [], foreignRequests: [], dialogs: [] }
  page.on('pageerror', (error) => watch.errors.push(error.message))
  page.on('console', (message) => {
    if (message.type() === 'error') watch.errors.push(message.text())
  })
  context.on('request', (request) => {
    if (!request.url().startsWith(origin)) watch.foreignRequests.push(request.url())
  })
  page.on('dialog', (dialog) => {
    watch.dialogs.push(dialog.message())
    void dialog.dismiss()
  })
  return { context, page, watch, close: () => context.close() }
}
