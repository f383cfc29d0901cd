import { cp, rm } from 'node:fs/promises'
import type { Lab, LabPage } from '@stowage/browser-lab/src/lab.ts'
import type { Loaded, Target } from '@stowage/browser-lab/src/protocol.ts'
import { tornLogs } from '@stowage/browser-lab/src/torn-logs.ts'
import { rewriteFiles, writeDisk } from './disk.js'
import type { Disk } from './model.js'
import { storageOf } from './storage.js'

/** What a browser booted on a crash state's disk showed of its own doing, before and as the driver looked. */
export interface BrowserEvidence {
  /** What the browser held around the looked-at namespaces before the driver looked (browser-lab's inspect). */
  before: string[]
  /** The browser's own LevelDB logs reporting corruption, written while it booted (browser-lab's tornLogs). */
  tornLogs: string[]
}

/** What a browser booted on a crash state's disk found of the file. */
export interface Found extends BrowserEvidence {
  /** The file's verdict, or why the load failed. */
  load: Loaded
}

/** What is done on each booted disk: `places` inspected once a launch, then `look` per disk. */
export interface Look<R> {
  places: string[]
  look: (page: LabPage) => Promise<R>
}

/**
 * Boots one browser on the first of `disks`: the snapshot's profile with its storage replaced by
 * that disk, written into `dir` (no recording file system needed), and looks at it. Each later
 * disk must differ from the first only in the files that `rewritable` names (the bytes of OPFS
 * files; the trial's grouping sees to it, with the same predicate): those are rewritten under the
 * running browser, and it is looked at again. A look must leave no handle or lock behind it, nor
 * change what the browser reads once and keeps.
 */
export async function* bootEach<R extends object>(
  lab: Lab,
  snapshot: string,
  disks: Disk[],
  dir: string,
  { places, look }: Look<R>,
  rewritable: (path: string) => boolean = () => false,
): AsyncGenerator<R & BrowserEvidence> {
  await cp(snapshot, dir, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true })
  try {
    await writeDisk(dir, disks[0]!, storageOf(lab))
    const browser = await lab.launch(dir)
    try {
      const page = await browser.openLab()
      // What the browser held and what its own logs said as it opened its databases are alike for
      // every disk of a launch, which share those databases: taken at the first disk, before its
      // look, which may create a namespace (opfs-sync's directory) that later ones would show.
      const before: string[] = []
      for (const place of places)
        before.push(
          ...(await page.call({ op: 'inspect', place }).catch((error) => [`inspect failed: ${String(error)}`])),
        )
      let torn: string[] | undefined
      for (const [i, disk] of disks.entries()) {
        if (i > 0) await rewriteFiles(dir, disk, rewritable)
        const result = await look(page)
        torn ??= await tornLogs(dir)
        yield { ...result, before, tornLogs: torn }
      }
    } finally {
      // What the browser does to the state after the look matters to no one: no quit needed.
      await browser.kill()
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** Boots a browser on one crash state's disk and looks at it (`bootEach` of one). */
export async function bootOn<R extends object>(
  lab: Lab,
  snapshot: string,
  disk: Disk,
  dir: string,
  look: Look<R>,
): Promise<R & BrowserEvidence> {
  for await (const found of bootEach(lab, snapshot, [disk], dir, look)) return found
  throw new Error('unreachable: bootEach yields once per disk')
}

/** Loads the file through a new store of the driver, closed after the load, so that no handle or lock outlives it. */
export const loadFile = (target: Target): Look<Pick<Found, 'load'>> => ({
  places: [target.place],
  look: async (page) => ({
    load: await page.call({ op: 'load', ...target, close: true }).then(
      (verdict) => ({ verdict }),
      (error) => ({ failed: String(error) }),
    ),
  }),
})
