import type { Driver, SaveOptions, Store } from './driver.js'
import { StorageError, toStorageError } from './errors.js'
import { createQueue } from './queue.js'
import { explainQuota } from './quota.js'
import { assertValidName, toBytes } from './validate.js'

/**
 * Puts in front of a driver what every app needs: one FIFO per file, coalescing of waiting saves,
 * validation before any I/O, and errors normalized to StorageError with file, driver and cause.
 */
export function createStore(driver: Omit<Driver, 'probe'>): Store {
  const queue = createQueue()
  let closing: Promise<void> | undefined

  function guard(file?: string): void {
    if (closing) throw new StorageError('CLOSED', `The ${driver.id} store is closed`, { file, driver: driver.id })
  }

  async function call<T>(file: string | undefined, op: () => Promise<T>): Promise<T> {
    try {
      return await op()
    } catch (error) {
      throw toStorageError(error, { file, driver: driver.id })
    }
  }

  return {
    async load(file) {
      assertValidName(file, driver.id)
      guard(file)
      return queue.run(file, () => call(file, () => driver.load(file)))
    },

    async save(file, data, options?: SaveOptions) {
      assertValidName(file, driver.id)
      guard(file)
      const bytes = own(toBytes(data, file, driver.id), options?.transfer)
      return queue.save(file, () =>
        call(file, () => driver.save(file, bytes)).catch(async (error: StorageError) => {
          throw error.code === 'QUOTA_EXCEEDED' ? await explainQuota(error, bytes.length) : error
        }),
      )
    },

    async remove(file) {
      assertValidName(file, driver.id)
      guard(file)
      return queue.run(file, () => call(file, () => driver.remove(file)))
    },

    async list() {
      guard()
      await queue.idle()
      return call(undefined, () => driver.list())
    },

    close() {
      closing ??= queue.idle().then(() => call(undefined, () => driver.close()))
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
