/** A storage tier the worker may serve from: 'opfs' (the OPFS root, as GenosDB) or 'idb' (`opfs-fallback-db`). */
export type Tier = 'opfs' | 'idb'

export const TIERS: readonly Tier[] = ['opfs', 'idb']

/**
 * The one message of our own: `createGenosDBWorker` posts it first, before GenosDB posts
 * anything, to tell the worker its tiers. A worker started without it uses every tier.
 */
export interface ConfigMessage {
  stowageGenosDB: 1
  tiers: Tier[]
}

export const isConfig = (data: unknown): data is ConfigMessage =>
  typeof data === 'object' &&
  data !== null &&
  (data as { stowageGenosDB?: unknown }).stowageGenosDB === 1 &&
  Array.isArray((data as ConfigMessage).tiers)

/** Throws a TypeError unless `tiers` is a non-empty list of known tiers without repeats. */
export function checkTiers(tiers: unknown): asserts tiers is Tier[] {
  const ok =
    Array.isArray(tiers) &&
    tiers.length > 0 &&
    new Set(tiers).size === tiers.length &&
    tiers.every((tier) => TIERS.includes(tier))
  if (!ok)
    throw new TypeError(
      `tiers must be a non-empty list of ${TIERS.map((tier) => `'${tier}'`).join(' and ')}, got ${JSON.stringify(tiers)}`,
    )
}
