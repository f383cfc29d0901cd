import { serveCases } from '@stowage/browsers/worker'

/** Sync access handles, which TypeScript's DOM types (this package's) leave out. */
interface SyncAccess {
  truncate(size: number): void
  write(bytes: Uint8Array, options: { at: number }): number
  flush(): void
  close(): void
}
const syncAccess = (handle: FileSystemFileHandle) =>
  (handle as FileSystemFileHandle & { createSyncAccessHandle(): Promise<SyncAccess> }).createSyncAccessHandle()

/**
 * Stands in for a stock GenosDB tab on its first tier, from its observed behaviour only: the file
 * at the OPFS root written in place through a sync access handle, under the exclusive Web Lock
 * `opfs:<file>`; reads take no lock.
 */
async function writeInPlace(file: string, bytes: Uint8Array): Promise<void> {
  await navigator.locks.request(`opfs:${file}`, async () => {
    const root = await navigator.storage.getDirectory()
    const handle = await root.getFileHandle(file, { create: true })
    const access = await syncAccess(handle)
    try {
      access.truncate(0)
      access.write(bytes, { at: 0 })
      access.flush()
    } finally {
      access.close()
      // Referenced until here: Chromium can stall createSyncAccessHandle when its handle is collected.
      void handle.name
    }
  })
}

let held: { handle: FileSystemFileHandle; access: SyncAccess } | undefined

serveCases({
  writeAll: async (file: string, contents: Uint8Array[]) => {
    for (const bytes of contents) await writeInPlace(file, bytes)
  },
  /** Opens a sync access handle on the file, as a lockless reader would, and keeps it open. */
  hold: async (file: string) => {
    const handle = await (await navigator.storage.getDirectory()).getFileHandle(file)
    held = { handle, access: await syncAccess(handle) }
  },
  release: () => {
    held?.access.close()
    held = undefined
  },
})
