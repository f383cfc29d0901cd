import { isStorageError, type Driver } from '@stowage/core'
import { opfsAsync } from '@stowage/driver-opfs-async'
import type { Tier } from './config.js'
import { genosdbIdb } from './idb.js'

/**
 * The driver of each tier, at GenosDB's locations. OPFS: raw whole files at the root, under
 * GenosDB's lock names, written through createWritable (swapped in on close, never torn). GenosDB's
 * own first tier, sync access handles written in place, is left out: a crash mid-write tears the file.
 */
export function tierDriver(tier: Tier): Driver {
  if (tier === 'idb') return genosdbIdb()
  return patientWriter(opfsAsync({ directory: '', lockName: (file) => `opfs:${file}` }))
}

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
    async save(file, data) {
      for (const ms of RETRY_MS) {
        try {
          return await driver.save(file, data)
        } catch (error) {
          if (!isStorageError(error, 'LOCKED')) throw error
        }
        await new Promise((resolve) => setTimeout(resolve, ms))
      }
      return driver.save(file, data)
    },
  }
}
