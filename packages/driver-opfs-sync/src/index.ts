import {
  isStorageError,
  RESERVED_PREFIX,
  StorageError,
  type CallOptions,
  type Driver,
  type DriverSaveOptions,
} from '@stowage/core'
import { defineDriver, hasName, need } from '@stowage/core/driver'
import { clearDiscarded, discard, opfsDirectory, pinned, withLock } from '@stowage/core/opfs'
import { createLeases, type Lease } from './leases.js'
import { DATA_START, encodeHeader, HEADER_BYTES, neverCommitted, newestSlot, nextSlot, type Slot } from './slots.js'
import { canSync, readSnapshot } from './snapshot.js'

/**
 * The file every probe opens, kept from one start to the next. A probe that created, wrote and
 * removed a file of its own at every start was churn in the directory, which a kill can tear in
 * Chromium's directory database; this one creates a file once per directory, ever.
 */
const PROBE_FILE = `${RESERVED_PREFIX}-probe`
const PROBE_BYTES = Uint8Array.of(1, 2, 3)

export interface OpfsSyncOptions {
  /** The OPFS directory (a path of names below the root) that holds this driver's files. Default 'stowage-opfs-sync'. */
  directory?: string
  /**
   * How long a file's handle and lock stay open after its last operation, in ms, while no other
   * context asks for the file: a save on an open handle skips the ~2 ms of opening one. Another
   * Stowage context that asks gets the file at once; any other waiter within 250 ms. Default 5000.
   */
  idleMs?: number
}

/**
 * Tier 1: OPFS synchronous access handles, in a dedicated worker. Each file is written in two
 * slots so that a crash mid-save leaves the previous content or the new one (see slots.ts); every
 * operation holds a Web Lock named `stowage:opfs:<directory>/<file>`.
 */
export function opfsSync({ directory = 'stowage-opfs-sync', idleMs = 5000 }: OpfsSyncOptions = {}): Driver {
  const openDirectory = opfsDirectory(directory)

  const lockName = (file: string) => `stowage:opfs:${directory}/${file}`
  const leases = createLeases<Known>(lockName, idleMs, async (file, create) => {
    const handle = await (await openDirectory()).getFileHandle(file, { create })
    return pinned(handle, handle.createSyncAccessHandle())
  })

  /** The debris of removes cut short, cleared once per driver, at its first remove: removes are rare, starts are not. */
  let cleared: Promise<void> | undefined

  /** Gives back the file's lease, then discards the file under its lock. */
  const remove = (file: string, { signal }: CallOptions = {}) =>
    leases.serial(file, async () => {
      await leases.release(file)
      const dir = await openDirectory()
      await withLock(lockName(file), { signal }, async () => {
        const handle = await pinned(dir, dir.getFileHandle(file)).catch((error: unknown) => {
          if (!hasName(error, 'NotFoundError')) throw error
        })
        if (handle) await discard(dir, handle)
      })
      cleared ??= clearDiscarded(dir)
      await cleared
    })

  /** A read without a lease creates nothing: no directory is no file. */
  const withoutHandle = async <T>(body: (dir: FileSystemDirectoryHandle) => Promise<T>) => {
    const dir = await openDirectory.existing()
    if (!dir) throw new StorageError('NOT_FOUND', 'no such file')
    return body(dir)
  }

  /** Reads through the file's lease, or through `getFile()` where this context has no sync access handles. */
  const read = <T>(
    file: string,
    withHandle: (lease: Lease<Known>) => Promise<T>,
    without: (dir: FileSystemDirectoryHandle) => Promise<T>,
    signal?: AbortSignal,
  ) =>
    (canSync() ? leases.use(file, false, withHandle, signal) : withoutHandle(without)).catch((error: unknown) => {
      // No handle to open: the file (or the directory under a kept handle) is not there.
      if (!hasName(error, 'NotFoundError')) throw error
      throw new StorageError('NOT_FOUND', `${file}: no such file`, { cause: error })
    })

  const load = (file: string, { signal }: CallOptions = {}) =>
    read(
      file,
      async (lease) => {
        const { slot } = await known(lease)
        if (!slot) throw new StorageError('NOT_FOUND', `${file}: no such file`)
        return fully(lease, 'read', new Uint8Array(slot.length), slot.offset)
      },
      async (dir) => {
        const { bytes } = await readSnapshot(dir, file, lockName(file), { withBytes: true, signal })
        if (!bytes) throw new StorageError('NOT_FOUND', `${file}: no such file`)
        return bytes
      },
      signal,
    )

  const save = (file: string, data: Uint8Array, { signal, durability }: DriverSaveOptions = {}) =>
    leases.use(
      file,
      true,
      async (lease) => {
        const { access } = lease
        const { slot: newest, older } = await known(lease)
        const slot: Slot = { ...nextSlot(newest, data.length, older), savedAt: Date.now() }
        fully(lease, 'write', data, slot.offset)
        // Also puts down the header of a relaxed save before this one.
        await access.flush()
        fully(lease, 'write', encodeHeader(slot), slot.index * HEADER_BYTES)
        // Relaxed skips only this flush: the one above keeps the bytes down before the header
        // that names them, so that a power cut never finds a header over bytes not written.
        const relaxed = durability === 'relaxed'
        if (!relaxed) await access.flush()
        lease.unflushed = relaxed
        lease.state = { slot, older: relaxed ? newest : undefined }
        // Older regions may lie past the new one; garbage once no header the disk may hold names them.
        const end = Math.max(slot.offset + slot.length, relaxed && newest ? newest.offset + newest.length : 0)
        if ((await access.getSize()) > end) await access.truncate(end)
      },
      signal,
    )

  return defineDriver('opfs-sync', {
    async probe() {
      need(globalThis.navigator?.storage?.getDirectory, 'navigator.storage.getDirectory')
      // Exposed in dedicated workers only: elsewhere this is what fails.
      need(
        globalThis.FileSystemFileHandle?.prototype.createSyncAccessHandle,
        'FileSystemFileHandle.createSyncAccessHandle (dedicated workers only)',
      )
      // Written and read back through a handle of its own, unflushed: nothing here needs to last.
      await leases.use(PROBE_FILE, true, async (lease) => {
        fully(lease, 'write', PROBE_BYTES, 0)
        const read = fully(lease, 'read', new Uint8Array(PROBE_BYTES.length), 0)
        if (read.join() !== PROBE_BYTES.join()) throw new Error('the probe file read back other bytes')
      })
      await leases.giveBack(PROBE_FILE)
    },
    load,
    save,
    remove,
    // The time each save wrote into its header: unlike File.lastModified, readable through the lease.
    savedAt: (file, { signal } = {}) =>
      read(
        file,
        async (lease) => (await known(lease)).slot?.savedAt,
        async (dir) => (await readSnapshot(dir, file, lockName(file), { signal })).slot?.savedAt,
        signal,
      ).catch((error: unknown) => {
        if (isStorageError(error, 'NOT_FOUND')) return undefined
        throw error
      }),
    place: `opfs:${directory.split('/').filter(Boolean).join('/')}`,
    async list() {
      const names: string[] = []
      // Never creates the directory: another tier's adoption sweep lists it.
      for await (const [name, entry] of (await openDirectory.existing())?.entries() ?? []) {
        if (entry.kind === 'file' && !name.startsWith(RESERVED_PREFIX)) names.push(name)
      }
      return names
    },
    close: leases.closeAll,
  })
}

/**
 * What a lease knows of its file: the newest committed slot and, while that slot's header is not
 * flushed (a relaxed save), `older`, the slot whose header the disk may still hold as newest.
 */
interface Known {
  slot?: Slot
  older?: Slot
}

/** What the lease knows of its file, read from the headers once per lease. */
async function known(lease: Lease<Known>): Promise<Known> {
  if (lease.state === undefined) {
    const size = await lease.access.getSize()
    const headers = fully(lease, 'read', new Uint8Array(Math.min(size, DATA_START)), 0)
    const slot = newestSlot(headers, size)
    if (!slot && !neverCommitted(headers)) {
      throw new StorageError('CORRUPT', `${lease.file}: no intact header (not written by opfs-sync, or damaged)`)
    }
    // A lease given back flushed what it wrote, so a header read afresh is down (unless a crash
    // cut that flush short: the same window as a strict save's cut short after its header).
    lease.state = { slot }
  }
  return lease.state
}

/** Reads or writes all of `bytes` at `at`, however many calls the file system takes for it. */
function fully({ access, file }: Lease<unknown>, method: 'read' | 'write', bytes: Uint8Array, at: number): Uint8Array {
  for (let done = 0; done < bytes.length; ) {
    const moved = access[method](bytes.subarray(done), { at: at + done })
    // A short read means the file ends before its header says; a write that stores nothing is the file system's fault.
    if (moved <= 0)
      throw new StorageError(
        method === 'read' ? 'CORRUPT' : 'IO',
        `${file}: ${method} stopped at ${done} of ${bytes.length} bytes`,
      )
    done += moved
  }
  return bytes
}
