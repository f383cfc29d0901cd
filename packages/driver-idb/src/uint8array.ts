import { StorageError } from '@stowage/core'
import { typeName } from '@stowage/core/driver'
import { promisifyRequest } from 'idb-keyval'
import type { ValueFormat } from './format.js'

/**
 * Each file is one Uint8Array value holding exactly its bytes, never chunked: the format of apps
 * that put typed arrays in IndexedDB themselves (GenosDB's `opfs-fallback-db`), which read what
 * this writes and the other way round. An ArrayBuffer value reads as bytes too; any other value
 * is someone else's, and CORRUPT, never data.
 */
export const uint8ArrayFormat: ValueFormat = {
  put: (files, file, data) => void files.put(exact(data), file),
  delete: (files, file) => void files.delete(file),
  async read(files, file) {
    const value: unknown = await promisifyRequest(files.get(file))
    if (value === undefined) return undefined
    if (value instanceof Uint8Array) return exact(value)
    if (value instanceof ArrayBuffer) return new Uint8Array(value)
    throw new StorageError('CORRUPT', `${file}: the stored value is a ${typeName(value)}, not bytes`)
  },
}

/** The bytes in a buffer of their own: IndexedDB stores, and hands back, a view's whole buffer. */
function exact(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice()
}
