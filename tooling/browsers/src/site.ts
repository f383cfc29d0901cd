import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type BundleOptions, bundlePage } from './bundle.js'
import { createLink, type Link } from './link.js'
import { serveStatic } from './serve.js'

/** One test file's site: its bundled page served on a fixed port, a link for its pages, and profile folders. */
export interface Site {
  /** http://127.0.0.1:<port>: the same for every launch, so relaunched browsers find their data. */
  origin: string
  /** The channel of pages in browsers launched with no automation (see `launchLinked`). */
  link: Link
  /** A fresh profile folder on disk, deleted with the site. */
  profile(): Promise<string>
  /** Closes the server and deletes the bundle and every profile, on every path. */
  dispose(): Promise<void>
}

/**
 * Bundles `page` (see `bundlePage`) and serves it on 127.0.0.1:`port`. The port is fixed per test
 * file: OPFS and IndexedDB belong to the origin, and the origin includes the port.
 */
export async function openSite(page: string, port: number, options?: BundleOptions): Promise<Site> {
  const bundle = await bundlePage(page, options)
  const link = createLink()
  const server = await serveStatic(bundle.dir, port, link.route).catch(async (error) => {
    await bundle.remove()
    throw error
  })
  const profiles: string[] = []
  return {
    origin: server.origin,
    link,
    async profile() {
      profiles.push(await mkdtemp(join(tmpdir(), 'stowage-profile-')))
      return profiles.at(-1)!
    },
    async dispose() {
      link.close()
      const removed = profiles.map((dir) => rm(dir, { recursive: true, force: true }))
      const steps = await Promise.allSettled([server.close(), bundle.remove(), ...removed])
      const failed = steps.find((step) => step.status === 'rejected')
      if (failed) throw failed.reason
    },
  }
}
