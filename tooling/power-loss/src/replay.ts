import { cp, rm } from 'node:fs/promises'
import type { Lab } from '@stowage/browser-lab/src/lab.ts'
import type { Verdict } from '@stowage/browser-lab/src/payload.ts'
import type { Target } from '@stowage/browser-lab/src/protocol.ts'
import { tornLogs } from '@stowage/browser-lab/src/torn-logs.ts'
import { writeDisk } from './disk.js'
import type { Disk } from './model.js'
import { storageOf } from './storage.js'

/** What a browser booted on a crash state's disk found. */
export interface Found {
  /** The file's verdict, or why the load failed. */
  load: { verdict: Verdict } | { failed: string }
  /** What the browser held around the namespace before the driver looked (browser-lab's inspect). */
  before: string[]
  /** The browser's own LevelDB logs reporting corruption, written while it booted (browser-lab's tornLogs). */
  tornLogs: string[]
}

/**
 * Boots a browser on a crash state: the snapshot's profile with its storage replaced by `disk`,
 * written into `dir` (no recording file system needed), and loads the file through the driver.
 */
export async function loadOn(lab: Lab, snapshot: string, disk: Disk, dir: string, target: Target): Promise<Found> {
  await cp(snapshot, dir, { recursive: true, verbatimSymlinks: true })
  await writeDisk(dir, disk, storageOf(lab))
  try {
    const browser = await lab.launch(dir)
    let found: Omit<Found, 'tornLogs'>
    try {
      const page = await browser.openLab()
      const before = await page
        .call({ op: 'inspect', place: target.place })
        .catch((error) => [`inspect failed: ${String(error)}`])
      const load = await page.call({ op: 'load', ...target }).then(
        (verdict) => ({ verdict }),
        (error) => ({ failed: String(error) }),
      )
      found = { load, before }
    } finally {
      // What the browser does to the state after the load matters to no one: no quit needed.
      await browser.kill()
    }
    return { ...found, tornLogs: await tornLogs(dir) }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
