import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type StaticServer, serveStatic } from '@stowage/browser-test/serve'
import { afterAll, beforeAll } from 'vitest'
import { bundlePage, type PageBundle } from '../../../tooling/engines/src/bundle.ts'
import { type Engine, type EngineBrowser, launch } from '../../../tooling/engines/src/launch.ts'
import { unwrap } from '../../../tooling/engines/src/outcome.ts'

/** One tab of the test page: runs a case of `automerge.page.ts` and resolves with its value. */
export type Tab = (name: string, ...args: unknown[]) => Promise<unknown>

const page = fileURLToPath(new URL('./automerge.page.ts', import.meta.url))
const CASE_MS = 60_000

/** The browser of one test file: its tabs, and a SIGKILL of the whole browser followed by a relaunch on the same profile and port. */
export interface TestBrowser {
  tabs(): Tab[]
  crash(): Promise<void>
}

/**
 * For this test file: `engine` on a profile on disk, with `tabs` tabs of the test page open in
 * its one browser context (so they share storage, Web Locks and BroadcastChannel), served on a
 * fixed port; all of it disposed after the file.
 */
export function useBrowser(engine: Engine, port: number, tabs: number): TestBrowser {
  let bundle: PageBundle | undefined
  let server: StaticServer | undefined
  let profile: string | undefined
  let browser: EngineBrowser | undefined
  let open: Tab[] = []

  async function start(): Promise<void> {
    browser = await launch(engine, profile!)
    open = []
    for (let i = 0; i < tabs; i++) {
      const tab = await browser.open(`${server!.origin}/`)
      open.push(async (name, ...args) => {
        let timer: ReturnType<typeof setTimeout> | undefined
        const late = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`[${engine}] ${name}: no outcome within ${CASE_MS} ms`)), CASE_MS)
        })
        try {
          return unwrap(await Promise.race([tab.run(name, args), late]), engine)
        } finally {
          clearTimeout(timer)
        }
      })
    }
  }

  beforeAll(async () => {
    bundle = await bundlePage(page)
    server = await serveStatic(bundle.dir, port)
    profile = await mkdtemp(join(tmpdir(), `stowage-automerge-${engine}-`))
    await start()
  }, 180_000)

  afterAll(async () => {
    open = []
    try {
      await browser?.close().catch(() => browser?.kill())
    } finally {
      await server?.close().catch(() => {})
      await bundle?.remove()
      if (profile) await rm(profile, { recursive: true, force: true })
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
