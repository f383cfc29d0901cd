import type { Browser, Engine, LaunchOptions } from './browser.js'
import { launchChromium } from './chromium.js'
import { launchFirefox } from './firefox.js'
import { launchWebKit } from './webkit.js'

export type { Browser, Engine, LaunchOptions, Tab } from './browser.js'

export const engines: Engine[] = ['chromium', 'firefox', 'webkit']

/** Starts `engine` on the profile folder `profile`; a launch on the same folder finds its data again. */
export function launch(engine: Engine, profile: string, options: LaunchOptions = {}): Promise<Browser> {
  return { chromium: launchChromium, firefox: launchFirefox, webkit: launchWebKit }[engine](profile, options)
}
