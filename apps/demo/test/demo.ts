import { chromium, type Browser, type BrowserContext, type Page } from 'playwright'
import { inject } from 'vitest'
import { chromiumArgs, chromiumPath } from '@stowage/browsers/chromium'

/** Headless Debian Chromium; Playwright never downloads a browser here. */
export const launch = (): Promise<Browser> => chromium.launch({ executablePath: chromiumPath, args: chromiumArgs })

export interface Demo {
  page: Page
  /** Console errors and uncaught exceptions of the page and its workers, as they happen. */
  errors: string[]
}

/** Opens the built demo (with `query`, e.g. '?driver=idb') in a new tab and waits until it has loaded its graph. */
export async function openDemo(context: BrowserContext, query = ''): Promise<Demo> {
  const page = await context.newPage()
  const errors: string[] = []
  const record = (where: string) => (message: { type(): string; text(): string }) => {
    if (message.type() === 'error') errors.push(`${where} console: ${message.text()}`)
  }
  page.on('console', record('page'))
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`))
  page.on('worker', (worker) => worker.on('console', record('worker')))
  await page.goto(new URL(query, inject('demoUrl')).href)
  await ready(page)
  return { page, errors }
}

export async function ready(page: Page): Promise<void> {
  await page.locator('#app[data-ready="true"]').waitFor({ timeout: 20_000 })
}

/** Waits until the page's last edit has landed in storage. */
export async function saved(page: Page): Promise<void> {
  await page.locator('#save-state[data-state="clean"]').waitFor({ timeout: 20_000 })
}

/** Creates a note through the UI, types its title and text, and waits for the save. */
export async function addNote(page: Page, title: string, text: string): Promise<void> {
  await page.click('#new-note')
  await page.fill('#note-title', title)
  await page.fill('#note-text', text)
  await saved(page)
}

/** The note titled `title` as drawn in the graph. */
export const noteInGraph = (page: Page, title: string) => page.locator('#graph .note', { hasText: title })

/** Selects the note titled `title` in the graph and returns the text its editor shows. */
export async function openNote(page: Page, title: string): Promise<string> {
  await noteInGraph(page, title).click()
  await page.locator('#editor-form:not([hidden])').waitFor()
  if ((await page.inputValue('#note-title')) !== title)
    throw new Error(`the editor shows ${await page.inputValue('#note-title')}, not ${title}`)
  return page.inputValue('#note-text')
}
