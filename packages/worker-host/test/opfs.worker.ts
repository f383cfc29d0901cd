import type { Driver, Durability } from '@stowage/core'
import { opfsAsync } from '@stowage/driver-opfs-async'
import { opfsSync } from '@stowage/driver-opfs-sync'
import { serve } from '../src/index.ts'

// The two OPFS tiers, so that engines without sync access handles (WebKitGTK) serve too;
// `only=opfs-async` serves tier 2 alone.
const params = new URL(self.location.href).searchParams
const directory = params.get('directory') ?? 'test-worker-host'
const tiers = [opfsSync({ directory, idleMs: Number(params.get('idleMs')) || undefined }), opfsAsync({ directory })]
// `spy=<channel>`: each save that reaches the driver says on that BroadcastChannel which durability it got.
const spy = params.get('spy') && new BroadcastChannel(params.get('spy')!)
const spied = (driver: Driver): Driver =>
  spy
    ? {
        ...driver,
        save(file, data, options) {
          spy.postMessage(`${file} ${options?.durability}`)
          return driver.save(file, data, options)
        },
      }
    : driver
serve((params.get('only') === 'opfs-async' ? tiers.slice(1) : tiers).map(spied), {
  channel: params.get('channel') ?? undefined,
  lockTimeoutMs: Number(params.get('lockTimeoutMs')) || undefined,
  durability: (params.get('durability') as Durability | null) ?? undefined,
})

// A hung worker, for tests: `{ hang: ms }` keeps its event loop busy, so it answers nothing, not
// even another tab's request for a lease it holds.
self.addEventListener('message', ({ data }: MessageEvent<{ hang?: number }>) => {
  const until = performance.now() + (data?.hang ?? 0)
  while (performance.now() < until);
})
