import { opfsSync } from '@stowage/driver-opfs-sync'
import { serve } from '../src/index.ts'

// A browser without OPFS: the real driver's real probe fails, and says why.
delete (StorageManager.prototype as Partial<StorageManager>).getDirectory
serve([opfsSync()])
