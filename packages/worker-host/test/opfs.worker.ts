import { opfsSync } from '@stowage/driver-opfs-sync'
import { serve } from '../src/index.ts'

const params = new URL(self.location.href).searchParams
serve([opfsSync({ directory: params.get('directory') ?? 'test-worker-host' })], { channel: params.get('channel') ?? undefined })
