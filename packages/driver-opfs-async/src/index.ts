import { isStorageError, RESERVED_PREFIX, StorageError, type CallOptions, type Driver } from '@stowage/core'
import { defineDriver, hasName, need, roundTrip } from '@stowage/core/driver'
import { DISCARDED_PREFIX, discard, type Movable, opfsDirectory, pinned, withLock } from '@stowage/core/opfs'
import { bytesAfterHeader, checkedParts } from './checked.js'

export interface OpfsAsyncOptions {
  /** The OPFS directory (a path of names below the root; '' for the root itself) that holds this driver's files. Default 'stowage-opfs-async'. */
  directory?: string
  /** The Web Lock a file's saves, removes and loads hold. Default `stowage:opfs:<directory>/<file>`. */
  lockName?: (file: string) => string
  /**
   * 'checked' (the default): each file is a 16-byte header (length and checksum) and its bytes, so
   * that a file a power cut tore loads CORRUPT. 'raw': exactly the bytes, for files that other
   * code reads directly (GenosDB's), where a torn file loads as data.
   */
  format?: 'checked' | 'raw'
}

/** Chromium writes through `<name>.crswap` (or `<name>.<n>.crswap`) and swaps it in on close. */
const SWAP_SUFFIX = '.crswap'
const STAGED_PREFIX = `${RESERVED_PREFIX}-new-`
/**
 * The directory where a save's complete bytes wait, under their file's own name, to be moved into
 * place. A folder, not a prefix: a name may take all 255 bytes WebKit allows.
 */
const READY_DIR = `${RESERVED_PREFIX}-ready`

/**
 * Tier 2: whole files in an OPFS directory, written with `createWritable` and read with
 * `getFile()`. Works in workers and on the main thread.
 */
export function opfsAsync({
  directory = 'stowage-opfs-async',
  lockName = (file) => `stowage:opfs:${directory}/${file}`,
  format = 'checked',
}: OpfsAsyncOptions = {}): Driver {
  const openDirectory = opfsDirectory(directory)
  const recovered = new Set<string>()
  /**
   * The swap and staged files in the directory, listed once per driver at its first save or
   * remove and consumed by each file's recovery. A listing per file cost each first save a walk
   * of the whole directory: 60 ms a file with 1,000 files (an adoption of 1,000 files took 60 s).
   * Debris that a crash elsewhere leaves later is found by the next driver instance.
   */
  let debris: Promise<Set<string>> | undefined
  /** Whether this browser's writables go through a visible swap file renamed over on close (Chromium); seen on the first staged write. */
  let swapRenamed: boolean | undefined

  /**
   * Saves and removes hold the file's lock exclusively, across tabs and workers: more than ~100
   * writables open on one file fail in Chromium. Loads hold it shared, because a `getFile()`
   * snapshot that a save swaps out before it is read rejects NotReadableError or NotFoundError.
   */
  async function locked<T>(
    file: string,
    mode: LockMode,
    { signal }: CallOptions = {},
    body: () => Promise<T>,
  ): Promise<T> {
    if (file.endsWith(SWAP_SUFFIX)) {
      throw new StorageError(
        'INVALID_NAME',
        `Invalid file name ${JSON.stringify(file)}: Chromium's swap files end so`,
        {
          file,
        },
      )
    }
    return withLock(lockName(file), { mode, signal }, body)
  }

  /**
   * Reads the newest copy of the file with `read`, under the lock: bytes a crash kept from their
   * name are the newest there are (the file may be torn then). Creates nothing.
   */
  const snapshot = <T>(file: string, options: CallOptions | undefined, read: (copy: File) => Promise<T> | T) =>
    locked(file, 'shared', options, async () => {
      const dir = await openDirectory.existing()
      const ready =
        dir &&
        (await readyFolder(dir)
          .then((folder) => fileOf(folder, file))
          .catch(() => undefined))
      if (ready) return read(ready)
      try {
        if (!dir) throw new DOMException(`${directory} is not there`, 'NotFoundError')
        return await read(await fileOf(dir, file))
      } catch (error) {
        // A directory by that name is no file either.
        if (!hasName(error, 'NotFoundError', 'TypeMismatchError')) throw error
        throw new StorageError('NOT_FOUND', `${file}: no such file`, { cause: error })
      }
    })

  const load = (file: string, options?: CallOptions) =>
    snapshot(file, options, async (copy) => {
      if (format === 'raw') return new Uint8Array(await copy.arrayBuffer())
      const data = await bytesAfterHeader(copy)
      if (!data) throw new StorageError('CORRUPT', `${file}: its ${copy.size} bytes hold no complete save`)
      return data
    })

  // Every save is as durable as `createWritable().close()` makes it, which never fsyncs (Chromium,
  // Firefox): there is no flush for 'relaxed' to skip, and none for 'strict' to wait for.
  const save = (file: string, data: Uint8Array, options?: CallOptions) =>
    locked(file, 'exclusive', options, async () => {
      await recover(file)
      const parts = format === 'checked' ? checkedParts(data) : [data]
      try {
        await writeFile(await openDirectory(), file, parts)
      } catch (error) {
        // The directory was deleted under a kept handle (site data cleared): open it anew, once.
        if (!hasName(error, 'NotFoundError')) throw error
        await writeFile(await openDirectory(true), file, parts)
      }
    })

  const remove = (file: string, options?: CallOptions) =>
    locked(file, 'exclusive', options, async () => {
      await recover(file)
      const dir = await openDirectory()
      try {
        // Only a file goes: removeEntry would also delete an empty directory of that name.
        await discard(dir, await pinned(dir, dir.getFileHandle(file)))
      } catch (error) {
        if (!hasName(error, 'NotFoundError', 'TypeMismatchError')) throw error
      }
    })

  return defineDriver('opfs-async', {
    async probe() {
      need(globalThis.navigator?.storage?.getDirectory, 'navigator.storage.getDirectory')
      need(globalThis.FileSystemFileHandle?.prototype.createWritable, 'FileSystemFileHandle.createWritable')
      await roundTrip({ save, load, remove })
    },
    load,
    save,
    remove,
    // Every save ends in a file written at that moment (its swap file, or its staged file, moved
    // into place), so the file's own modification time is its save's time.
    savedAt: (file, options) =>
      snapshot(file, options, (copy): number | undefined => copy.lastModified).catch((error: unknown) => {
        if (isStorageError(error, 'NOT_FOUND')) return undefined
        throw error
      }),
    place: `opfs:${directory.split('/').filter(Boolean).join('/')}`,
    flushes: false,
    async list() {
      const names = new Set<string>()
      // Never creates the directory: another tier's adoption sweep lists it.
      const dir = await openDirectory.existing()
      if (!dir) return []
      // A file whose bytes a crash left waiting loads, so it lists too.
      for (const folder of [dir, await readyFolder(dir).catch(() => undefined)]) {
        try {
          for await (const [name, handle] of folder?.entries() ?? []) {
            if (handle.kind === 'file' && !name.startsWith(RESERVED_PREFIX) && !name.endsWith(SWAP_SUFFIX))
              names.add(name)
          }
        } catch (error) {
          if (!hasName(error, 'NotFoundError')) throw error
        }
      }
      return [...names]
    },
  })

  /**
   * Finishes or clears what a crash left of earlier saves and removes, once per file and driver,
   * under the file's exclusive lock: a browser can be killed only once per driver's life.
   * A ready file holds a save's complete bytes that did not reach their name: the newest there are.
   * A browser killed mid-save leaves its swap file (Chromium never clears it, and after 100 of them
   * every `createWritable` on the file fails), a save killed before its bytes were complete
   * leaves its staged file, and a remove killed after its move leaves a discarded file. A swap
   * file still in use elsewhere refuses removal (NoModificationAllowedError) and stays; a staged
   * file stays while its own lock shows its save alive. The sweep is best effort: a save must not
   * fail for want of a cleanup.
   */
  async function recover(file: string): Promise<void> {
    if (recovered.has(file)) return
    recovered.add(file)
    const dir = await openDirectory()
    const ready = await readyFolder(dir)
      .then((folder) => pinned(folder, folder.getFileHandle(file)))
      .catch(() => undefined)
    if (ready) await pinned(ready, (ready as Movable).move(dir, file))
    debris ??= findDebris(dir)
    const seen = await debris
    for (const name of [...seen].filter((name) => isSwapOf(name, file) || isLeftover(name))) {
      seen.delete(name)
      const drop = () => pinned(dir, dir.removeEntry(name)).catch(() => {})
      await (name.startsWith(STAGED_PREFIX)
        ? navigator.locks.request(lockName(name), { ifAvailable: true }, (free) => free && drop())
        : drop())
    }
  }

  /**
   * A full replace that a crash at any moment leaves as the old bytes or the new ones.
   *
   * Chromium writes through a swap file renamed over the file on `close()` in one step: there a
   * file that exists is written directly, the fewest changes to the directory there can be (each
   * one is a record in a database that a crash can tear: see the README).
   *
   * Elsewhere `close()` cannot be trusted (Firefox deletes the old bytes before it commits the new
   * ones, so a crash in `close()` can leave the file empty), and so:
   * 1. the bytes go to a staged file of a fresh name (a crash leaves debris, never a torn file);
   * 2. complete, it is moved to `.stowage-ready/<file>` (a move onto a free name is atomic);
   * 3. that is moved onto the file. Firefox deletes the old file first, its bytes before its entry:
   *    a crash in between leaves the file empty or gone beside the complete ready file, which
   *    loads read first and the next save or remove moves into place.
   * A file that does not exist yet always takes that way: `getFileHandle(name, { create: true })`
   * makes an empty file at once. Where `move()` is missing, the bytes go straight to the file.
   */
  async function writeFile(dir: FileSystemDirectoryHandle, file: string, parts: Uint8Array[]): Promise<void> {
    if (!(FileSystemFileHandle.prototype as Partial<Movable>).move) {
      return writeHandle(await pinned(dir, dir.getFileHandle(file, { create: true })), parts)
    }
    const existing = swapRenamed && (await pinned(dir, dir.getFileHandle(file)).catch(() => undefined))
    if (existing) return writeHandle(existing, parts)
    const name = STAGED_PREFIX + crypto.randomUUID()
    // Held while the staged file lives, so that a sweep elsewhere knows it is no leftover.
    return navigator.locks.request(lockName(name), async () => {
      const staged = await pinned(dir, dir.getFileHandle(name, { create: true }))
      const waiting = await readyFolder(dir, true)
      try {
        await writeHandle(staged, parts, async () => {
          swapRenamed ??= await pinned(dir, dir.getFileHandle(name + SWAP_SUFFIX)).then(
            () => true,
            () => false,
          )
        })
        await pinned(staged, (staged as Movable).move(waiting, file))
      } catch (error) {
        await pinned(dir, dir.removeEntry(name)).catch(() => {})
        throw error
      }
      try {
        const ready = await pinned(waiting, waiting.getFileHandle(file))
        await pinned(ready, (ready as Movable).move(dir, file))
      } catch (error) {
        // Left in place, the ready file would come back through a load after a remove.
        await pinned(waiting, waiting.getFileHandle(file))
          .then((ready) => discard(dir, ready))
          .catch(() => {})
        throw error
      }
    })
  }
}

/** The names in `dir` that may be a crash's debris: swap, staged and discarded files; none when it cannot be listed. */
async function findDebris(dir: FileSystemDirectoryHandle): Promise<Set<string>> {
  const names = new Set<string>()
  try {
    for await (const [name, handle] of dir.entries()) {
      if (handle.kind === 'file' && (name.endsWith(SWAP_SUFFIX) || isLeftover(name))) names.add(name)
    }
  } catch {}
  return names
}

/** Staged and discarded files: debris of no file in particular, cleared by any file's recovery. */
const isLeftover = (name: string) => name.startsWith(STAGED_PREFIX) || name.startsWith(DISCARDED_PREFIX)

/** Chromium's swap files for `file`: `<file>.crswap`, then `<file>.<n>.crswap` while those are taken. */
const isSwapOf = (name: string, file: string) =>
  name.startsWith(`${file}.`) && /^(\d+\.)?crswap$/.test(name.slice(file.length + 1))

/** The driver's ready directory. */
const readyFolder = (dir: FileSystemDirectoryHandle, create = false) =>
  pinned(dir, dir.getDirectoryHandle(READY_DIR, { create }))

/** Writes `parts` one after another as the file's whole content. */
async function writeHandle(
  handle: FileSystemFileHandle,
  parts: Uint8Array[],
  whileOpen?: () => Promise<void>,
): Promise<void> {
  const writable = await pinned(handle, handle.createWritable())
  try {
    await whileOpen?.()
    for (const part of parts) {
      // WebKitGTK 2.50 writes the whole buffer under a view: give it exactly the view's bytes.
      const exact = part.byteLength === part.buffer.byteLength ? part : part.slice()
      await pinned(writable, writable.write(exact as Uint8Array<ArrayBuffer>))
    }
    await pinned(writable, writable.close())
  } catch (error) {
    await pinned(writable, writable.abort()).catch(() => {})
    throw error
  }
}

async function fileOf(dir: FileSystemDirectoryHandle, file: string): Promise<File> {
  const handle = await pinned(dir, dir.getFileHandle(file))
  return pinned(handle, handle.getFile())
}
