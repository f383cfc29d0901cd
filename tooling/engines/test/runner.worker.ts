import { serveCases } from '@stowage/browsers/worker'

serveCases({
  storage: async () => {
    const root = await navigator.storage.getDirectory()
    const file = await root.getFileHandle('engines-runner', { create: true })
    return {
      userAgent: navigator.userAgent,
      sync: typeof (file as { createSyncAccessHandle?: unknown }).createSyncAccessHandle,
      writable: typeof file.createWritable,
      idb: typeof indexedDB,
    }
  },
})
