import { spawn, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { chromium, type Browser } from 'playwright'
import type { LabBrowser, LabSite } from './browser.js'
import { openLabPage } from './playwright-page.js'
import { chromiumArgs, chromiumPath } from '@stowage/browser-test/chromium'
import { killTree, processTree, waitGone } from '@stowage/browser-test/process-tree'

const FLAGS = [
  ...chromiumArgs,
  '--headless',
  '--remote-debugging-port=0',
  // Headless never shows the omnibox, yet Chromium 156 preloads its two WebUI popups in renderers
  // of their own, and a CDP client waits for them: about 0.3 s of every launch, a sixth of a kill.
  '--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup',
]

const STARTUP_MS = 30_000
const SHUTDOWN_MS = 20_000

/**
 * Spawns Chromium ourselves, so that its pid is ours to kill, on a profile folder on disk, and
 * drives it over CDP. Its default context is the disk-backed one. The first tab opens the lab, so
 * that it loads while Playwright connects.
 */
export async function launchChromium(profile: string, { origin }: LabSite): Promise<LabBrowser> {
  const marker = `STOWAGE_LAB_BROWSER=${randomUUID()}`
  const [name, value] = marker.split('=') as [string, string]
  const child = spawn(chromiumPath, [...FLAGS, `--user-data-dir=${profile}`, `${origin}/`], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, [name]: value },
  })
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve())
    child.once('error', () => resolve())
  })
  const running = () => child.pid !== undefined && child.exitCode === null && child.signalCode === null
  let browser: Browser | undefined

  async function kill(): Promise<void> {
    // No await before killTree: the exit of the root cannot be reaped (and its pid reused) in between.
    await killTree(running() ? child.pid : undefined, marker)
    await exited
    await browser?.close().catch(() => {})
  }

  try {
    browser = await chromium.connectOverCDP(await devtoolsUrl(child))
  } catch (error) {
    await kill()
    throw error
  }
  const context = browser.contexts()[0]
  if (!context) {
    await kill()
    throw new Error('Chromium came up without its default (disk-backed) context')
  }
  const connected = browser
  // The tab Chromium opened at launch serves the first lab page.
  let first = context.pages()[0]

  return {
    async openLab(onEvent) {
      const page = first ?? (await context.newPage())
      first = undefined
      return openLabPage(page, origin, onEvent)
    },
    kill,
    async close() {
      if (!running()) return kill()
      const others = processTree(child.pid, marker).filter(({ pid }) => pid !== child.pid)
      const session = await connected.newBrowserCDPSession()
      // The reply may never come: the connection goes down with the browser.
      session.send('Browser.close').catch(() => {})
      const timer = new Promise<'late'>((resolve) => setTimeout(resolve, SHUTDOWN_MS, 'late').unref())
      if ((await Promise.race([exited, timer])) === 'late') {
        await kill()
        throw new Error(`Chromium did not exit within ${SHUTDOWN_MS} ms of Browser.close; killed it`)
      }
      try {
        await waitGone(others)
      } finally {
        await kill()
      }
    },
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
