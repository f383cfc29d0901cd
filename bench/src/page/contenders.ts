import { connect, type Client } from '@stowage/worker-host'
import { get, set } from 'idb-keyval'
import localforage from 'localforage'
import type { ContenderInfo } from '../results.js'
import { measured, type Measured } from './measure.js'
import type { RawStrategy } from './raw.worker.js'
import { remoteMeasured, remoteOps } from './remote.js'

export interface Contender {
  info: ContenderInfo
  measured: Measured
  close(): Promise<void>
}

type Tier = 'opfs-sync' | 'opfs-async' | 'idb'

/**
 * Stowage as an app uses it: `connect` on the page to a worker that serves only `tier`; `relaxed`
 * makes that worker's saves relaxed (`serve`'s durability option), with transfer.
 */
async function stowage(tier: Tier, transfer: boolean, relaxed = false): Promise<Contender> {
  const id = `stowage-${tier}${relaxed ? '-relaxed' : transfer ? '-transfer' : ''}`
  const client: Client = connect(
    new Worker(`/stowage.worker.js?tier=${tier}&namespace=bench-${id}${relaxed ? '&durability=relaxed' : ''}`, {
      type: 'module',
    }),
  )
  const { driver, probes } = await client.info()
  if (driver !== tier) throw new Error(`${id}: served by ${driver}, probes ${JSON.stringify(probes)}`)
  return {
    info: {
      id,
      label: `Stowage ${tier}, ${relaxed ? 'transfer, relaxed' : transfer ? 'transfer' : 'copy'}`,
      group: 'stowage',
      clock: 'page',
    },
    measured: measured({
      save: (file, bytes) => client.save(file, bytes, { transfer }),
      load: (file) => client.load(file),
    }),
    close: () => client.close(),
  }
}

function raw(strategy: RawStrategy, label: string): Contender {
  const worker = new Worker(`/raw.worker.js?strategy=${strategy}`, { type: 'module' })
  return {
    info: { id: `raw-${strategy}`, label, group: 'raw', clock: 'worker' },
    measured: remoteMeasured(worker),
    close: async () => worker.terminate(),
  }
}

/**
 * The floor: a raw sync handle kept open in a worker, timed on the page, the bytes transferred
 * each way. What any worker-based library pays at the least, on the same clock as Stowage.
 */
function floor(): Contender {
  const worker = new Worker('/raw.worker.js?strategy=floor', { type: 'module' })
  return {
    info: { id: 'floor', label: 'floor: raw kept-open handle via postMessage', group: 'raw', clock: 'page' },
    measured: measured(remoteOps(worker)),
    close: async () => worker.terminate(),
  }
}

const tiers: Tier[] = ['opfs-sync', 'opfs-async', 'idb']

/** How to start each contender, by id, in the order the tables list them. */
const starters: Record<string, () => Contender | Promise<Contender>> = {
  ...Object.fromEntries(
    tiers.flatMap((tier) => [
      [`stowage-${tier}-transfer`, () => stowage(tier, true)],
      [`stowage-${tier}`, () => stowage(tier, false)],
    ]),
  ),
  // Durability 'relaxed' where it skips a flush (opfs-async has none to skip).
  'stowage-opfs-sync-relaxed': () => stowage('opfs-sync', true, true),
  'stowage-idb-relaxed': () => stowage('idb', true, true),
  floor,
  'raw-sync-kept': () => raw('sync-kept', 'raw sync handle, kept open'),
  'raw-sync-per-save': () => raw('sync-per-save', 'raw sync handle, opened per save'),
  'raw-writable': () => raw('writable', 'raw createWritable'),
  'raw-idb': () => raw('idb', 'raw IndexedDB'),
  'idb-keyval': () => ({
    info: { id: 'idb-keyval', label: 'idb-keyval set/get', group: 'library', clock: 'page' },
    measured: measured({ save: (file, bytes) => set(file, bytes), load: (file) => get(file) }),
    close: async () => undefined,
  }),
  localforage: () => ({
    info: { id: 'localforage', label: 'localForage setItem/getItem', group: 'library', clock: 'page' },
    measured: measured({
      save: (file, bytes) => localforage.setItem(file, bytes),
      load: (file) => localforage.getItem(file),
    }),
    close: async () => undefined,
  }),
}

/** The contenders named (default: every one), each in a namespace (directory, database or worker) of its own. */
export function startContenders(ids = Object.keys(starters)): Promise<Contender[]> {
  return Promise.all(ids.map((id) => starters[id]!()))
}
