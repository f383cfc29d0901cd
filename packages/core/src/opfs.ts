import { isStorageError, StorageError } from './errors.js'
import { RESERVED_PREFIX } from './validate.js'

/**
 * Chromium can leave a call pending forever when the handle it was made on is garbage-collected
 * meanwhile (seen with createSyncAccessHandle), so OPFS drivers keep every handle referenced here
 * until its call settles: `await pinned(dir, dir.getFileHandle(name))`.
 */
export function pinned<T>(handle: object, call: Promise<T>): Promise<T> {
  const pin = { handle }
  pins.add(pin)
  return call.finally(() => pins.delete(pin))
}

const pins = new Set<{ handle: object }>()

/** A driver's directory: call it to open (creating what is missing); `existing()` never creates. */
export interface OpfsDirectory {
  (fresh?: boolean): Promise<FileSystemDirectoryHandle>
  /**
   * The directory if it is there, else undefined, creating nothing: for a driver read by another
   * tier's adoption sweep, which must leave no empty directory behind. Once found, it is kept.
   */
  existing(): Promise<FileSystemDirectoryHandle | undefined>
}

/**
 * For OPFS drivers: opens the directory at `path` (names joined by '/'; '' is the root), creating
 * what is missing. Resolving it costs ~3 ms in Chromium, so the handle is kept for every later
 * call; a failed attempt is forgotten, and a call with `fresh` resolves it anew (after the
 * directory was deleted under the kept handle, say).
 */
export function opfsDirectory(path: string): OpfsDirectory {
  let opened: Promise<FileSystemDirectoryHandle> | undefined
  const resolve = async (create: boolean) => {
    let dir = await navigator.storage.getDirectory()
    for (const name of path.split('/').filter(Boolean))
      dir = await pinned(dir, dir.getDirectoryHandle(name, { create }))
    return dir
  }
  const open = (fresh?: boolean) => {
    if (fresh || !opened) {
      const attempt = resolve(true)
      opened = attempt
      attempt.catch(() => {
        if (opened === attempt) opened = undefined
      })
    }
    return opened
  }
  const existing = async () => {
    if (opened) return opened
    try {
      const dir = await resolve(false)
      opened ??= Promise.resolve(dir)
      return dir
    } catch (error) {
      if ((error as { name?: unknown } | null)?.name === 'NotFoundError') return undefined
      throw error
    }
  }
  return Object.assign(open, { existing })
}

/**
 * `navigator.locks.request` for a driver call: the wait for the lock ends when `signal` aborts,
 * with its reason. When that reason is the store's bound (LOCKED), the error says who holds the
 * lock, as far as `navigator.locks.query()` tells.
 */
export async function withLock<T>(
  name: string,
  { mode, signal }: { mode?: LockMode; signal?: AbortSignal },
  body: () => Promise<T>,
): Promise<T> {
  try {
    return await navigator.locks.request(name, { mode, signal }, body)
  } catch (error) {
    if (error !== signal?.reason || !isStorageError(error, 'LOCKED')) throw error
    const { held = [] } = await navigator.locks.query().catch((): LockManagerSnapshot => ({}))
    const holder = held.find((lock) => lock.name === name)
    if (!holder) throw error
    const { message, file, driver } = error
    const client = holder.clientId ? `client ${holder.clientId}` : 'another context'
    throw new StorageError('LOCKED', `${message}: ${client} holds "${name}" (${holder.mode})`, {
      file,
      driver,
      cause: error,
    })
  }
}

/** `move()` is missing from TypeScript's DOM types; WebKit accepts only this two-argument form. */
export type Movable = FileSystemFileHandle & { move(dir: FileSystemDirectoryHandle, name: string): Promise<void> }

/** A file taken off its name on its way out: garbage from the moment it has a name of this prefix. */
export const DISCARDED_PREFIX = `${RESERVED_PREFIX}-gone-`

/**
 * Deletes the file of `handle`, which lies in `dir` or in a folder of it. Firefox's removeEntry
 * deletes the bytes before the entry, so a kill inside it leaves an empty file under the name,
 * with a fresh modification time: a file that loads as empty, and that an adoption takes for the
 * newest copy. Moved first to a free name (one atomic step), the file leaves its name whole; what
 * a kill or a failed delete leaves after that is debris under DISCARDED_PREFIX, for the driver to
 * clear later.
 */
export async function discard(dir: FileSystemDirectoryHandle, handle: FileSystemFileHandle): Promise<void> {
  if (!(handle as Partial<Movable>).move) return pinned(dir, dir.removeEntry(handle.name))
  const name = DISCARDED_PREFIX + crypto.randomUUID()
  await pinned(handle, (handle as Movable).move(dir, name))
  await pinned(dir, dir.removeEntry(name)).catch(() => {})
}

/** Deletes the debris that discards cut short left in `dir`; best effort, as the debris harms nothing but space. */
export async function clearDiscarded(dir: FileSystemDirectoryHandle): Promise<void> {
  try {
    for await (const [name, entry] of dir.entries()) {
      if (entry.kind === 'file' && name.startsWith(DISCARDED_PREFIX))
        await pinned(dir, dir.removeEntry(name)).catch(() => {})
    }
  } catch {}
}
