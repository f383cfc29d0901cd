import { randomUUID } from 'node:crypto'
import puppeteer from 'puppeteer-core'
import type { EngineBrowser, LaunchOptions } from './launch.js'
import { caseCall, type CaseOutcome } from './outcome.js'
import { killTree } from '@stowage/browser-test/process-tree'

export const firefoxPath = process.env.FIREFOX_PATH ?? '/usr/lib/firefox-esr/firefox-esr'

const PREFS = {
  // Without these, navigator.storage.persist() waits forever on a permission prompt.
  'dom.storageManager.prompt.testing': true,
  'dom.storageManager.prompt.testing.allow': true,
}

/**
 * Firefox through puppeteer-core (WebDriver BiDi), on the profile folder `profile`; `private`:
 * every window in private browsing (no OPFS there, IndexedDB dropped when the browser quits).
 */
export async function launchFirefox(
  profile: string,
  { private: privately = false }: LaunchOptions = {},
): Promise<EngineBrowser> {
  const marker = `STOWAGE_ENGINES_BROWSER=${randomUUID()}`
  const [name, value] = marker.split('=') as [string, string]
  const browser = await puppeteer.launch({
    env: { ...process.env, [name]: value },
    browser: 'firefox',
    executablePath: firefoxPath,
    headless: true,
    userDataDir: profile,
    extraPrefsFirefox: { ...PREFS, 'browser.privatebrowsing.autostart': privately },
    protocolTimeout: 600_000,
  })
  const pid = browser.process()?.pid
  const kill = async () => {
    await killTree(pid, marker)
    await browser.disconnect().catch(() => {})
  }
  let blank = (await browser.pages())[0]
  return {
    engine: 'firefox',
    async open(url) {
      const page = blank ?? (await browser.newPage())
      blank = undefined
      await page.goto(url)
      return {
        run: (name, args) => page.evaluate(caseCall(name, args)) as Promise<CaseOutcome>,
        close: () => page.close(),
      }
    },
    async close() {
      try {
        await browser.close()
      } finally {
        await kill()
      }
    },
    kill,
  }
}
