import type { Driver } from './driver.js'
import { StorageError, toStorageError } from './errors.js'
import { RESERVED_PREFIX } from './validate.js'

/**
 * What every driver puts around its methods, so that each need not repeat it: a call after
 * `close()` rejects CLOSED, whatever a call throws reaches the caller as a StorageError that names
 * the file and the driver (UNSUPPORTED while probing), and `close()` waits for the calls still
 * running before the driver lets go of its handles.
 *
 * ```ts
 * const calls = driverCalls('my-driver')
 * const driver: Driver = {
 *   load: (file) => calls.run(file, () => read(file)),
 *   probe: () => calls.run(undefined, trial, true),
 *   close: () => calls.close().then(release),
 *   // ...
 * }
 * ```
 */
export function driverCalls(driver: string) {
  let closed = false
  const running = new Set<Promise<unknown>>()

  /** Throws CLOSED once `close()` was called: for a call that waited, to check again before it starts. */
  function open(file?: string): void {
    if (closed) throw new StorageError('CLOSED', `The ${driver} driver is closed`, { file, driver })
  }

  return {
    open,

    /** Runs `op` as one call of the driver, about `file` (if any); `probing` for `probe()`. */
    run<T>(file: string | undefined, op: () => Promise<T>, probing?: boolean): Promise<T> {
      const call = (async () => {
        open(file)
        return await op()
      })().catch((error: unknown) => {
        throw toStorageError(error, { file, driver, probing })
      })
      running.add(call)
      const forget = () => running.delete(call)
      call.then(forget, forget)
      return call
    },

    /** Refuses every later call, and resolves once the calls already running have settled. */
    async close(): Promise<void> {
      closed = true
      await Promise.allSettled(running)
    },
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
