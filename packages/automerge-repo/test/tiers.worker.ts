import type { Driver } from '@stowage/core'
import { idb } from '@stowage/driver-idb'
import { opfsAsync } from '@stowage/driver-opfs-async'
import { opfsSync } from '@stowage/driver-opfs-sync'
import { serve } from '@stowage/worker-host'

/**
 * A real Stowage worker on one tier, named by the worker's `name` option, so that a test knows
 * which tier served (no fallback to hide a failure). Every worker of a tier shares its storage;
 * each tier has a place of its own, as each driver's files are in its own format.
 */
const tiers: Record<string, () => Driver> = {
  'opfs-sync': () => opfsSync({ directory: 'automerge-repo-tests-sync' }),
  'opfs-async': () => opfsAsync({ directory: 'automerge-repo-tests-async' }),
  idb: () => idb({ database: 'automerge-repo-tests' }),
}

const tier = (globalThis as { name?: string }).name ?? ''
serve([(tiers[tier] ?? tiers.idb!)()])
