import { fileURLToPath } from 'node:url'
import type { Launch } from '../src/browser.ts'
import { launchChromium } from '../src/chromium.ts'
import { launchFirefox } from '../src/firefox.ts'
import { launchWebKit } from '../src/webkit.ts'
import { createLab, type Lab } from '../src/lab.ts'

export const launchers: Record<'chromium' | 'firefox' | 'webkit', Launch> = {
  chromium: launchChromium,
  firefox: launchFirefox,
  webkit: launchWebKit,
}

/**
 * This folder's lab in `engine`, on `port`: one per test file, because the origin, and so the
 * data a relaunch must find, hangs on it.
 */
export function labIn(engine: keyof typeof launchers, port: number): Promise<Lab> {
  return createLab({
    port,
    worker: fileURLToPath(new URL('./lab.worker.ts', import.meta.url)),
    launch: launchers[engine],
  })
}
