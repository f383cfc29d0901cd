import type { Driver, SaveOptions, Store } from './driver.js'
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
}

/**
 * Puts in front of a driver everything a driver does not do itself: validation before any I/O,
 * one FIFO per file with coalescing of waiting saves, ownership of the bytes, errors normalized
 * to StorageError with file, driver and cause, and the refusal of calls after `close()`, which
 * waits for the calls in flight before it closes the driver.
 */
export function createStore(driver: Omit<Driver, 'probe'>, { onWrite }: StoreOptions = {}): Store {
  const queue = createQueue()
  const running = new Set<Promise<unknown>>()
  let closing: Promise<void> | undefined

  /**
   * Admits one call: refused CLOSED once the store is closing, otherwise `op` runs and is kept
   * track of until it settles, and whatever it throws becomes a StorageError naming the file.
   */
  function admit<T>(file: string | undefined, op: () => Promise<T>): Promise<T> {
    if (closing) throw new StorageError('CLOSED', `The ${driver.id} store is closed`, { file, driver: driver.id })
    const call = op().catch((error: unknown) => {
      throw toStorageError(error, { file, driver: driver.id })
    })
    running.add(call)
    const forget = () => running.delete(call)
    call.then(forget, forget)
    return call
  }

  return {
    async load(file) {
      assertValidName(file, driver.id)
      return admit(file, () => queue.run(file, () => driver.load(file)))
    },

    async save(file, data, options?: SaveOptions) {
      assertValidName(file, driver.id)
      const bytes = toBytes(data, file, driver.id)
      return admit(file, () => {
        const owned = own(bytes, options?.transfer)
        return queue.save(file, async () => {
          try {
            await driver.save(file, owned)
          } catch (error) {
            const failure = toStorageError(error, { file, driver: driver.id })
            throw failure.code === 'QUOTA_EXCEEDED' ? await explainQuota(failure, owned.length) : failure
          }
          onWrite?.({ file, op: 'save' })
        })
      })
    },

    async remove(file) {
      assertValidName(file, driver.id)
      return admit(file, () =>
        queue.run(file, async () => {
          await driver.remove(file)
          onWrite?.({ file, op: 'remove' })
        }),
      )
    },

    async list() {
      return admit(undefined, async () => {
        await queue.idle()
        return driver.list()
      })
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
