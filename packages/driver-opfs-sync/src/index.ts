import { RESERVED_PREFIX, StorageError, toStorageError, type Driver } from '@stowage/core'
import { createLeases, type Lease } from './leases.js'
import { DATA_START, encodeHeader, HEADER_BYTES, neverCommitted, newestSlot, nextSlot, type Slot } from './slots.js'

export interface OpfsSyncOptions {
  /** The OPFS directory (a path of names below the root) that holds this driver's files. Default 'stowage-opfs-sync'. */
  directory?: string
  /** How long a file's handle and lock stay open after its last operation, in ms. Default 100. */
  idleMs?: number
}

const ID = 'opfs-sync'

/**
 * Tier 1: OPFS synchronous access handles, in a dedicated worker. Each file is written in two
 * slots so that a crash mid-save leaves the previous content or the new one (see slots.ts); every
 * operation holds a Web Lock named `stowage:opfs:<directory>/<file>`.
 */
export function opfsSync(options: OpfsSyncOptions = {}): Driver {
  const directory = options.directory ?? 'stowage-opfs-sync'
  let root: Promise<FileSystemDirectoryHandle> | undefined
  let closed = false

  const lockName = (file: string) => `stowage:opfs:${directory}/${file}`
  const leases = createLeases<Slot | null>({
    lockName,
    idleMs: options.idleMs ?? 100,
    minHoldMs: 10,
    checkAfterMs: 250,
    async open(file, create) {
      const dir = await folder()
      // Keep the file handle referenced until createSyncAccessHandle settles: Chromium can leave
      // the call pending forever if the handle is collected meanwhile.
      const handle = await dir.getFileHandle(file, { create })
      const access = await handle.createSyncAccessHandle()
      return { handle, access }
    },
  })

  function folder(): Promise<FileSystemDirectoryHandle> {
    root ??= (async () => {
      let dir = await navigator.storage.getDirectory()
      for (const part of directory.split('/').filter(Boolean)) dir = await dir.getDirectoryHandle(part, { create: true })
      return dir
    })().catch((error) => {
      root = undefined
      throw error
    })
    return root
  }

  /** Refuses calls after close, and names the file and driver in whatever `op` throws. */
  function guarded<T>(file: string | undefined, op: () => Promise<T>): Promise<T> {
    if (closed) return Promise.reject(new StorageError('CLOSED', 'The opfs-sync driver is closed', { file, driver: ID }))
    return op().catch((error: unknown) => {
      throw toStorageError(error, { file, driver: ID })
    })
  }

  /** Runs `op` on the file's lease; any failure gives the lease back so nothing stays half-open. */
  function withLease<T>(file: string, create: boolean, op: (lease: Lease<Slot | null>) => Promise<T>): Promise<T> {
    return guarded(file, () =>
      leases.serial(file, async () => {
        const lease = await leases.acquire(file, create)
        try {
          const result = await op(lease)
          leases.done(file)
          return result
        } catch (error) {
          await leases.release(file).catch(() => undefined)
          throw error
        }
      }),
    )
  }

  return {
    id: ID,

    async probe() {
      try {
        if (typeof DedicatedWorkerGlobalScope === 'undefined' || !(globalThis instanceof DedicatedWorkerGlobalScope)) {
          throw new Error('sync access handles exist only in dedicated workers')
        }
        if (typeof navigator.storage?.getDirectory !== 'function') throw new Error('OPFS (navigator.storage.getDirectory) is missing')
        if (typeof navigator.locks?.request !== 'function') throw new Error('Web Locks (navigator.locks) are missing')
        if (typeof FileSystemFileHandle?.prototype.createSyncAccessHandle !== 'function') {
          throw new Error('sync access handles (FileSystemFileHandle.createSyncAccessHandle) are missing')
        }
        const dir = await folder()
        const name = `${RESERVED_PREFIX}-probe-${Math.random().toString(36).slice(2)}`
        const handle = await dir.getFileHandle(name, { create: true })
        const access = await handle.createSyncAccessHandle()
        try {
          const written = access.write(new Uint8Array([1, 2, 3]), { at: 0 })
          await access.flush()
          if (written !== 3) throw new Error(`a probe write stored ${written} of 3 bytes`)
        } finally {
          await access.close()
          await dir.removeEntry(name)
        }
      } catch (error) {
        throw toStorageError(error, { driver: ID, probing: true })
      }
    },

    load: (file) =>
      withLease(file, false, async (lease) => {
        const slot = await current(lease)
        if (!slot) throw new StorageError('NOT_FOUND', `${file}: no such file`, { file, driver: ID })
        const bytes = new Uint8Array(slot.length)
        readFully(lease.access, bytes, slot.offset, file)
        return bytes
      }),

    save: (file, data) =>
      withLease(file, true, async (lease) => {
        const slot = nextSlot(await current(lease), data.length)
        writeFully(lease.access, data, slot.offset, file)
        await lease.access.flush()
        writeFully(lease.access, encodeHeader(slot), slot.index * HEADER_BYTES, file)
        await lease.access.flush()
        lease.state = slot
        // The older region may lie past the new one; once the new header is down it is garbage.
        const end = slot.offset + slot.length
        if ((await lease.access.getSize()) > end) await lease.access.truncate(end)
      }),

    remove: (file) =>
      guarded(file, () =>
        leases.serial(file, async () => {
          await leases.release(file)
          const dir = await folder()
          await navigator.locks.request(lockName(file), async () => {
            await dir.removeEntry(file).catch((error: unknown) => {
              if ((error as { name?: string })?.name !== 'NotFoundError') throw error
            })
          })
        }),
      ),

    list: () =>
      guarded(undefined, async () => {
        const names: string[] = []
        for await (const [name, entry] of (await folder()).entries()) {
          if (entry.kind === 'file' && !name.startsWith(RESERVED_PREFIX)) names.push(name)
        }
        return names
      }),

    async close() {
      closed = true
      await leases.closeAll()
    },
  }

  /** The newest committed slot, read from the headers once per lease. */
  async function current(lease: Lease<Slot | null>): Promise<Slot | undefined> {
    if (lease.state !== undefined) return lease.state ?? undefined
    const size = await lease.access.getSize()
    const headers = new Uint8Array(Math.min(size, DATA_START))
    readFully(lease.access, headers, 0, lease.file)
    const slot = newestSlot(headers, size)
    if (!slot && !neverCommitted(headers)) {
      throw new StorageError('CORRUPT', `${lease.file}: no intact header; the file was not written by opfs-sync or is damaged`, {
        file: lease.file,
        driver: ID,
      })
    }
    lease.state = slot ?? null
    return slot
  }
}

function writeFully(access: FileSystemSyncAccessHandle, bytes: Uint8Array, at: number, file: string): void {
  for (let done = 0; done < bytes.length; ) {
    const written = access.write(bytes.subarray(done), { at: at + done })
    if (written <= 0) throw new StorageError('IO', `${file}: the file system took ${done} of ${bytes.length} bytes`, { file, driver: ID })
    done += written
  }
}

function readFully(access: FileSystemSyncAccessHandle, into: Uint8Array, at: number, file: string): void {
  for (let done = 0; done < into.length; ) {
    const read = access.read(into.subarray(done), { at: at + done })
    if (read <= 0) throw new StorageError('CORRUPT', `${file}: ended after ${done} of ${into.length} bytes`, { file, driver: ID })
    done += read
  }
}
