import { LOCK_TIMEOUT_MS, lockBound } from './bound.js'
import type { CallOptions, Driver, Durability, SaveOptions, Store } from './driver.js'
import { StorageError, toStorageError } from './errors.js'
import { createQueue } from './queue.js'
import { explainQuota } from './quota.js'
import { assertValidName, toBytes } from './validate.js'

/** A save or remove that landed. */
export interface Write {
  file: string
  op: 'save' | 'remove'
}

export interface StoreOptions {
  /**
   * Called once for each save or remove that lands on the driver (a burst of coalesced saves
   * lands once), before its callers settle. worker-host tells other tabs through it.
   */
  onWrite?(write: Write): void
  /**
   * How long one driver call may wait for its file's lock before it rejects LOCKED, in ms. A
   * holder that never lets go (a frozen or hung tab, other code using the lock's name) would
   * otherwise keep the call waiting forever. Default LOCK_TIMEOUT_MS.
   */
  lockTimeoutMs?: number
  /** The durability of a save that does not name one. Default 'strict'. */
  durability?: Durability
}

/**
 * Which waiting saves a save of each durability may supersede: a strict save takes a relaxed one
 * along (its callers get a stricter write than they asked for), a relaxed save never takes a
 * strict one (its callers would get a weaker one).
 */
const SUPERSEDES: Record<Durability, Durability[]> = { strict: ['strict', 'relaxed'], relaxed: ['relaxed'] }

/**
 * Puts in front of a driver everything a driver does not do itself: validation before any I/O,
 * one FIFO per file with coalescing of waiting saves, ownership of the bytes, errors normalized
 * to StorageError with file, driver and cause, a bound on every wait for a lock, cancellation,
 * and the refusal of calls after `close()`, which waits for the calls in flight before it closes
 * the driver.
 */
export function createStore(
  driver: Omit<Driver, 'probe'>,
  { onWrite, lockTimeoutMs = LOCK_TIMEOUT_MS, durability: storeDurability = 'strict' }: StoreOptions = {},
): Store {
  const queue = createQueue()
  const running = new Set<Promise<unknown>>()
  let closing: Promise<void> | undefined

  /**
   * Admits one call: refused CLOSED once the store is closing, otherwise `op` runs and is kept
   * track of until it settles, and whatever it throws becomes a StorageError naming the file:
   * ABORTED when it is the reason of the caller's signal.
   */
  function admit<T>(file: string | undefined, signal: AbortSignal | undefined, op: () => Promise<T>): Promise<T> {
    if (closing) throw new StorageError('CLOSED', `The ${driver.id} store is closed`, { file, driver: driver.id })
    // Aborted already: nothing is queued, copied or detached.
    const call = (signal?.aborted ? Promise.reject(signal.reason) : op()).catch((error: unknown) => {
      if (signal?.aborted && error === signal.reason) {
        throw new StorageError('ABORTED', `${file ?? 'list'}: aborted before its I/O began`, {
          file,
          driver: driver.id,
          cause: error,
        })
      }
      throw toStorageError(error, { file, driver: driver.id })
    })
    running.add(call)
    const forget = () => running.delete(call)
    call.then(forget, forget)
    return call
  }

  /**
   * Queues the driver call `call` with `enqueue`. While it waits its turn, the caller's signal
   * rejects it at once (its op then finds the signal aborted and does nothing); once its turn
   * came, only the driver's own waits can still end on it.
   */
  function queued<T>(
    file: string | undefined,
    signal: AbortSignal | undefined,
    enqueue: (op: () => Promise<T>) => Promise<T>,
    call: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    if (!signal) return enqueue(() => bounded(file, undefined, call))
    let started = false
    const outcome = enqueue(() => {
      started = true
      return bounded(file, signal, call)
    })
    return new Promise((resolve, reject) => {
      const cancel = () => started || reject(signal.reason)
      signal.addEventListener('abort', cancel, { once: true })
      outcome.then(resolve, reject).finally(() => signal.removeEventListener('abort', cancel))
    })
  }

  /**
   * Runs one driver call with a signal that aborts with the caller's reason, or with LOCKED once
   * the call has run for `lockTimeoutMs`: drivers pass it to their lock requests only, so it ends
   * a wait for a lock and never I/O that has begun.
   */
  async function bounded<T>(
    file: string | undefined,
    signal: AbortSignal | undefined,
    call: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    signal?.throwIfAborted()
    const bound = lockBound(lockTimeoutMs, { file, driver: driver.id }, signal)
    try {
      return await call(bound.signal)
    } finally {
      bound.clear()
    }
  }

  return {
    async load(file, { signal }: CallOptions = {}) {
      assertValidName(file, driver.id)
      return admit(file, signal, () =>
        queued(
          file,
          signal,
          (op) => queue.run(file, op),
          (bound) => driver.load(file, { signal: bound }),
        ),
      )
    },

    async save(file, data, { transfer, signal, durability = storeDurability }: SaveOptions = {}) {
      assertValidName(file, driver.id)
      const bytes = toBytes(data, file, driver.id)
      // Anything but 'relaxed' (a foreign poster's typo, say) errs on the safe side.
      const level: Durability = durability === 'relaxed' ? 'relaxed' : 'strict'
      return admit(file, signal, () => {
        const owned = own(bytes, transfer)
        return queued(
          file,
          signal,
          // A save that may be aborted supersedes nothing: it must not take other callers' bytes along.
          (op) => queue.save(file, op, level, signal ? [] : SUPERSEDES[level]),
          async (bound) => {
            try {
              await driver.save(file, owned, { signal: bound, durability: level })
            } catch (error) {
              if (error === bound.reason) throw error
              const failure = toStorageError(error, { file, driver: driver.id })
              throw failure.code === 'QUOTA_EXCEEDED' ? await explainQuota(failure, owned.length) : failure
            }
            onWrite?.({ file, op: 'save' })
          },
        )
      })
    },

    async remove(file, { signal }: CallOptions = {}) {
      assertValidName(file, driver.id)
      return admit(file, signal, () =>
        queued(
          file,
          signal,
          (op) => queue.run(file, op),
          async (bound) => {
            await driver.remove(file, { signal: bound })
            onWrite?.({ file, op: 'remove' })
          },
        ),
      )
    },

    async list({ signal }: CallOptions = {}) {
      return admit(undefined, signal, () =>
        queued(
          undefined,
          signal,
          (op) => queue.idle().then(op),
          (bound) => driver.list({ signal: bound }),
        ),
      )
    },

    close() {
      closing ??= Promise.allSettled(running).then(() =>
        driver.close().catch((error: unknown) => {
          throw toStorageError(error, { driver: driver.id })
        }),
      )
      return closing
    },
  }
}

/**
 * Bytes that nobody else can change while the save waits its turn: a copy, or with `transfer`
 * the caller's own memory, taken by detaching their buffer (no copy).
 */
function own(bytes: Uint8Array, transfer = false): Uint8Array {
  if (transfer && bytes.buffer instanceof ArrayBuffer) {
    const { buffer, byteOffset, byteLength } = bytes
    try {
      return new Uint8Array(structuredClone(buffer, { transfer: [buffer] }), byteOffset, byteLength)
    } catch {
      // Some buffers cannot be detached (WebAssembly memory): a copy keeps the promise of ownership.
    }
  }
  return new Uint8Array(bytes)
}
