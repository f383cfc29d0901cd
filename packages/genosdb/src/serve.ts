import { createStore, isStorageError, StorageError, type Store } from '@stowage/core'
import { toStorageError } from '@stowage/core/driver'
import { probeDrivers } from '@stowage/worker-host'
import { adopting } from './adopt.js'
import { isConfig, TIERS, type Tier } from './config.js'
import { tierDriver } from './tiers.js'

/** GenosDB's replies, as its main thread reads them. `code` is ours: a StorageError code, on storage failures only. */
type Reply =
  | { type: 'loaded'; name: string; data: Uint8Array }
  | { type: 'saved'; name: string }
  | { type: 'error'; name?: unknown; message: string; code?: string }

interface WorkerScope {
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void
  postMessage(message: unknown, transfer?: Transferable[]): void
}

const PROBE_TIMEOUT_MS = 10_000

/**
 * Inside a dedicated worker: answers GenosDB's `load` and `save` messages, exactly as its own
 * persistence worker does, from the first tier that works. Saves to a file run one at a time, in
 * order, and a save still waiting is superseded by a later one (both are answered when it lands).
 */
export function serveGenosDB(scope: WorkerScope = self as unknown as WorkerScope): void {
  let ready: Promise<Store> | undefined

  function start(tiers: readonly Tier[]): Promise<Store> {
    const drivers = tiers.map(tierDriver)
    const opening = probeDrivers(drivers, PROBE_TIMEOUT_MS).then(async ({ driver, probes }) => {
      if (driver) {
        const tier = tiers[drivers.indexOf(driver)]!
        return createStore(
          await adopting(
            tier,
            driver,
            drivers.filter((other) => other !== driver),
          ),
        )
      }
      throw new StorageError(
        'UNSUPPORTED',
        `No storage tier works here: ${probes.map((probe) => `${probe.id}: ${probe.reason}`).join('; ')}`,
      )
    })
    // Every request reports it; a worker that gets no request should not log it as unhandled.
    opening.catch(() => {})
    return opening
  }

  scope.addEventListener('message', ({ data }) => {
    if (isConfig(data)) {
      ready ??= start(data.tiers.filter((tier) => TIERS.includes(tier)))
      return
    }
    ready ??= start(TIERS)
    void answer(data, ready).then(([reply, transfer]) => scope.postMessage(reply, transfer))
  })
}

async function answer(message: unknown, ready: Promise<Store>): Promise<[Reply, Transferable[]?]> {
  const { type, name, content } = (message ?? {}) as { type?: unknown; name?: unknown; content?: unknown }
  if (type !== 'load' && type !== 'save')
    return [{ type: 'error', message: `Unrecognized action type: ${String(type)}` }]
  if (type === 'save' && !(content instanceof Uint8Array))
    return [{ type: 'error', name, message: 'Content must be a Uint8Array' }]
  try {
    // One await before the store is called, the same for loads and saves, keeps arrival order.
    const store = await ready
    if (type === 'save') {
      // The message's bytes are this worker's own copy: hand them over rather than copy again.
      await store.save(name as string, content as Uint8Array, { transfer: true })
      return [{ type: 'saved', name: name as string }]
    }
    const data = await store.load(name as string).catch((error: unknown) => {
      if (isStorageError(error, 'NOT_FOUND')) return new Uint8Array(0)
      throw error
    })
    return [{ type: 'loaded', name: name as string, data }, [data.buffer as ArrayBuffer]]
  } catch (error) {
    const { code, message: text } = toStorageError(error, { file: typeof name === 'string' ? name : undefined })
    return [{ type: 'error', name, message: text, code }]
  }
}
