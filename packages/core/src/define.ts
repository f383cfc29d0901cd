import type { Driver } from './driver.js'
import { toStorageError } from './errors.js'
import { RESERVED_PREFIX } from './validate.js'

/** A driver's methods as its author writes them; `close` only where something is held. */
export type DriverMethods = Omit<Driver, 'id' | 'close'> & { close?(): Promise<void> }

/**
 * Makes a Driver of plain methods, the way every Stowage driver is written:
 *
 * ```ts
 * return defineDriver('my-driver', { probe, load, save, remove, list, close })
 * ```
 *
 * The methods stay as written: `createStore` is what orders their calls, validates names and
 * data, turns what they throw into StorageErrors, refuses calls after `close()` and waits for the
 * calls in flight before it closes the driver. The one job left here is the probe's, which runs
 * before any store exists: whatever it throws becomes UNSUPPORTED, naming the driver, with the
 * reason in the message, for `info()` to show.
 */
export function defineDriver(id: string, { probe, close = async () => {}, ...calls }: DriverMethods): Driver {
  return {
    id,
    ...calls,
    close,
    probe: () =>
      probe().catch((error: unknown) => {
        throw toStorageError(error, { driver: id, probing: true })
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
 * For probes: a real save, load and remove through the driver's own methods, of a file of its
 * own under RESERVED_PREFIX, so that contexts probing at once do not meet. Rejects unless the
 * bytes come back.
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
