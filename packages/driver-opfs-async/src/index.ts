import { RESERVED_PREFIX, StorageError, toStorageError, type Driver } from '@stowage/core'

export interface OpfsAsyncOptions {
  /** The OPFS directory, at the root, that holds this driver's files; '' for the root itself. Default 'stowage-opfs-async'. */
  directory?: string
  /** The Web Lock a file's saves, removes and loads hold. Default `stowage:opfs:<directory>/<file>`. */
  lockName?: (file: string) => string
}

const ID = 'opfs-async'
/** Chromium writes through `<name>.crswap` (or `<name>.<n>.crswap`) and swaps it in on close. */
const SWAP_SUFFIX = '.crswap'
const STAGED_PREFIX = `${RESERVED_PREFIX}-new-`
/**
 * The directory where a save's complete bytes wait, under their file's own name, to be moved into
 * place. A folder, not a prefix: a name may take all 255 bytes WebKit allows.
 */
const READY_DIR = `${RESERVED_PREFIX}-ready`
const PROBE_FILE = `${RESERVED_PREFIX}-probe`
const PROBE_BYTES = new TextEncoder().encode('stowage probe')

/**
 * Chromium can leave a call pending forever when the handle it was made on is garbage-collected
 * meanwhile (seen with createSyncAccessHandle), so every handle stays referenced here until its
 * call settles.
 */
const pins = new Set<{ handle: object }>()

async function pinned<T>(handle: object, call: Promise<T>): Promise<T> {
  const pin = { handle }
  pins.add(pin)
  try {
    return await call
  } finally {
    pins.delete(pin)
  }
}

function need(available: boolean, what: string): void {
  if (!available) throw new Error(`${what} is missing`)
}

function named(error: unknown, ...names: string[]): boolean {
  return names.includes((error as { name?: string } | null)?.name ?? '')
}

/**
 * Tier 2: whole files in an OPFS directory, written with `createWritable` (a full replace that
 * Chromium swaps in on `close()`) and read with `getFile()`. Works in workers and on the main thread.
 */
export function opfsAsync({
  directory = 'stowage-opfs-async',
  lockName = (file) => `stowage:opfs:${directory}/${file}`,
}: OpfsAsyncOptions = {}): Driver {
  let opened: Promise<FileSystemDirectoryHandle> | undefined
  let closed = false
  const running = new Set<Promise<unknown>>()
  const recovered = new Set<string>()
  /** Whether this browser's writables go through a visible swap file renamed over on close (Chromium). */
  const engine: Engine = {}

  /** Resolving the directory costs ~3 ms in Chromium, so it is done once and kept. */
  function openDirectory(fresh = false): Promise<FileSystemDirectoryHandle> {
    if (fresh || !opened) {
      const attempt = navigator.storage
        .getDirectory()
        .then((root) => (directory ? pinned(root, root.getDirectoryHandle(directory, { create: true })) : root))
      opened = attempt
      attempt.catch(() => {
        if (opened === attempt) opened = undefined
      })
    }
    return opened
  }

  function track<T>(file: string | undefined, op: () => Promise<T>): Promise<T> {
    if (closed) return Promise.reject(new StorageError('CLOSED', `The ${ID} driver is closed`, { file, driver: ID }))
    const result = op().catch((error: unknown) => {
      throw toStorageError(error, { file, driver: ID })
    })
    running.add(result)
    const forget = () => running.delete(result)
    result.then(forget, forget)
    return result
  }

  /**
   * Saves and removes hold the file's lock exclusively, across tabs and workers: more than ~100
   * writables open on one file fail in Chromium. Loads hold it shared, because a `getFile()`
   * snapshot that a save swaps out before it is read rejects NotReadableError or NotFoundError.
   */
  function locked<T>(file: string, mode: LockMode, body: () => Promise<T>): Promise<T> {
    if (file.endsWith(SWAP_SUFFIX)) {
      const message = `Invalid file name ${JSON.stringify(file)}: names ending in "${SWAP_SUFFIX}" would meet Chromium's swap files`
      return Promise.reject(new StorageError('INVALID_NAME', message, { file, driver: ID }))
    }
    return track(file, async (): Promise<T> => navigator.locks.request(lockName(file), { mode }, body))
  }

  return {
    id: ID,

    probe() {
      return track(undefined, async () => {
        try {
          need(typeof navigator.storage?.getDirectory === 'function', 'navigator.storage.getDirectory')
          need(typeof navigator.locks?.request === 'function', 'Web Locks (navigator.locks)')
          need(typeof globalThis.FileSystemFileHandle?.prototype.createWritable === 'function', 'FileSystemFileHandle.createWritable')
          await navigator.locks.request(lockName(PROBE_FILE), async () => {
            const dir = await openDirectory(true)
            try {
              await writeFile(dir, PROBE_FILE, PROBE_BYTES, lockName, engine)
              const back = await readFile(dir, PROBE_FILE)
              if (back.join() !== PROBE_BYTES.join()) throw new Error('a probe file read back other bytes than were written')
            } finally {
              await pinned(dir, dir.removeEntry(PROBE_FILE)).catch(() => {})
            }
          })
        } catch (error) {
          throw toStorageError(error, { driver: ID, probing: true })
        }
      })
    },

    load(file) {
      return locked(file, 'shared', async () => {
        const dir = await openDirectory()
        // Bytes a crash kept from their name are the newest there are; the file may be torn then.
        const waiting = await readyFolder(dir)
        const ready = waiting && (await readFile(waiting, file).catch(() => undefined))
        if (ready) return ready
        try {
          return await readFile(dir, file)
        } catch (error) {
          // A directory by that name is no file either.
          if (!named(error, 'TypeMismatchError')) throw error
          throw new StorageError('NOT_FOUND', `${file}: no such file`, { file, driver: ID, cause: error })
        }
      })
    },

    save(file, data) {
      return locked(file, 'exclusive', async () => {
        await recover(file)
        try {
          await writeFile(await openDirectory(), file, data, lockName, engine)
        } catch (error) {
          // The directory was deleted under a kept handle (site data cleared): open it anew, once.
          if (!named(error, 'NotFoundError')) throw error
          await writeFile(await openDirectory(true), file, data, lockName, engine)
        }
      })
    },

    remove(file) {
      return locked(file, 'exclusive', async () => {
        await recover(file)
        const dir = await openDirectory()
        try {
          // removeEntry would also delete an empty directory of that name: only a file goes.
          await pinned(dir, dir.getFileHandle(file))
          await pinned(dir, dir.removeEntry(file))
        } catch (error) {
          if (!named(error, 'NotFoundError', 'TypeMismatchError')) throw error
        }
      })
    },

    list() {
      return track(undefined, async () => {
        const names: string[] = []
        const dir = await openDirectory()
        try {
          for await (const [name, handle] of dir.entries()) {
            if (handle.kind === 'file' && !name.startsWith(RESERVED_PREFIX) && !name.endsWith(SWAP_SUFFIX)) names.push(name)
          }
          // A file whose bytes a crash left waiting loads, so it lists too.
          const waiting = await readyFolder(dir)
          if (waiting) for await (const [name, handle] of waiting.entries()) if (handle.kind === 'file') names.push(name)
        } catch (error) {
          if (!named(error, 'NotFoundError')) throw error
        }
        return [...new Set(names)]
      })
    },

    async close() {
      closed = true
      await Promise.allSettled(running)
    },
  }

  /**
   * Finishes or clears what a crash left of earlier saves, once per file and driver, under the
   * file's exclusive lock. A browser can only be killed once per driver's life, so once is enough.
   */
  async function recover(file: string): Promise<void> {
    if (recovered.has(file)) return
    recovered.add(file)
    const dir = await openDirectory()
    // A ready file holds a save's complete bytes that did not reach their name: they are the newest.
    const waiting = await readyFolder(dir)
    const ready = waiting && (await pinned(waiting, waiting.getFileHandle(file)).catch(() => undefined))
    if (ready) await pinned(ready, (ready as Movable).move(dir, file))
    // Best effort: a save must not fail for want of a cleanup.
    await sweep(dir, file).catch(() => {})
  }

  /**
   * Clears debris: a browser killed mid-save leaves its swap file (Chromium has no cleanup for it,
   * and after 100 of them every `createWritable` on the file fails), and a save killed before its
   * bytes were complete leaves its staged file. A swap file still in use elsewhere refuses
   * removal (NoModificationAllowedError) and stays; a staged file stays while its own lock shows
   * its save alive.
   */
  async function sweep(dir: FileSystemDirectoryHandle, file: string): Promise<void> {
    const leftovers: string[] = []
    for await (const [name, handle] of dir.entries()) {
      if (handle.kind === 'file' && (isSwapOf(name, file) || name.startsWith(STAGED_PREFIX))) leftovers.push(name)
    }
    for (const name of leftovers) {
      const drop = () => pinned(dir, dir.removeEntry(name)).catch(() => {})
      if (!name.startsWith(STAGED_PREFIX)) await drop()
      else await navigator.locks.request(lockName(name), { ifAvailable: true }, (free) => free && drop())
    }
  }
}

/** Chromium's swap files for `file`: `<file>.crswap`, then `<file>.<n>.crswap` while those are taken. */
function isSwapOf(name: string, file: string): boolean {
  if (!name.startsWith(`${file}.`) || !name.endsWith(SWAP_SUFFIX)) return false
  const middle = name.slice(file.length + 1, -SWAP_SUFFIX.length)
  return middle === '' || /^\d+$/.test(middle)
}

/** What the first staged write saw of how this browser writes. */
interface Engine {
  swapRenamedOnClose?: boolean
}

/**
 * A full replace that a crash at any moment leaves as the old bytes or the new ones.
 *
 * Chromium writes through a swap file, `<name>.crswap`, renamed over the file on `close()` in
 * one step: there a file that exists is written directly, the fewest changes to the directory
 * there can be (each one is a record in a database that a crash can tear: see the README).
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
async function writeFile(
  dir: FileSystemDirectoryHandle,
  file: string,
  data: Uint8Array,
  lockName: (file: string) => string,
  engine: Engine,
): Promise<void> {
  if (typeof (FileSystemFileHandle.prototype as Partial<Movable>).move !== 'function') {
    return writeHandle(await pinned(dir, dir.getFileHandle(file, { create: true })), data)
  }
  if (engine.swapRenamedOnClose) {
    const existing = await pinned(dir, dir.getFileHandle(file)).catch((error: unknown) => {
      if (!named(error, 'NotFoundError')) throw error
    })
    if (existing) return writeHandle(existing, data)
  }
  const name = `${STAGED_PREFIX}${crypto.randomUUID()}`
  // Held while the staged file lives, so that a sweep elsewhere knows it is no leftover.
  return navigator.locks.request(lockName(name), async () => {
    const staged = await pinned(dir, dir.getFileHandle(name, { create: true }))
    try {
      await writeHandle(staged, data, async () => {
        engine.swapRenamedOnClose ??= await pinned(dir, dir.getFileHandle(name + SWAP_SUFFIX)).then(() => true, () => false)
      })
      await pinned(staged, (staged as Movable).move(await readyFolder(dir, true), file))
    } catch (error) {
      await pinned(dir, dir.removeEntry(name)).catch(() => {})
      throw error
    }
    const waiting = await readyFolder(dir, true)
    const ready = await pinned(waiting, waiting.getFileHandle(file))
    try {
      await pinned(ready, (ready as Movable).move(dir, file))
    } catch (error) {
      // Left in place, the ready file would come back through a load after a remove.
      await pinned(waiting, waiting.removeEntry(file)).catch(() => {})
      throw error
    }
  })
}

/** The ready directory; without `create`, undefined where there is none. */
function readyFolder(dir: FileSystemDirectoryHandle, create: true): Promise<FileSystemDirectoryHandle>
function readyFolder(dir: FileSystemDirectoryHandle): Promise<FileSystemDirectoryHandle | undefined>
function readyFolder(dir: FileSystemDirectoryHandle, create = false): Promise<FileSystemDirectoryHandle | undefined> {
  const opening = pinned(dir, dir.getDirectoryHandle(READY_DIR, { create }))
  return create ? opening : opening.catch(() => undefined)
}

/** `move()` is missing from TypeScript's DOM types; WebKit accepts only this two-argument form. */
type Movable = FileSystemFileHandle & { move(dir: FileSystemDirectoryHandle, name: string): Promise<void> }

async function writeHandle(handle: FileSystemFileHandle, data: Uint8Array, whileOpen?: () => Promise<void>): Promise<void> {
  // WebKitGTK 2.50 writes the whole buffer under a view: give it exactly the view's bytes.
  const exact = data.byteLength === data.buffer.byteLength ? data : data.slice()
  const writable = await pinned(handle, handle.createWritable())
  let done = false
  try {
    await whileOpen?.()
    await pinned(writable, writable.write(exact as Uint8Array<ArrayBuffer>))
    await pinned(writable, writable.close())
    done = true
  } finally {
    if (!done) await pinned(writable, writable.abort()).catch(() => {})
  }
}

async function readFile(dir: FileSystemDirectoryHandle, file: string): Promise<Uint8Array> {
  const handle = await pinned(dir, dir.getFileHandle(file))
  const snapshot = await pinned(handle, handle.getFile())
  return new Uint8Array(await snapshot.arrayBuffer())
}
