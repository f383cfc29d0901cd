import type { Driver } from '@stowage/core'
import { idb } from '@stowage/driver-idb'
import { opfsAsync } from '@stowage/driver-opfs-async'
import { opfsSync } from '@stowage/driver-opfs-sync'
import { serve } from '../src/index.ts'

// The three tiers, each in a place of its own under `base`, served in the order `serve` names
// (e.g. 'opfs-sync,opfs-async,idb'). A tier in `fail` fails its probe, as a tier that stopped
// working would; the serving tier refuses to save the file `refuse`, as a full disk would.
// With `shared`, opfs-async keeps its files in opfs-sync's folder; `settle` is serve's settleMs.
const params = new URL(self.location.href).searchParams
const base = params.get('base')!
const tiers: Record<string, () => Driver> = {
  'opfs-sync': () => opfsSync({ directory: `${base}/sync` }),
  // With `shared`, in opfs-sync's folder, as apps that give both OPFS tiers one directory do.
  'opfs-async': () => opfsAsync({ directory: `${base}/${params.has('shared') ? 'sync' : 'async'}` }),
  idb: () => idb({ database: base }),
}
const fail = params.get('fail')?.split(',') ?? []
const refuse = params.get('refuse')
const failing = (driver: Driver): Driver => ({
  ...driver,
  probe: () => Promise.reject(new Error(`${driver.id} made to fail its probe`)),
})
const refusing = (driver: Driver): Driver => ({
  ...driver,
  save: (file, data) =>
    file === refuse
      ? Promise.reject(new DOMException('made to refuse this file', 'QuotaExceededError'))
      : driver.save(file, data),
})
serve(
  params
    .get('serve')!
    .split(',')
    .map((id) => {
      const driver = tiers[id]!()
      return fail.includes(id) ? failing(driver) : refuse ? refusing(driver) : driver
    }),
  { settleMs: params.has('settle') ? Number(params.get('settle')) : undefined },
)
