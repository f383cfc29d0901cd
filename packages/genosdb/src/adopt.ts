import type { Driver } from '@stowage/core'
import { adoptFiles, toStorageError } from '@stowage/core/driver'
import type { Tier } from './config.js'

/**
 * Data never strands between GenosDB's two tiers. Served from the OPFS root, every file of the
 * IndexedDB fallback is copied to the root before the first request: that database is GenosDB's
 * own. Served from IndexedDB, the root is never swept, because other code of the origin may keep
 * files there: a file IndexedDB lacks is copied in from the root on its first load, so only names
 * GenosDB asks for are touched. Either way the copy saved last wins, and the old copy goes only
 * once the new one has settled (see `adoptFiles`): served from IndexedDB, never, as no later load
 * of that name looks at the root again.
 */
export async function adopting(tier: Tier, serving: Driver, others: Driver[]): Promise<Driver> {
  if (!others.length) return serving
  if (tier === 'opfs') {
    await adoptFiles(serving, [serving, ...others])
    return serving
  }
  return {
    ...serving,
    async load(file, options) {
      try {
        return await serving.load(file, options)
      } catch (error) {
        if (toStorageError(error).code !== 'NOT_FOUND') throw error
      }
      await adoptFiles(serving, [serving, ...others.map((other) => onlyFile(other, file))])
      return serving.load(file, options)
    },
  }
}

/** `driver` as adoption sees it: holding `file` alone, if it holds it at all. */
const onlyFile = (driver: Driver, file: string): Driver => ({
  ...driver,
  list: async () => (await driver.list()).filter((name) => name === file),
})
