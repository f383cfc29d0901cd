import type { Driver, Durability } from '@stowage/core'
import { opfsSync } from '@stowage/driver-opfs-sync'

/** The DOM lib declares FileSystemSyncAccessHandle's type only; in a dedicated worker it is a class. */
interface Flushable {
  flush(): void
}

/**
 * opfs-sync with one flush removed: a save writes its data, does not flush it, writes the
 * header that points at it, and flushes. A SIGKILL cannot tell it from the real driver (the page
 * cache keeps both writes); a power cut can keep the header and lose the data, and the power-loss
 * trial must catch that.
 */
export const unflushedDataDriver = (place: string) => firstFlushSkipped(place, 'unflushed-data', 'strict')

/**
 * opfs-sync relaxed with its one flush removed, so that a save flushes nothing: what a relaxed
 * mode that skipped both flushes would do. The relaxed rule accepts an older save, never a torn
 * one, and the power-loss trial must catch it tearing.
 */
export const unflushedRelaxedDriver = (place: string) => firstFlushSkipped(place, 'unflushed-relaxed', 'relaxed')

/**
 * Made by skipping the first `flush()` of each save on the worker's sync access handles, rather
 * than by copying the driver: only the trial's worker loads it.
 */
function firstFlushSkipped(place: string, id: string, durability: Durability): Driver {
  const inner = opfsSync({ directory: place })
  const { prototype } = (globalThis as unknown as { FileSystemSyncAccessHandle: { prototype: Flushable } })
    .FileSystemSyncAccessHandle
  const { flush } = prototype
  let skipNext = false
  prototype.flush = function (this: Flushable) {
    if (!skipNext) return flush.call(this)
    skipNext = false
  }
  return {
    ...inner,
    id,
    async save(file, data) {
      skipNext = true
      try {
        await inner.save(file, data, { durability })
      } finally {
        skipNext = false
      }
    },
  }
}
