import { cp, rm } from 'node:fs/promises'
import type { Lab } from '@stowage/browser-lab/src/lab.ts'
import type { Verdict } from '@stowage/browser-lab/src/payload.ts'
import type { Target } from '@stowage/browser-lab/src/protocol.ts'
import { writeDisk } from './disk.js'
import type { Disk } from './model.js'
import { STORAGE } from './record.js'

/** What a browser found on a crash state's disk: the file's verdict, or why the load failed. */
export type Found = { verdict: Verdict } | { failed: string }

/**
 * Boots a browser on a crash state: the snapshot's profile with its storage replaced by `disk`,
 * written into `dir` (no recording file system needed), and loads the file through the driver.
 */
export async function loadOn(lab: Lab, snapshot: string, disk: Disk, dir: string, target: Target): Promise<Found> {
  await cp(snapshot, dir, { recursive: true, verbatimSymlinks: true })
  await writeDisk(dir, disk, STORAGE)
  try {
    const browser = await lab.launch(dir)
    try {
      const page = await browser.openLab()
      return { verdict: await page.call({ op: 'load', ...target }) }
    } catch (error) {
      return { failed: String(error) }
    } finally {
      // What the browser does to the state after the load matters to no one: no quit needed.
      await browser.kill()
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
