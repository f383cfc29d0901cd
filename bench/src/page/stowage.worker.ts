import { idb } from '@stowage/driver-idb'
import { opfsAsync } from '@stowage/driver-opfs-async'
import { opfsSync } from '@stowage/driver-opfs-sync'
import { serve } from '@stowage/worker-host'

/** Serves only the tier named in the URL, so that nothing can fall back behind the benchmark's back. */
const params = new URL(location.href).searchParams
const namespace = params.get('namespace')!
const tiers = {
  'opfs-sync': () => opfsSync({ directory: namespace }),
  'opfs-async': () => opfsAsync({ directory: namespace }),
  idb: () => idb({ database: namespace }),
}
serve([tiers[params.get('tier') as keyof typeof tiers]()], {
  durability: params.get('durability') === 'relaxed' ? 'relaxed' : 'strict',
})
