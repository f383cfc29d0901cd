import type { Driver } from '@stowage/core'
import { opfsSync } from '@stowage/driver-opfs-sync'

/** How long the planted remove leaves the file in place after it resolved. */
const LATE_MS = 300

/**
 * opfs-sync whose remove resolves before it removes anything: the file is removed 300 ms after
 * the acknowledgement (a save or load of the file waits for that first, so the loop goes on in
 * order). A power cut in those 300 ms leaves the file that an acknowledged remove deleted, with
 * none of the remove's changes on disk for a twin to keep: the power-loss judge must call it
 * RESURRECTED and not the browser's.
 */
export function earlyRemoveDriver(place: string): Driver {
  const inner = opfsSync({ directory: place })
  const late = new Map<string, Promise<void>>()
  const after = (file: string) => late.get(file) ?? Promise.resolve()
  return {
    ...inner,
    id: 'early-remove',
    async remove(file, options) {
      await after(file)
      const removing = new Promise<void>((resolve) => setTimeout(resolve, LATE_MS)).then(() =>
        inner.remove(file, options),
      )
      late.set(file, removing)
    },
    async save(file, data, options) {
      await after(file)
      return inner.save(file, data, options)
    },
    async load(file, options) {
      await after(file)
      return inner.load(file, options)
    },
  }
}
