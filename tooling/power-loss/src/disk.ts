import { createHash } from 'node:crypto'
import { mkdir, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Disk } from './model.js'

/** The files and folders under `prefixes` of the profile at `root`, by path from its root, with the files' times. */
export async function readDisk(root: string, prefixes: string[]): Promise<Disk> {
  const disk: Required<Disk> = { files: new Map(), dirs: new Set(), mtimes: new Map() }
  async function walk(path: string): Promise<void> {
    const entries = await readdir(root + path, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined
      throw error
    })
    if (!entries) return
    disk.dirs.add(path)
    for (const entry of entries) {
      const child = `${path}/${entry.name}`
      if (entry.isDirectory()) await walk(child)
      else if (entry.isFile()) {
        disk.files.set(child, new Uint8Array(await readFile(root + child)))
        disk.mtimes.set(child, (await stat(root + child)).mtimeMs)
      }
    }
  }
  for (const prefix of prefixes) await walk(prefix)
  return disk
}

/** Replaces what the profile at `root` holds under `prefixes` with `disk`. */
export async function writeDisk(root: string, disk: Disk, prefixes: string[]): Promise<void> {
  await Promise.all(prefixes.map((prefix) => rm(root + prefix, { recursive: true, force: true })))
  for (const dir of [...disk.dirs].sort()) await mkdir(root + dir, { recursive: true })
  // A file whose folder's creation the state lost cannot exist on that disk: the model never keeps one.
  for (const [path, bytes] of disk.files) await writeFile(join(root, path), bytes)
  await keepTimes(root, disk, () => true)
}

/** Rewrites in place, in the profile at `root`, the files of `disk` that `which` names: the browser may be running. */
export async function rewriteFiles(root: string, disk: Disk, which: (path: string) => boolean): Promise<void> {
  for (const [path, bytes] of disk.files) if (which(path)) await writeFile(join(root, path), bytes)
  await keepTimes(root, disk, which)
}

/** Gives back the files of `disk` that `which` names the times the snapshot had them at. */
async function keepTimes(root: string, disk: Disk, which: (path: string) => boolean): Promise<void> {
  for (const [path, ms] of disk.mtimes ?? []) if (which(path)) await utimes(join(root, path), ms / 1000, ms / 1000)
}

/**
 * A digest of a disk: two crash states that leave the same disk are checked once. A file's time
 * counts (the snapshot's, or new), as a driver may date its copies by it. With `namesOnly`, the
 * files it names count by name alone: disks alike but for those files' bytes digest alike.
 */
export function diskKey(disk: Disk, namesOnly: (path: string) => boolean = () => false): string {
  const hash = createHash('sha256')
  for (const dir of [...disk.dirs].sort()) hash.update(`d ${dir}\n`)
  for (const path of [...disk.files.keys()].sort()) {
    const bytes = disk.files.get(path)!
    const time = disk.mtimes?.get(path) ?? 'new'
    if (namesOnly(path)) hash.update(`f ${path} ${time}\n`)
    else hash.update(`f ${path} ${time} ${bytes.length}\n`).update(bytes)
  }
  return hash.digest('hex')
}
