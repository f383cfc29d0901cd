import { idb } from '@stowage/driver-idb'
import { opfsAsync } from '@stowage/driver-opfs-async'
import { opfsSync } from '@stowage/driver-opfs-sync'
import { serve } from '@stowage/worker-host'
import { TIERS } from './tiers.js'

const factories = { 'opfs-sync': opfsSync, 'opfs-async': opfsAsync, idb }

// The page passes the tier it wants (or 'auto') as this worker's name.
const forced = TIERS.find((tier) => tier === self.name)
serve(forced ? [factories[forced]()] : TIERS.map((tier) => factories[tier]()))
