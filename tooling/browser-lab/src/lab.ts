import { fileURLToPath } from 'node:url'
import type { Engine } from '@stowage/browsers/launch'
import { type LinkedBrowser, launchLinked } from '@stowage/browsers/link'
import { unwrap } from '@stowage/browsers/protocol'
import type { Patch } from '@stowage/browsers/session'
import { openSite } from '@stowage/browsers/site'
import type { LabEvent, LabRequest, Replies } from './protocol.js'

/** The lab page in some browser, as the trials see it: the same for every browser. */
export interface LabPage {
  call<Op extends LabRequest['op']>(request: LabRequest & { op: Op }): Promise<Replies[Op]>
  close(): Promise<void>
}

/** A browser the trials own: they can crash it or quit it, and open lab pages in its one profile. */
export interface LabBrowser {
  /** Opens a lab page (the first call gets the tab opened at launch). A save of the worker's loop waits until `onEvent` returned for its `started`. */
  openLab(onEvent?: (event: LabEvent) => void): Promise<LabPage>
  /** The crash: every process of the browser SIGKILLed at one moment; resolves when all are gone. Idempotent. */
  kill(): Promise<void>
  /** A normal shutdown, as when the user quits: every tab closed; resolves when every process has exited. */
  close(): Promise<void>
}

/** One test file's lab: the bundle served on a fixed port, and every browser and profile it made. */
export interface Lab {
  /** The browser every launch starts: where it keeps a profile's storage depends on it. */
  engine: Engine
  /** http://127.0.0.1:<port>: the same for every launch, so relaunched browsers find their data. */
  origin: string
  /** A fresh profile folder on disk. */
  profile(): Promise<string>
  launch(profile: string): Promise<LabBrowser>
  /** Kills every browser still running, closes the server, removes the bundle and the profiles. */
  dispose(): Promise<void>
}

export interface LabOptions {
  engine: Engine
  /** Fixed per test file: OPFS and IndexedDB belong to the origin, and the origin includes the port. */
  port: number
  /** A module that calls `serveLab` with the drivers under trial. */
  worker: string
  /** Changes to modules as they are bundled: how a test plants a bug. */
  patches?: Patch[]
}

/** The lab in `engine`, launched with no automation: its pages link themselves to the test. */
export async function createLab({ engine, port, worker, patches }: LabOptions): Promise<Lab> {
  const site = await openSite(fileURLToPath(new URL('./lab.page.ts', import.meta.url)), port, {
    entries: { worker },
    patches,
  })
  const browsers = new Set<LinkedBrowser>()
  let disposed = false

  function labBrowser(browser: LinkedBrowser): LabBrowser {
    const untrack = <T>(done: Promise<T>) => done.finally(() => browsers.delete(browser))
    browsers.add(browser)
    return {
      async openLab(onEvent) {
        const tab = await browser.open(onEvent as (event: unknown) => void)
        return {
          call: async (request) => unwrap(await tab.run(request.op, [request]), engine) as never,
          close: () => tab.close(),
        }
      },
      kill: () => untrack(browser.kill()),
      close: () => untrack(browser.close()),
    }
  }

  return {
    engine,
    origin: site.origin,
    async profile() {
      if (disposed) throw new Error('The lab is disposed')
      return site.profile()
    },
    async launch(profile) {
      if (disposed) throw new Error('The lab is disposed')
      const browser = await launchLinked(engine, profile, site.origin, site.link)
      // A trial that outlived its test (a timeout) must not leave a browser behind the dispose.
      if (disposed) {
        await browser.kill()
        throw new Error('The lab was disposed during a launch')
      }
      return labBrowser(browser)
    },
    async dispose() {
      disposed = true
      const steps = await Promise.allSettled([...browsers].map((browser) => browser.kill()))
      browsers.clear()
      steps.push(...(await Promise.allSettled([site.dispose()])))
      const failed = steps.find((step) => step.status === 'rejected')
      if (failed) throw failed.reason
    },
  }
}
