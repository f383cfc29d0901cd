import type { Driver } from '@stowage/core'
import { idb } from '@stowage/driver-idb'

type Transaction = IDBDatabase['transaction']

/**
 * driver-idb whose remove commits in a relaxed transaction: the mistake of a driver that passes
 * its saves' durability on and forgets its removes. A SIGKILL cannot tell it from the real one;
 * a power cut between the remove's acknowledgement and the next strict commit (whose fsync of the
 * LevelDB log takes the delete along) can keep the file. Made by forcing `durability: 'relaxed'`
 * on the worker's readwrite transactions while a remove runs, rather than by copying the driver.
 */
export function relaxedRemoveDriver(place: string): Driver {
  const inner = idb({ database: place, store: 'files' })
  const { prototype } = IDBDatabase
  const transaction: Transaction = prototype.transaction
  let relaxing = false
  prototype.transaction = function (this: IDBDatabase, names, mode, options) {
    const relaxed = relaxing && mode === 'readwrite' ? { ...options, durability: 'relaxed' as const } : options
    return transaction.call(this, names, mode, relaxed)
  }
  return {
    ...inner,
    id: 'relaxed-remove',
    async remove(file, options) {
      relaxing = true
      try {
        await inner.remove(file, options)
      } finally {
        relaxing = false
      }
    },
  }
}
