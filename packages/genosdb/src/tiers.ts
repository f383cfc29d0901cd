import type { Driver } from '@stowage/core'
import { toStorageError } from '@stowage/core/driver'
import { idb } from '@stowage/driver-idb'
import { opfsAsync } from '@stowage/driver-opfs-async'
import type { Tier } from './config.js'

/**
 * The driver of each tier, at GenosDB's locations. OPFS: raw whole files at the root, under
 * GenosDB's lock names, written through createWritable (swapped in on close, never torn). GenosDB's
 * own first tier, sync access handles written in place, is left out: a crash mid-write tears the file.
 */
export function tierDriver(tier: Tier): Driver {
  if (tier === 'idb') return genosdbIdb()
  return patientWriter(opfsAsync({ directory: '', lockName: (file) => `opfs:${file}`, format: 'raw' }))
}

/**
 * GenosDB's IndexedDB tier: each file one Uint8Array value keyed by its name, in the object
 * store `files` of `opfs-fallback-db`, as stock GenosDB reads and writes it. Only tests change
 * the database.
 */
export const genosdbIdb = (database = 'opfs-fallback-db'): Driver =>
  idb({ database, store: 'files', format: 'uint8array' })

/** Backoff before each retry of a save refused LOCKED; about 1.3 s in all. */
const RETRY_MS = [10, 20, 40, 80, 160, 320, 640]

/**
 * While any context holds a sync access handle on the file (a stock GenosDB tab reading it, which
 * takes no lock), createWritable and move reject NoModificationAllowedError. A read holds it
 * briefly, so a save refused LOCKED waits a little and tries again before it gives up.
 */
function patientWriter(driver: Driver): Driver {
  return {
    ...driver,
    async save(file, data, options) {
      for (const ms of RETRY_MS) {
        try {
          return await driver.save(file, data, options)
        } catch (error) {
          // The driver throws what the browser threw; the store's mapping says which is LOCKED.
          // A wait for the lock that the store's bound ended is over: no retry.
          if (options?.signal?.aborted || toStorageError(error).code !== 'LOCKED') throw error
        }
        await new Promise((resolve) => setTimeout(resolve, ms))
      }
      return driver.save(file, data, options)
    },
  }
}
