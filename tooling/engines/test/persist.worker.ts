import { serveCases } from '@stowage/browser-test/worker'
import { isStorageError, type Driver } from '@stowage/core'
import { idb } from '@stowage/driver-idb'
import { opfsAsync } from '@stowage/driver-opfs-async'
import { opfsSync } from '@stowage/driver-opfs-sync'

/** Each driver on a place of its own, the same in every browser launch. */
const drivers: Record<string, () => Driver> = {
  'opfs-sync': () => opfsSync({ directory: 'engines-persist-sync' }),
  'opfs-async': () => opfsAsync({ directory: 'engines-persist-async' }),
  idb: () => idb({ database: 'engines-persist' }),
}

async function using<T>(id: string, body: (driver: Driver) => Promise<T>): Promise<T> {
  const driver = drivers[id]!()
  try {
    return await body(driver)
  } finally {
    await driver.close()
  }
}

/** Bytes derived from `seed`, so the test can tell this save from any other. */
function bytesOf(seed: number, length: number): Uint8Array {
  const bytes = new Uint8Array(length)
  let state = seed >>> 0 || 1
  for (let i = 0; i < length; i++) {
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    bytes[i] = state & 255
  }
  return bytes
}

async function digest(bytes: Uint8Array): Promise<string> {
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>))
  return `${bytes.length}:${[...hash].map((byte) => byte.toString(16).padStart(2, '0')).join('')}`
}

serveCases({
  /** Saves `length` bytes from `seed` and answers their digest. */
  save: (id: string, file: string, seed: number, length: number) =>
    using(id, async (driver) => {
      const bytes = bytesOf(seed, length)
      await driver.save(file, bytes)
      return digest(bytes)
    }),
  /** The digest of what `file` holds, or 'NOT_FOUND'. */
  load: (id: string, file: string) =>
    using(id, (driver) =>
      driver.load(file).then(digest, (error: unknown) => {
        if (isStorageError(error, 'NOT_FOUND')) return 'NOT_FOUND'
        throw error
      }),
    ),
  remove: (id: string, file: string) => using(id, (driver) => driver.remove(file)),
})
