import { StorageError } from '@stowage/core'
import { pinned, withLock } from '@stowage/core/opfs'
import { DATA_START, neverCommitted, newestSlot, type Slot } from './slots.js'

/** Whether this context has sync access handles: dedicated workers only. */
export const canSync = () => typeof globalThis.FileSystemFileHandle?.prototype.createSyncAccessHandle === 'function'

/**
 * Reads a file of this driver through `getFile()`, for contexts without sync access handles (a
 * page, a shared worker, a browser that dropped them), where another tier serves and adopts what
 * opfs-sync left. It holds the file's Web Lock shared (a holder of the file's lease hands it over
 * when asked on the leases' channel) and parses the headers as a handle would. Resolves the
 * newest committed slot, or undefined for a file whose first save never finished; with
 * `withBytes`, its bytes too. `signal` ends the wait for the lock. NotFoundError passes through.
 */
export async function readSnapshot(
  dir: FileSystemDirectoryHandle,
  file: string,
  lockName: string,
  { withBytes = false, signal }: { withBytes?: boolean; signal?: AbortSignal } = {},
): Promise<{ slot?: Slot; bytes?: Uint8Array }> {
  announce(lockName)
  return withLock(lockName, { mode: 'shared', signal }, async () => {
    const handle = await pinned(dir, dir.getFileHandle(file))
    const snapshot = await pinned(handle, handle.getFile())
    const headers = new Uint8Array(await snapshot.slice(0, DATA_START).arrayBuffer())
    const slot = newestSlot(headers, snapshot.size)
    if (!slot) {
      if (neverCommitted(headers)) return {}
      throw new StorageError('CORRUPT', `${file}: no intact header (not written by opfs-sync, or damaged)`)
    }
    if (!withBytes) return { slot }
    const bytes = new Uint8Array(await snapshot.slice(slot.offset, slot.offset + slot.length).arrayBuffer())
    if (bytes.length !== slot.length)
      throw new StorageError('CORRUPT', `${file}: read ${bytes.length} of ${slot.length} bytes`)
    return { slot, bytes }
  })
}

/** Asks a context that holds the file's lease to give it back, as the leases themselves do. */
function announce(lockName: string): void {
  if (typeof BroadcastChannel !== 'function') return
  const channel = new BroadcastChannel('stowage:lock-wanted')
  channel.postMessage(lockName)
  channel.close()
}
