import { idb } from '@stowage/driver-idb'
import { opfsAsync } from '@stowage/driver-opfs-async'
import { opfsSync } from '@stowage/driver-opfs-sync'
import type { Driver } from '@stowage/core'
import type { DriverFactories } from '../src/lab.worker.ts'

/** The drivers under trial, each in a namespace of the trial's own. One line per driver. */
export const drivers: DriverFactories = {
  'opfs-sync': (place) => opfsSync({ directory: place }),
  'opfs-async': (place) => opfsAsync({ directory: place }),
  idb: (place) => idb({ database: place, store: 'files' }),
  // The same driver with 64 KiB chunks: payloads of up to 4 MiB are then a manifest and up to 64
  // chunks in one transaction, so that kills land inside multi-chunk saves without saving 16 MiB each.
  'idb-chunks': (place) => idb({ database: place, store: 'files', chunkSize: 64 * 1024 }),
  // Relaxed saves survive a killed browser as strict ones do: the kernel keeps what was not flushed.
  'opfs-sync-relaxed': (place) => relaxed(opfsSync({ directory: place })),
  'idb-relaxed': (place) => relaxed(idb({ database: place, store: 'files' })),
}

/** `driver` with every save relaxed, as a store made with `{ durability: 'relaxed' }` asks. */
function relaxed(driver: Driver): Driver {
  return { ...driver, save: (file, data, options) => driver.save(file, data, { ...options, durability: 'relaxed' }) }
}
