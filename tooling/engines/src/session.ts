import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { bundlePage, type PageBundle, type Patch } from './bundle.js'
import { launch, type Engine, type EngineBrowser, type EnginePage, type LaunchOptions } from './launch.js'
import { unwrap } from './outcome.js'
import { serveStatic, type StaticServer } from '@stowage/browser-test/serve'

/** One test file's browser: its bundled page, served on a fixed port, open in `engine` on a profile on disk. */
export interface EngineSession {
  engine: Engine
  origin: string
  /** Runs a case of the page; rejects with the browser's error, or when it takes longer than `timeoutMs`. */
  run(name: string, args?: unknown[], timeoutMs?: number): Promise<unknown>
  /** Quits the browser and launches it again on the same profile and origin, then reopens the page. */
  restart(): Promise<void>
  /** Closes (or kills) the browser and the server and deletes the bundle and the profile, on every path. */
  dispose(): Promise<void>
}

/** How a session starts: the browser's launch options, and `patches` that change modules as they are bundled (how a test plants a bug). */
export interface SessionOptions extends LaunchOptions {
  patches?: Patch[]
}

export async function openSession(
  engine: Engine,
  pageEntry: string,
  port: number,
  { patches = [], ...options }: SessionOptions = {},
): Promise<EngineSession> {
  let bundle: PageBundle | undefined
  let server: StaticServer | undefined
  let profile: string | undefined
  let browser: EngineBrowser | undefined
  let page: EnginePage | undefined

  async function start(): Promise<void> {
    browser = await launch(engine, profile!, options)
    page = await browser.open(`${server!.origin}/`)
  }

  async function stop(): Promise<void> {
    const running = browser
    browser = page = undefined
    await running?.close().catch(() => running.kill())
  }

  async function dispose(): Promise<void> {
    try {
      await stop()
    } finally {
      await server?.close().catch(() => {})
      await bundle?.remove()
      if (profile) await rm(profile, { recursive: true, force: true })
    }
  }

  try {
    bundle = await bundlePage(pageEntry, patches)
    server = await serveStatic(bundle.dir, port)
    profile = await mkdtemp(join(tmpdir(), `stowage-${engine}-profile-`))
    await start()
  } catch (error) {
    await dispose()
    throw error
  }

  return {
    engine,
    origin: server.origin,
    async run(name, args = [], timeoutMs = 120_000) {
      if (!page) throw new Error(`[${engine}] the browser is not running`)
      let timer: ReturnType<typeof setTimeout> | undefined
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`[${engine}] ${name}: no outcome within ${timeoutMs} ms`)), timeoutMs)
      })
      try {
        return unwrap(await Promise.race([page.run(name, args), late]), engine)
      } finally {
        clearTimeout(timer)
      }
    },
    async restart() {
      await stop()
      await start()
    },
    dispose,
  }
}
