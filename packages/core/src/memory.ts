import type { Driver } from './driver.js'
import { StorageError } from './errors.js'

/**
 * The reference driver: files in a Map, gone with the page. Useful in tests, in SSR, and as the
 * smallest example of the Driver contract.
 */
export function memoryDriver(): Driver {
  const files = new Map<string, Uint8Array>()
  let closed = false

  function open(file?: string): Map<string, Uint8Array> {
    if (closed) throw new StorageError('CLOSED', 'The memory driver is closed', { file, driver: 'memory' })
    return files
  }

  return {
    id: 'memory',
    async probe() {},
    async load(file) {
      const bytes = open(file).get(file)
      if (!bytes) throw new StorageError('NOT_FOUND', `${file}: no such file`, { file, driver: 'memory' })
      return bytes.slice()
    },
    async save(file, data) {
      open(file).set(file, new Uint8Array(data))
    },
    async remove(file) {
      open(file).delete(file)
    },
    async list() {
      return [...open().keys()]
    },
    async close() {
      closed = true
      files.clear()
    },
  }
}
