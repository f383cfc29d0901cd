import { fileURLToPath } from 'node:url'
import { type Browser, type Engine, launch } from '@stowage/browsers/launch'
import { unwrap } from '@stowage/browsers/protocol'
import { openSite, type Site } from '@stowage/browsers/site'
import { within } from '@stowage/browsers/within'
import { afterAll, beforeAll } from 'vitest'

/** One tab of the test page: runs a case of `automerge.page.ts` and resolves with its value. */
export type Tab = (name: string, ...args: unknown[]) => Promise<unknown>

/** The browser of one test file: its tabs, and a SIGKILL of the whole browser followed by a relaunch on the same profile and port. */
export interface TestBrowser {
  tabs(): Tab[]
  crash(): Promise<void>
}

const page = fileURLToPath(new URL('./automerge.page.ts', import.meta.url))
const CASE_MS = 60_000

/**
 * For this test file: `engine` on a profile on disk, with `tabs` tabs of the test page open in
 * its one browser context (so they share storage, Web Locks and BroadcastChannel), served on a
 * fixed port; all of it disposed after the file.
 */
export function useBrowser(engine: Engine, port: number, tabs: number): TestBrowser {
  let site: Site | undefined
  let profile: string | undefined
  let browser: Browser | undefined
  let open: Tab[] = []

  async function start(): Promise<void> {
    browser = await launch(engine, profile!, { automation: true })
    open = []
    for (let i = 0; i < tabs; i++) {
      const tab = await browser.open(`${site!.origin}/`)
      open.push(async (name, ...args) =>
        unwrap(await within(tab.run(name, args), CASE_MS, `[${engine}] ${name}`), engine),
      )
    }
  }

  beforeAll(async () => {
    site = await openSite(page, port)
    profile = await site.profile()
    await start()
  }, 180_000)

  afterAll(async () => {
    open = []
    try {
      await browser?.close().catch(() => browser?.kill())
    } finally {
      await site?.dispose()
    }
  }, 60_000)

  return {
    tabs() {
      if (!open.length) throw new Error(`${engine} did not start`)
      return open
    },
    async crash() {
      open = []
      await browser?.kill()
      await start()
    },
  }
}
