import { RESERVED_PREFIX, StorageError, type Driver, type DriverSaveOptions } from '@stowage/core'
import { defineDriver, roundTrip } from '@stowage/core/driver'
import { promisifyRequest } from 'idb-keyval'
import { idbConnection } from './connection.js'
import { chunksFormat } from './format.js'
import { uint8ArrayFormat } from './uint8array.js'

export { idbConnection, type IdbConnection } from './connection.js'

export interface IdbOptions {
  /** The IndexedDB database that holds the files. Default 'stowage'. */
  database?: string
  /** The object store inside it, added to the database when missing. Default 'files'. */
  store?: string
  /**
   * Files larger than this many bytes are stored as chunks of this size. Default 16 MiB, well
   * below every engine's cap on one value; a smaller one lets tests cross the boundary cheaply.
   */
  chunkSize?: number
  /**
   * How a file's bytes are stored. 'chunks' (the default): one ArrayBuffer value, or a manifest
   * and chunks when larger than `chunkSize`. 'uint8array': one Uint8Array value, never chunked,
   * as apps that store typed arrays themselves keep them (GenosDB's `opfs-fallback-db`), so that
   * they and this driver read each other's files.
   */
  format?: 'chunks' | 'uint8array'
}

const MiB = 2 ** 20

/**
 * The largest save a relaxed transaction takes. Chromium stores a value over 64 KiB as a blob file
 * beside its LevelDB record, and in a relaxed transaction never fsyncs the blob, yet fsyncs the
 * log, record included, now and then: a power cut can keep the record and lose the bytes, and
 * then neither that save nor the one before loads (tooling/power-loss). A larger save is strict:
 * its flush costs little next to writing the bytes. Kept under 64 KiB for the value's own framing.
 */
const RELAXED_MAX = 60 * 1024

/**
 * Tier 3 of Stowage: each file is one ArrayBuffer value in an IndexedDB object store, or, when
 * larger than a chunk, a manifest and its chunks; replaced in one readwrite transaction of the
 * save's durability (strict unless asked otherwise), read in one readonly transaction. Works on
 * the main thread and in any worker.
 */
export function idb({
  database = 'stowage',
  store = 'files',
  chunkSize = 16 * MiB,
  format = 'chunks',
}: IdbOptions = {}): Driver {
  if (!(Number.isSafeInteger(chunkSize) && chunkSize > 0))
    throw new RangeError(`chunkSize must be a positive integer, not ${chunkSize}`)
  const values = format === 'uint8array' ? uint8ArrayFormat : chunksFormat(chunkSize)
  const { use, close } = idbConnection(() => openDatabase(database, store), store)

  async function load(file: string): Promise<Uint8Array> {
    const bytes = await use('readonly', (files) => values.read(files, file))
    if (!bytes) throw new StorageError('NOT_FOUND', `${file}: no such file`)
    return bytes
  }
  // The save's time goes in its own transaction, under a reserved key, for adoption to compare.
  const save = (file: string, data: Uint8Array, { durability }: DriverSaveOptions = {}) =>
    use(
      'readwrite',
      (files) => {
        values.put(files, file, data)
        files.put(Date.now(), savedAtKey(file))
      },
      data.length > RELAXED_MAX ? 'strict' : durability,
    )
  const remove = (file: string) =>
    use('readwrite', (files) => {
      values.delete(files, file)
      files.delete(savedAtKey(file))
    })
  /** Whether the database is there, without creating it: an adoption sweep lists every tier. */
  let present = false
  const isPresent = async () =>
    (present ||=
      typeof indexedDB?.databases !== 'function' || (await indexedDB.databases()).some(({ name }) => name === database))

  return defineDriver('idb', {
    probe: () => roundTrip({ save, load, remove }),
    load,
    save,
    remove,
    // Files saved before times were kept have none: unknown, and so the oldest to adoption.
    savedAt: async (file) => {
      const time: unknown = await use('readonly', (files) => promisifyRequest(files.get(savedAtKey(file))))
      return typeof time === 'number' ? time : undefined
    },
    place: `idb:${database}/${store}`,
    // idb-keyval's keys() adds a cursor walk for engines without getAllKeys, none of which runs ES2022.
    list: async () =>
      (await isPresent())
        ? (await use('readonly', (files) => promisifyRequest(files.getAllKeys()))).filter(
            (key): key is string => typeof key === 'string' && !key.startsWith(RESERVED_PREFIX),
          )
        : [],
    close,
  })
}

/** Where a file's save time is kept: hidden from `list()` by the reserved prefix. */
const savedAtKey = (file: string) => `${RESERVED_PREFIX}-saved/${file}`

/** Opens the database; when it exists without our object store, upgrades it to add one. */
async function openDatabase(database: string, storeName: string, version?: number): Promise<IDBDatabase> {
  if (typeof indexedDB === 'undefined') throw new StorageError('UNSUPPORTED', 'IndexedDB is missing here')
  const request = indexedDB.open(database, version)
  request.onupgradeneeded = () => {
    if (!request.result.objectStoreNames.contains(storeName)) request.result.createObjectStore(storeName)
  }
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    promisifyRequest(request).then(resolve, reject)
    // Only an upgrade is blocked, and only by a connection that stays open through versionchange.
    request.onblocked = () => {
      request.onsuccess = () => request.result.close()
      reject(new StorageError('LOCKED', `Another connection keeps ${database} open through versionchange`))
    }
  })
  if (db.objectStoreNames.contains(storeName)) return db
  db.close()
  return openDatabase(database, storeName, db.version + 1)
}
