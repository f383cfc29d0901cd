import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Launch, LabBrowser } from './browser.js'
import { bundleLab } from './bundle.js'
import { createLink } from './link.js'
import { serveStatic } from '@stowage/browser-test/serve'

/** One test file's lab: the bundle served on a fixed port, and every browser and profile it made. */
export interface Lab {
  /** http://127.0.0.1:<port>: the same for every launch, so relaunched browsers find their data. */
  origin: string
  /** A fresh profile folder on disk. */
  profile(): Promise<string>
  launch(profile: string): Promise<LabBrowser>
  /** Kills every browser still running, closes the server, removes the bundle and the profiles. */
  dispose(): Promise<void>
}

export interface LabOptions {
  /** Fixed per test file: OPFS and IndexedDB belong to the origin, and the origin includes the port. */
  port: number
  /** A module that calls `serveLab` with the drivers under trial. */
  worker: string
  launch: Launch
}

export async function createLab({ port, worker, launch }: LabOptions): Promise<Lab> {
  const bundle = await bundleLab(worker)
  const link = createLink()
  const server = await serveStatic(bundle.dir, port, link.route).catch(async (error) => {
    await bundle.remove()
    throw error
  })
  const browsers = new Set<LabBrowser>()
  const profiles: string[] = []
  let disposed = false

  function track(browser: LabBrowser): LabBrowser {
    const untrack = <T>(done: Promise<T>) => done.finally(() => browsers.delete(browser))
    browsers.add(browser)
    return { ...browser, kill: () => untrack(browser.kill()), close: () => untrack(browser.close()) }
  }

  return {
    origin: server.origin,
    async profile() {
      if (disposed) throw new Error('The lab is disposed')
      const dir = await mkdtemp(join(tmpdir(), 'stowage-lab-profile-'))
      profiles.push(dir)
      return dir
    },
    async launch(profile) {
      if (disposed) throw new Error('The lab is disposed')
      const browser = await launch(profile, { origin: server.origin, link })
      // A trial that outlived its test (a timeout) must not leave a browser behind the dispose.
      if (disposed) {
        await browser.kill()
        throw new Error('The lab was disposed during a launch')
      }
      return track(browser)
    },
    async dispose() {
      disposed = true
      const steps = await Promise.allSettled([...browsers].map((browser) => browser.kill()))
      browsers.clear()
      link.close()
      steps.push(...(await Promise.allSettled([server.close(), bundle.remove()])))
      steps.push(...(await Promise.allSettled(profiles.map((dir) => rm(dir, { recursive: true, force: true })))))
      const failed = steps.find((step) => step.status === 'rejected')
      if (failed) throw failed.reason
    },
  }
}
