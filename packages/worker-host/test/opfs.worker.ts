import { opfsAsync } from '@stowage/driver-opfs-async'
import { opfsSync } from '@stowage/driver-opfs-sync'
import { serve } from '../src/index.ts'

// The two OPFS tiers, so that engines without sync access handles (WebKitGTK) serve too.
const params = new URL(self.location.href).searchParams
const directory = params.get('directory') ?? 'test-worker-host'
serve([opfsSync({ directory }), opfsAsync({ directory })], { channel: params.get('channel') ?? undefined })
