import { cp, rm } from 'node:fs/promises'
import type { Lab } from '@stowage/browser-lab/src/lab.ts'
import type { Verdict } from '@stowage/browser-lab/src/payload.ts'
import type { Target } from '@stowage/browser-lab/src/protocol.ts'
import { tornLogs } from '@stowage/browser-lab/src/torn-logs.ts'
import { rewriteFiles, writeDisk } from './disk.js'
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
 * Boots one browser on the first of `disks`: the snapshot's profile with its storage replaced by
 * that disk, written into `dir` (no recording file system needed), and loads the file through a
 * new store of the driver. Each later disk must differ from the first only in the files that
 * `rewritable` names (the bytes of OPFS files; the trial's grouping sees to it, with the same
 * predicate): those are rewritten under the running browser, and
 * the file is loaded again through another new store. Every store is closed before the next
 * rewrite, so that no handle or lock of the driver outlives its load.
 */
export async function* loadEach(
  lab: Lab,
  snapshot: string,
  disks: Disk[],
  dir: string,
  target: Target,
  rewritable: (path: string) => boolean,
) {
  await cp(snapshot, dir, { recursive: true, verbatimSymlinks: true })
  try {
    await writeDisk(dir, disks[0]!, storageOf(lab))
    const browser = await lab.launch(dir)
    try {
      const page = await browser.openLab()
      // What the browser held and what its own logs said as it opened its databases are alike for
      // every disk of a launch, which share those databases: taken at the first disk, before its
      // load, which may create the namespace (the driver's directory) that later ones would show.
      const before = await page
        .call({ op: 'inspect', place: target.place })
        .catch((error) => [`inspect failed: ${String(error)}`])
      let torn: string[] | undefined
      for (const [i, disk] of disks.entries()) {
        if (i > 0) await rewriteFiles(dir, disk, rewritable)
        const load = await page.call({ op: 'load', ...target, close: true }).then(
          (verdict) => ({ verdict }),
          (error) => ({ failed: String(error) }),
        )
        torn ??= await tornLogs(dir)
        yield { load, before, tornLogs: torn } satisfies Found
      }
    } finally {
      // What the browser does to the state after the load matters to no one: no quit needed.
      await browser.kill()
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** Boots a browser on one crash state's disk and loads the file through the driver (`loadEach` of one). */
export async function loadOn(lab: Lab, snapshot: string, disk: Disk, dir: string, target: Target): Promise<Found> {
  for await (const found of loadEach(lab, snapshot, [disk], dir, target, () => false)) return found
  throw new Error('unreachable: loadEach yields once per disk')
}
