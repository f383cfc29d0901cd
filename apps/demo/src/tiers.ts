/** Stowage's tiers, fastest first: the order the worker probes them in. */
export const TIERS = ['opfs-sync', 'opfs-async', 'idb'] as const
export type Tier = (typeof TIERS)[number]

/** The tier named by `?driver=`, or undefined for the automatic choice. */
export function requestedTier(search: string): Tier | undefined {
  const wanted = new URLSearchParams(search).get('driver')
  return TIERS.find((tier) => tier === wanted)
}
