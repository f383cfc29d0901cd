import { idb } from '@stowage/driver-idb'
import { opfsAsync } from '@stowage/driver-opfs-async'
import { opfsSync } from '@stowage/driver-opfs-sync'
import { serve } from '../src/index.ts'

// A browser with OPFS but neither sync access handles nor writables: tiers 1 and 2 must fail
// their real probes, say why, and leave IndexedDB to serve.
const params = new URL(self.location.href).searchParams
delete (FileSystemFileHandle.prototype as unknown as Record<string, unknown>).createSyncAccessHandle
delete (FileSystemFileHandle.prototype as Partial<FileSystemFileHandle>).createWritable
serve([
  opfsSync({ directory: params.get('directory')! }),
  opfsAsync({ directory: params.get('directory')! }),
  idb({ database: params.get('database')! }),
])
