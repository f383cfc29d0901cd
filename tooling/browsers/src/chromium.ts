import { type ChildProcess, spawn } from 'node:child_process'
import { chromium } from 'playwright'
import { type Browser, type LaunchOptions, marker, owned, plain } from './browser.js'
import { caseCall } from './protocol.js'

/** Where every test and tool finds Chromium: $CHROMIUM_PATH, else Debian's. Playwright never downloads one. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** Without these, Chromium keeps dialling hosts that a closed network refuses. */
export const chromiumArgs = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-gpu',
  '--disable-quic',
  '--no-sandbox',
]

const FLAGS = [
  ...chromiumArgs,
  '--headless',
  // Later tabs of a launch with no automation are opened by the first one, with no user gesture.
  '--disable-popup-blocking',
  // Headless never shows the omnibox, yet Chromium 156 preloads its two WebUI popups in renderers
  // of their own, and a CDP client waits for them: about 0.3 s of every launch.
  '--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup',
]

const STARTUP_MS = 30_000

/**
 * Spawns Chromium ourselves, so that its pid is ours to kill, on a profile folder on disk. With
 * automation, drives it over CDP (Playwright's `connectOverCDP`): its default context is the
 * disk-backed one; `private` opens an off-the-record context instead (storage in memory).
 */
export async function launchChromium(
  profile: string,
  { automation = true, url = 'about:blank', private: offTheRecord = false }: LaunchOptions = {},
): Promise<Browser> {
  const mark = marker()
  const debugging = automation ? ['--remote-debugging-port=0'] : []
  const child = spawn(chromiumPath, [...FLAGS, ...debugging, `--user-data-dir=${profile}`, url], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: mark.env,
  })
  const proc = owned(child, mark.text, `Chromium (${chromiumPath})`)
  if (!automation) {
    child.stderr?.resume()
    return plain('chromium', proc)
  }
  const cdp = await chromium.connectOverCDP(await devtoolsUrl(child)).catch(async (error) => {
    await proc.kill()
    throw error
  })
  const context = offTheRecord ? await cdp.newContext() : cdp.contexts()[0]
  if (!context) {
    await proc.kill()
    throw new Error('Chromium came up without its default (disk-backed) context')
  }
  let first = offTheRecord ? undefined : context.pages()[0]
  const kill = () => proc.kill().then(() => cdp.close().catch(() => {}))
  return {
    engine: 'chromium',
    async open(url) {
      const page = first ?? (await context.newPage())
      first = undefined
      await page.goto(url)
      return { run: (name, args) => page.evaluate(caseCall(name, args)), close: () => page.close() }
    },
    async close() {
      if (!proc.running())
        return kill()
        // The reply may never come: the connection goes down with the browser.
      ;(await cdp.newBrowserCDPSession()).send('Browser.close').catch(() => {})
      await proc.quit().finally(kill)
    },
    kill,
    exited: proc.exited,
  }
}

/** The DevTools WebSocket URL that Chromium prints on stderr once it listens. */
function devtoolsUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let log = ''
    const fail = (why: string) => {
      clearTimeout(timer)
      reject(new Error(`Chromium (${chromiumPath}) ${why}. Its stderr ended with:\n${log.slice(-2000)}`))
    }
    const timer = setTimeout(() => fail(`printed no DevTools URL within ${STARTUP_MS} ms`), STARTUP_MS)
    // Keep draining stderr for the browser's whole life, or a full pipe would stall it.
    let found = false
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      if (found) return
      log = (log + chunk).slice(-8000)
      const url = /DevTools listening on (ws:\/\/\S+)/.exec(log)?.[1]
      if (url) {
        found = true
        clearTimeout(timer)
        resolve(url)
      }
    })
    child.once('error', (error) => fail(`could not start: ${error.message}`))
    child.once('exit', (code, signal) => fail(`exited (${signal ?? code}) before printing a DevTools URL`))
  })
}
