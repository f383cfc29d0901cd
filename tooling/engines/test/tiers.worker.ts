import { idb } from '@stowage/driver-idb'
import { opfsAsync } from '@stowage/driver-opfs-async'
import { opfsSync } from '@stowage/driver-opfs-sync'
import { serve } from '@stowage/worker-host'

// The app's own worker, unfaked: on each engine the real probes decide which tier serves.
const params = new URL(self.location.href).searchParams
serve([
  opfsSync({ directory: params.get('directory')! }),
  opfsAsync({ directory: params.get('directory')! }),
  idb({ database: params.get('database')! }),
])
