import type { Page } from 'playwright'
import type { LabPage } from './browser.js'
import type { LabEvent } from './protocol.js'

/**
 * Makes a Playwright page the lab page, with the worker's events bound to `onEvent`. A page that
 * was opened on the lab already (a browser launched on it) is kept: the binding reaches it too.
 */
export async function openLabPage(page: Page, origin: string, onEvent?: (event: LabEvent) => void): Promise<LabPage> {
  const url = `${origin}/`
  try {
    await page.exposeFunction('stowageLabReport', (event: LabEvent) => void onEvent?.(event))
    if (page.url() !== url) await page.goto(url)
    await page.waitForFunction(() => typeof globalThis.lab === 'object')
  } catch (error) {
    await page.close().catch(() => {})
    throw error
  }
  return {
    call: (request) => page.evaluate((request) => globalThis.lab.call(request), request) as never,
    close: () => page.close(),
  }
}
