import { spawn } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import puppeteer from 'puppeteer-core'
import { type Browser, type LaunchOptions, marker, owned, plain } from './browser.js'
import { type CaseOutcome, caseCall } from './protocol.js'

export const firefoxPath = process.env.FIREFOX_PATH ?? '/usr/lib/firefox-esr/firefox-esr'

/**
 * Prefs of every Firefox launch. A crash trial launches once per kill, so every second of startup
 * counts: a WebDriver BiDi session (puppeteer) adds 0.7 s to each, and these prefs take off another 0.7 s.
 */
const PREFS: Record<string, boolean | number | string> = {
  // A relaunch after a kill opens the page, not the killed session, and never offers safe mode.
  'browser.sessionstore.resume_from_crash': false,
  'toolkit.startup.max_resumed_crashes': -1,
  // Later linked tabs are opened by the first one, with no user gesture, and each closes itself
  // to quit: a normal shutdown with no automation (Firefox dies on SIGTERM, it does not quit).
  'dom.disable_open_during_load': false,
  'dom.allow_scripts_to_close_windows': true,
  // Without these, navigator.storage.persist() waits forever on a permission prompt.
  'dom.storageManager.prompt.testing': true,
  'dom.storageManager.prompt.testing.allow': true,
  // No add-on scan: about 0.7 s of a 2.7 s start here.
  'extensions.enabledScopes': 0,
  'extensions.autoDisableScopes': 15,
  'extensions.startupScanScopes': 0,
  'extensions.getAddons.cache.enabled': false,
  // Nothing dials out: no first-run pages, updates, telemetry or default-browser check.
  'browser.shell.checkDefaultBrowser': false,
  'browser.startup.page': 0,
  'browser.newtabpage.enabled': false,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'browser.startup.homepage_override.mstone': 'ignore',
  'startup.homepage_welcome_url': 'about:blank',
  'app.update.disabledForTesting': true,
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.reportingpolicy.firstRun': false,
  'browser.safebrowsing.update.enabled': false,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'extensions.update.enabled': false,
}

/**
 * Firefox headless on the profile folder `profile`. With automation, through puppeteer-core
 * (WebDriver BiDi), which spawns it as our child; without, spawned by us on `url` with the prefs
 * in the profile's user.js. `private`: every window in private browsing (no OPFS there).
 */
export async function launchFirefox(
  profile: string,
  { automation = true, url = 'about:blank', private: privately = false }: LaunchOptions = {},
): Promise<Browser> {
  const mark = marker()
  const prefs = { ...PREFS, 'browser.privatebrowsing.autostart': privately }
  const name = `Firefox (${firefoxPath})`
  if (!automation) {
    const userJs = Object.entries(prefs).map(
      ([key, value]) => `user_pref(${JSON.stringify(key)}, ${JSON.stringify(value)});\n`,
    )
    await writeFile(join(profile, 'user.js'), userJs.join(''))
    const args = ['--headless', '--no-remote', '--profile', profile, url]
    return plain('firefox', owned(spawn(firefoxPath, args, { stdio: 'ignore', env: mark.env }), mark.text, name))
  }
  const browser = await puppeteer.launch({
    env: mark.env,
    browser: 'firefox',
    executablePath: firefoxPath,
    headless: true,
    userDataDir: profile,
    extraPrefsFirefox: prefs,
    protocolTimeout: 600_000,
  })
  const proc = owned(browser.process()!, mark.text, name)
  const kill = () => proc.kill().then(() => browser.disconnect().catch(() => {}))
  let first = (await browser.pages())[0]
  return {
    engine: 'firefox',
    async open(url) {
      const page = first ?? (await browser.newPage())
      first = undefined
      await page.goto(url)
      return {
        run: (name, args) => page.evaluate(caseCall(name, args)) as Promise<CaseOutcome>,
        close: () => page.close(),
      }
    },
    close: () => browser.close().finally(kill),
    kill,
    exited: proc.exited,
  }
}
