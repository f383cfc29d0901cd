import { serveCases } from '@stowage/browsers/worker'
import { createStore, type Driver } from '@stowage/core'
import { idb } from '@stowage/driver-idb'
import { opfsAsync } from '@stowage/driver-opfs-async'
import { opfsSync } from '@stowage/driver-opfs-sync'
import { runSteps, type Step } from './steps.ts'

/** Each tier's driver over the storage named `place`: the same storage for every instance. */
const drivers: Record<string, (place: string) => Driver> = {
  'opfs-sync': (place) => opfsSync({ directory: place }),
  'opfs-async': (place) => opfsAsync({ directory: place }),
  // Chunks of 64 KiB, so that sequences move files across the chunked format's boundary both ways.
  idb: (place) => idb({ database: place, chunkSize: 64 * 1024 }),
}

serveCases({
  /**
   * Runs `steps` on a store over `tier`'s driver in this dedicated worker. With `close`, the
   * store is closed at the end; without, it is left as it is for the page to terminate the worker.
   */
  async run(tier: string, place: string, steps: Step[], close: boolean) {
    const { outcomes, store } = await runSteps(async () => createStore(drivers[tier]!(place)), steps)
    if (close) await store.close()
    return outcomes
  },
})
