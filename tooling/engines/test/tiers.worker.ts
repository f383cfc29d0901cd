import { idb } from '@stowage/driver-idb'
import { opfsAsync } from '@stowage/driver-opfs-async'
import { opfsSync } from '@stowage/driver-opfs-sync'
import { serve } from '@stowage/worker-host'

// The app's own worker. Unfaked by default: on each engine the real probes decide which tier
// serves. With `serve`, the tiers before that one lose the API their probe needs, as in a
// browser without it, so that a model sequence can change tiers; their files stay readable.
const params = new URL(self.location.href).searchParams
const serving = params.get('serve')
if (serving === 'opfs-async' || serving === 'idb')
  delete (FileSystemFileHandle.prototype as unknown as Record<string, unknown>).createSyncAccessHandle
if (serving === 'idb') delete (FileSystemFileHandle.prototype as Partial<FileSystemFileHandle>).createWritable
// Each OPFS tier in a folder of its own, as their default directories are.
const directory = params.get('directory')!
serve([
  opfsSync({ directory: `${directory}/sync` }),
  opfsAsync({ directory: `${directory}/async` }),
  idb({ database: params.get('database')! }),
])
