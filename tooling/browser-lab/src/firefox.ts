import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { LabBrowser, LabSite } from './browser.js'
import { launchMarker, linkedBrowser } from './linked.js'

export const firefoxPath = process.env.FIREFOX_PATH ?? '/usr/lib/firefox-esr/firefox-esr'

/**
 * Firefox runs with no automation: the lab pages link themselves to the test (link.ts). A crash
 * trial launches once per kill, so every second of startup counts: a WebDriver BiDi session
 * (puppeteer) added 0.7 s to each, and these prefs take off another 0.7 s.
 */
const PREFS: Record<string, boolean | number | string> = {
  // A relaunch after a kill opens the lab, not the killed session, and never offers safe mode.
  'browser.sessionstore.resume_from_crash': false,
  'toolkit.startup.max_resumed_crashes': -1,
  // Later lab tabs are opened by the first one, with no user gesture, and each closes itself
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

/** Firefox on a profile folder on disk, started by us so that its pid is ours to kill. */
export async function launchFirefox(profile: string, site: LabSite): Promise<LabBrowser> {
  const userJs = Object.entries(PREFS).map(
    ([name, value]) => `user_pref(${JSON.stringify(name)}, ${JSON.stringify(value)});\n`,
  )
  await writeFile(join(profile, 'user.js'), userJs.join(''))
  const [name, value] = launchMarker()
  const firstTab = randomUUID()
  return linkedBrowser(site, firstTab, {
    child: spawn(firefoxPath, ['--headless', '--no-remote', '--profile', profile, `${site.origin}/?tab=${firstTab}`], {
      stdio: 'ignore',
      env: { ...process.env, [name]: value },
    }),
    marker: `${name}=${value}`,
    name: `Firefox (${firefoxPath})`,
  })
}
