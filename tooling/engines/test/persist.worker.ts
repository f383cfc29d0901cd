import { serveCases } from '@stowage/browsers/worker'
import { createStore, isStorageError, type Driver, type Store } from '@stowage/core'
import { idb } from '@stowage/driver-idb'
import { opfsAsync } from '@stowage/driver-opfs-async'
import { opfsSync } from '@stowage/driver-opfs-sync'
import { bytesOf, digest } from './content.ts'

/** Each driver on a place of its own, the same in every browser launch. */
const drivers: Record<string, () => Driver> = {
  'opfs-sync': () => opfsSync({ directory: 'engines-persist-sync' }),
  'opfs-async': () => opfsAsync({ directory: 'engines-persist-async' }),
  idb: () => idb({ database: 'engines-persist' }),
}

/** A store over the driver `id`, as an app reaches it (its errors typed by the store), closed after `body`. */
async function using<T>(id: string, body: (store: Store) => Promise<T>): Promise<T> {
  const store = createStore(drivers[id]!())
  try {
    return await body(store)
  } finally {
    await store.close()
  }
}

serveCases({
  /** Saves `length` bytes from `seed` and answers their digest. */
  save: (id: string, file: string, seed: number, length: number) =>
    using(id, async (store) => {
      const bytes = bytesOf(seed, length)
      await store.save(file, bytes)
      return digest(bytes)
    }),
  /** The digest of what `file` holds, or 'NOT_FOUND'. */
  load: (id: string, file: string) =>
    using(id, (store) =>
      store.load(file).then(digest, (error: unknown) => {
        if (isStorageError(error, 'NOT_FOUND')) return 'NOT_FOUND'
        throw error
      }),
    ),
  remove: (id: string, file: string) => using(id, (store) => store.remove(file)),
})
