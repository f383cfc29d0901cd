import { driverCalls, hasName, need, opfsDirectory, pinned, RESERVED_PREFIX, roundTrip, StorageError, type Driver } from '@stowage/core'

export interface OpfsAsyncOptions {
  /** The OPFS directory (a path of names below the root; '' for the root itself) that holds this driver's files. Default 'stowage-opfs-async'. */
  directory?: string
  /** The Web Lock a file's saves, removes and loads hold. Default `stowage:opfs:<directory>/<file>`. */
  lockName?: (file: string) => string
}

/** Chromium writes through `<name>.crswap` (or `<name>.<n>.crswap`) and swaps it in on close. */
const SWAP_SUFFIX = '.crswap'
const STAGED_PREFIX = `${RESERVED_PREFIX}-new-`

/**
 * Tier 2: whole files in an OPFS directory, written with `createWritable` (a full replace that
 * Chromium swaps in on `close()`) and read with `getFile()`. Works in workers and on the main thread.
 */
export function opfsAsync({
  directory = 'stowage-opfs-async',
  lockName = (file) => `stowage:opfs:${directory}/${file}`,
}: OpfsAsyncOptions = {}): Driver {
  const calls = driverCalls('opfs-async')
  const openDirectory = opfsDirectory(directory)
  const swept = new Set<string>()

  /**
   * Saves and removes hold the file's lock exclusively, across tabs and workers: more than ~100
   * writables open on one file fail in Chromium. Loads hold it shared, because a `getFile()`
   * snapshot that a save swaps out before it is read rejects NotReadableError or NotFoundError.
   */
  async function locked<T>(file: string, mode: LockMode, body: () => Promise<T>): Promise<T> {
    if (file.endsWith(SWAP_SUFFIX)) {
      throw new StorageError('INVALID_NAME', `Invalid file name ${JSON.stringify(file)}: "${SWAP_SUFFIX}" names are Chromium's swap files`)
    }
    return navigator.locks.request(lockName(file), { mode }, body)
  }

  const load = (file: string) =>
    locked(file, 'shared', async () => {
      try {
        return await readFile(await openDirectory(), file)
      } catch (error) {
        // A directory by that name is no file either.
        if (!hasName(error, 'TypeMismatchError')) throw error
        throw new StorageError('NOT_FOUND', `${file}: no such file`, { cause: error })
      }
    })

  const save = (file: string, data: Uint8Array) =>
    locked(file, 'exclusive', async () => {
      if (!swept.has(file)) {
        swept.add(file)
        // Best effort: a save must not fail for want of a cleanup.
        await sweep(await openDirectory(), file).catch(() => {})
      }
      try {
        await writeFile(await openDirectory(), file, data, lockName)
      } catch (error) {
        // The directory was deleted under a kept handle (site data cleared): open it anew, once.
        if (!hasName(error, 'NotFoundError')) throw error
        await writeFile(await openDirectory(true), file, data, lockName)
      }
    })

  const remove = (file: string) =>
    locked(file, 'exclusive', async () => {
      const dir = await openDirectory()
      try {
        // removeEntry would also delete an empty directory of that name: only a file goes.
        await pinned(dir, dir.getFileHandle(file))
        await pinned(dir, dir.removeEntry(file))
      } catch (error) {
        if (!hasName(error, 'NotFoundError', 'TypeMismatchError')) throw error
      }
    })

  return calls.driver({
    async probe() {
      need(globalThis.navigator?.storage?.getDirectory, 'navigator.storage.getDirectory')
      need(navigator.locks?.request, 'navigator.locks')
      need(globalThis.FileSystemFileHandle?.prototype.createWritable, 'FileSystemFileHandle.createWritable')
      await roundTrip({ save, load, remove })
    },
    load,
    save,
    remove,
    async list() {
      const names: string[] = []
      const dir = await openDirectory()
      try {
        for await (const [name, handle] of dir.entries()) {
          if (handle.kind === 'file' && !name.startsWith(RESERVED_PREFIX) && !name.endsWith(SWAP_SUFFIX)) names.push(name)
        }
      } catch (error) {
        if (!hasName(error, 'NotFoundError')) throw error
      }
      return names
    },
  })

  /**
   * Clears what crashes left behind: a browser killed mid-save leaves its swap file (Chromium has
   * no cleanup for it, and after 100 of them every `createWritable` on the file fails), and a
   * first save killed mid-way leaves its staged file. Run once per file and driver, under the
   * file's exclusive lock, so no Stowage writer of `file` is at work. A swap file still in use
   * elsewhere refuses removal (NoModificationAllowedError) and stays; a staged file stays while
   * its own lock shows its save alive.
   */
  async function sweep(dir: FileSystemDirectoryHandle, file: string): Promise<void> {
    const leftovers: string[] = []
    for await (const [name, handle] of dir.entries()) {
      if (handle.kind === 'file' && (isSwapOf(name, file) || name.startsWith(STAGED_PREFIX))) leftovers.push(name)
    }
    for (const name of leftovers) {
      const drop = () => pinned(dir, dir.removeEntry(name)).catch(() => {})
      await (name.startsWith(STAGED_PREFIX) ? navigator.locks.request(lockName(name), { ifAvailable: true }, (free) => free && drop()) : drop())
    }
  }
}

/** Chromium's swap files for `file`: `<file>.crswap`, then `<file>.<n>.crswap` while those are taken. */
const isSwapOf = (name: string, file: string) => name.startsWith(`${file}.`) && /^(\d+\.)?crswap$/.test(name.slice(file.length + 1))

/**
 * A full replace: the bytes go to Chromium's swap file and `close()` moves it over the file in one
 * step. On any failure `abort()` drops the swap file and its lock; its own error would hide the first.
 * A file that does not exist yet is written under a reserved name and moved into place, because
 * `getFileHandle(name, { create: true })` makes an empty file at once: a crash before `close()`
 * would leave an empty file where there was none.
 */
async function writeFile(dir: FileSystemDirectoryHandle, file: string, data: Uint8Array, lockName: (file: string) => string): Promise<void> {
  const existing = await pinned(dir, dir.getFileHandle(file)).catch((error: unknown) => {
    if (!hasName(error, 'NotFoundError')) throw error
  })
  if (existing) return writeHandle(existing, data)
  const name = `${STAGED_PREFIX}${crypto.randomUUID()}`
  // Held while the staged file lives, so that a sweep elsewhere knows it is no leftover.
  return navigator.locks.request(lockName(name), () => writeStaged(dir, file, name, data))
}

async function writeStaged(dir: FileSystemDirectoryHandle, file: string, name: string, data: Uint8Array): Promise<void> {
  const staged = await pinned(dir, dir.getFileHandle(name, { create: true }))
  if (typeof (staged as Movable).move !== 'function') {
    await pinned(dir, dir.removeEntry(staged.name))
    return writeHandle(await pinned(dir, dir.getFileHandle(file, { create: true })), data)
  }
  try {
    await writeHandle(staged, data)
    await pinned(staged, (staged as Movable).move(dir, file))
  } catch (error) {
    await pinned(dir, dir.removeEntry(staged.name)).catch(() => {})
    throw error
  }
}

/** `move()` is missing from TypeScript's DOM types; WebKit accepts only this two-argument form. */
type Movable = FileSystemFileHandle & { move(dir: FileSystemDirectoryHandle, name: string): Promise<void> }

async function writeHandle(handle: FileSystemFileHandle, data: Uint8Array): Promise<void> {
  // WebKitGTK 2.50 writes the whole buffer under a view: give it exactly the view's bytes.
  const exact = data.byteLength === data.buffer.byteLength ? data : data.slice()
  const writable = await pinned(handle, handle.createWritable())
  try {
    await pinned(writable, writable.write(exact as Uint8Array<ArrayBuffer>))
    await pinned(writable, writable.close())
  } catch (error) {
    await pinned(writable, writable.abort()).catch(() => {})
    throw error
  }
}

async function readFile(dir: FileSystemDirectoryHandle, file: string): Promise<Uint8Array> {
  const handle = await pinned(dir, dir.getFileHandle(file))
  const snapshot = await pinned(handle, handle.getFile())
  return new Uint8Array(await snapshot.arrayBuffer())
}
