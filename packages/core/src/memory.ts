import { defineDriver } from './define.js'
import type { Driver } from './driver.js'
import { StorageError } from './errors.js'

/**
 * The reference driver: files in a Map, gone with the page. Useful in tests, in SSR, and as the
 * smallest example of the Driver contract.
 */
export function memoryDriver(): Driver {
  const files = new Map<string, Uint8Array>()

  return defineDriver('memory', {
    flushes: false,
    async probe() {},
    async load(file) {
      const bytes = files.get(file)
      if (!bytes) throw new StorageError('NOT_FOUND', `${file}: no such file`)
      return bytes.slice()
    },
    // The bytes are the driver's own (createStore copies them, or takes them with transfer).
    async save(file, data) {
      files.set(file, data)
    },
    async remove(file) {
      files.delete(file)
    },
    async list() {
      return [...files.keys()]
    },
    async close() {
      files.clear()
    },
  })
}
