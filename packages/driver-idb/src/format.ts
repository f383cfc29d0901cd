import { RESERVED_PREFIX, StorageError } from '@stowage/core'
import { typeName } from '@stowage/core/driver'
import { promisifyRequest } from 'idb-keyval'

/**
 * How a driver keeps a file's bytes in its object store: requests made in the caller's
 * transaction, so that a save or a remove is one transaction.
 */
export interface ValueFormat {
  /** Stores `data` as `file`, replacing all it held before. */
  put(files: IDBObjectStore, file: string, data: Uint8Array): void
  /** Deletes `file` and whatever it holds. */
  delete(files: IDBObjectStore, file: string): void
  /** The bytes of `file`, or undefined when it is absent; CORRUPT for a value of another format. */
  read(files: IDBObjectStore, file: string): Promise<Uint8Array | undefined>
}

/**
 * The driver's own format: a file of at most `chunkSize` bytes is one ArrayBuffer, a larger one a
 * manifest under its name and its chunks under reserved keys.
 */
export const chunksFormat = (chunkSize: number): ValueFormat => ({
  put: (files, file, data) => putFile(files, file, data, chunkSize),
  delete: deleteFile,
  read: readFile,
})

/**
 * What a file's own key holds when the file is larger than one chunk: its length and the length
 * of every chunk but the last. The chunks live under `chunkKey(file, 0…)`.
 */
interface Manifest {
  format: typeof CHUNKED
  size: number
  chunkSize: number
}

const CHUNKED = 'stowage-chunks'

/**
 * The chunks of `file`. File names never hold '/', so no other file's chunk key starts with this
 * prefix, and `list()` hides every key under RESERVED_PREFIX.
 */
const chunkPrefix = (file: string) => `${RESERVED_PREFIX}-chunk/${file}/`
const chunkKey = (file: string, index: number) => chunkPrefix(file) + index
// Only digits follow the prefix, and they all sort below '\uffff'.
const chunkRange = (file: string) => IDBKeyRange.bound(chunkPrefix(file), `${chunkPrefix(file)}\uffff`)

/**
 * Puts `data` as `file` and deletes whatever the file held before, chunks included: requests of
 * one transaction, so that a crash leaves the old file or the new one. A file of at most
 * `chunkSize` bytes is one ArrayBuffer, as every file was before chunks.
 */
function putFile(files: IDBObjectStore, file: string, data: Uint8Array, chunkSize: number): void {
  files.delete(chunkRange(file))
  if (data.byteLength <= chunkSize) {
    files.put(exactBuffer(data), file)
    return
  }
  for (let index = 0; index * chunkSize < data.byteLength; index++) {
    files.put(data.slice(index * chunkSize, (index + 1) * chunkSize).buffer, chunkKey(file, index))
  }
  files.put({ format: CHUNKED, size: data.byteLength, chunkSize } satisfies Manifest, file)
}

/** Deletes `file` and its chunks, in the caller's transaction. */
function deleteFile(files: IDBObjectStore, file: string): void {
  files.delete(file)
  files.delete(chunkRange(file))
}

/**
 * The bytes of `file`, read in the caller's transaction, or undefined when it is absent. Rejects
 * CORRUPT for a value that is neither format, and for a manifest whose chunks are missing or of
 * the wrong length: never short data.
 */
async function readFile(files: IDBObjectStore, file: string): Promise<Uint8Array | undefined> {
  const value: unknown = await promisifyRequest(files.get(file))
  if (value === undefined) return undefined
  if (value instanceof ArrayBuffer) return new Uint8Array(value)
  if (!isManifest(value))
    throw corrupt(file, `the stored value is a ${typeName(value)}, neither an ArrayBuffer nor a chunk manifest`)
  const { size, chunkSize } = value
  const count = Math.ceil(size / chunkSize)
  // Counted before the whole size is allocated: a manifest without its chunks costs nothing.
  const found = await promisifyRequest(files.count(chunkRange(file)))
  if (found !== count) throw corrupt(file, `${found} chunks stored where ${count} belong`)
  const bytes = new Uint8Array(size)
  // Every request is made now, while the transaction is active; each chunk is copied as it comes.
  const reads = Array.from({ length: count }, async (_, index) => {
    const chunk: unknown = await promisifyRequest(files.get(chunkKey(file, index)))
    const expected = Math.min(chunkSize, size - index * chunkSize)
    if (!(chunk instanceof ArrayBuffer) || chunk.byteLength !== expected) {
      throw corrupt(
        file,
        `chunk ${index} is ${chunk instanceof ArrayBuffer ? `${chunk.byteLength} bytes` : `a ${typeName(chunk)}`}, not ${expected} bytes`,
      )
    }
    bytes.set(new Uint8Array(chunk), index * chunkSize)
  })
  await Promise.all(reads)
  return bytes
}

function isManifest(value: unknown): value is Manifest {
  const { format, size, chunkSize } = (value ?? {}) as Partial<Manifest>
  return format === CHUNKED && [size, chunkSize].every((n) => Number.isSafeInteger(n) && n! > 0)
}

function corrupt(file: string, why: string): StorageError {
  return new StorageError('CORRUPT', `${file}: ${why}`)
}

/** The view's bytes in a buffer of their own: IndexedDB would store the whole underlying buffer. */
function exactBuffer(data: Uint8Array): ArrayBuffer {
  // createStore already hands the driver its own copy, so a view of a whole buffer needs no other.
  return data.byteLength === data.buffer.byteLength && data.buffer instanceof ArrayBuffer
    ? data.buffer
    : data.slice().buffer
}
