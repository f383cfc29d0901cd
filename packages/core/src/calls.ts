import type { Driver } from './driver.js'
import { StorageError, toStorageError } from './errors.js'
import { RESERVED_PREFIX } from './validate.js'

/** A driver's methods as written, before `driverCalls` wraps them; `close` only where something is held. */
type Methods = Omit<Driver, 'id' | 'close'> & { close?(): Promise<void> }

/**
 * What every driver puts around its methods, so that each need not repeat it: a call after
 * `close()` rejects CLOSED, whatever a call throws reaches the caller as a StorageError that names
 * the file and the driver (UNSUPPORTED while probing), and `close()` waits for the calls still
 * running before the driver lets go of its handles.
 *
 * ```ts
 * const calls = driverCalls('my-driver')
 * return calls.driver({ probe, load, save, remove, list, close })
 * ```
 */
export function driverCalls(id: string) {
  let closed = false
  const running = new Set<Promise<unknown>>()

  /** Throws CLOSED once `close()` was called: for a call that waited, to check again before it goes on. */
  function open(file?: string): void {
    if (closed) throw new StorageError('CLOSED', `The ${id} driver is closed`, { file, driver: id })
  }

  function run<T>(file: string | undefined, op: () => Promise<T>, probing?: boolean): Promise<T> {
    const call = (async () => {
      open(file)
      return await op()
    })().catch((error: unknown) => {
      throw toStorageError(error, { file, driver: id, probing })
    })
    running.add(call)
    const forget = () => running.delete(call)
    call.then(forget, forget)
    return call
  }

  return {
    open,

    /** The driver: `methods`, each run as one call; `close`, if any, once every running call has settled. */
    driver: ({ probe, load, save, remove, list, close }: Methods): Driver => ({
      id,
      probe: () => run(undefined, probe, true),
      load: (file) => run(file, () => load(file)),
      save: (file, data) => run(file, () => save(file, data)),
      remove: (file) => run(file, () => remove(file)),
      list: () => run(undefined, list),
      async close() {
        closed = true
        await Promise.allSettled(running)
        await close?.()
      },
    }),
  }
}

/**
 * For probes: throws "`what` is missing" unless `feature` is a function, so that the probe's
 * reason names the API this context lacks.
 */
export function need(feature: unknown, what: string): void {
  if (typeof feature !== 'function') throw new Error(`${what} is missing`)
}

/**
 * For probes: a real save, load and remove through the driver's own code (not through
 * `driverCalls`), of a file of its own under RESERVED_PREFIX, so that contexts probing at once do
 * not meet. Rejects unless the bytes come back.
 */
export async function roundTrip({ save, load, remove }: Pick<Driver, 'save' | 'load' | 'remove'>): Promise<void> {
  const file = `${RESERVED_PREFIX}-probe-${Math.random()}`
  const bytes = Uint8Array.of(1, 2, 3)
  try {
    await save(file, bytes)
    if ((await load(file)).join() !== bytes.join()) throw new Error('a probe file read back other bytes')
  } finally {
    await remove(file)
  }
}
