import { opfsAsync } from '@stowage/driver-opfs-async'
import { opfsSync } from '@stowage/driver-opfs-sync'
import { serve } from '../src/index.ts'

// The two OPFS tiers, so that engines without sync access handles (WebKitGTK) serve too;
// `only=opfs-async` serves tier 2 alone.
const params = new URL(self.location.href).searchParams
const directory = params.get('directory') ?? 'test-worker-host'
const tiers = [opfsSync({ directory }), opfsAsync({ directory })]
serve(params.get('only') === 'opfs-async' ? tiers.slice(1) : tiers, {
  channel: params.get('channel') ?? undefined,
  lockTimeoutMs: Number(params.get('lockTimeoutMs')) || undefined,
})
