import { idb } from '@stowage/driver-idb'
import { opfsAsync } from '@stowage/driver-opfs-async'
import { opfsSync } from '@stowage/driver-opfs-sync'
import type { DriverFactories } from '../src/lab.worker.ts'

/** The drivers under trial, each in a namespace of the trial's own. One line per driver. */
export const drivers: DriverFactories = {
  'opfs-sync': (place) => opfsSync({ directory: place }),
  'opfs-async': (place) => opfsAsync({ directory: place }),
  idb: (place) => idb({ database: place, store: 'files' }),
}
