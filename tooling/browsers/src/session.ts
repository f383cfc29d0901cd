import type { Browser, Engine, LaunchOptions, Tab } from './browser.js'
import type { Patch } from './bundle.js'
import { launch } from './launch.js'
import { unwrap } from './protocol.js'
import { openSite, type Site } from './site.js'
import { within } from './within.js'

export type { Patch } from './bundle.js'

/** One test file's browser: its bundled page, served on a fixed port, open in `engine` on a profile on disk. */
export interface EngineSession {
  engine: Engine
  origin: string
  /** Runs a case of the page; rejects with the browser's error, or when it takes longer than `timeoutMs`. */
  run(name: string, args?: unknown[], timeoutMs?: number): Promise<unknown>
  /** Opens the page in another tab of the same browser, whose cases `run` runs there; closed by `restart` and `dispose`. */
  openTab(): Promise<Pick<EngineSession, 'run'> & Pick<Tab, 'close'>>
  /** Quits the browser and launches it again on the same profile and origin, then reopens the page. */
  restart(): Promise<void>
  /** Closes (or kills) the browser and the server and deletes the bundle and the profile, on every path. */
  dispose(): Promise<void>
}

/** How a session starts: the browser's launch options, and `patches` that change modules as they are bundled (how a test plants a bug). */
export interface SessionOptions extends LaunchOptions {
  patches?: Patch[]
}

/** A session driven through `engine`'s automation. */
export async function openSession(
  engine: Engine,
  pageEntry: string,
  port: number,
  { patches = [], ...options }: SessionOptions = {},
): Promise<EngineSession> {
  let site: Site | undefined
  let profile: string
  let browser: Browser | undefined
  let tab: Tab | undefined

  async function start(): Promise<void> {
    browser = await launch(engine, profile, { ...options, automation: true })
    tab = await browser.open(`${site!.origin}/`)
  }

  async function stop(): Promise<void> {
    const running = browser
    browser = tab = undefined
    await running?.close().catch(() => running.kill())
  }

  async function dispose(): Promise<void> {
    try {
      await stop()
    } finally {
      await site?.dispose()
    }
  }

  try {
    site = await openSite(pageEntry, port, { patches })
    profile = await site.profile()
    await start()
  } catch (error) {
    await dispose()
    throw error
  }

  async function runOn(on: Tab | undefined, name: string, args: unknown[] = [], timeoutMs = 120_000) {
    if (!on) throw new Error(`[${engine}] the browser is not running`)
    return unwrap(await within(on.run(name, args), timeoutMs, `[${engine}] outcome of ${name}`), engine)
  }

  return {
    engine,
    origin: site.origin,
    run: (name, args, timeoutMs) => runOn(tab, name, args, timeoutMs),
    async openTab() {
      if (!browser) throw new Error(`[${engine}] the browser is not running`)
      const other = await browser.open(`${site!.origin}/`)
      return { ...other, run: (name, args, timeoutMs) => runOn(other, name, args, timeoutMs) }
    },
    async restart() {
      await stop()
      await start()
    },
    dispose,
  }
}
