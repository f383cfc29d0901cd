import { connect, type Client } from '@stowage/worker-host'
import type { Tier } from './tiers.js'

/** A client of a fresh storage worker that serves `tier` only, or the best tier that works. */
export function startStorage(tier: Tier | undefined): Client {
  return connect(new Worker(new URL('./storage.worker.ts', import.meta.url), { type: 'module', name: tier ?? 'auto' }))
}
