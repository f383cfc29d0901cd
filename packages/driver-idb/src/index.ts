import { RESERVED_PREFIX, StorageError, type Driver } from '@stowage/core'
import { driverCalls, roundTrip, typeName } from '@stowage/core/driver'
import { del, get, promisifyRequest, set } from 'idb-keyval'
import { idbConnection } from './connection.js'

export { idbConnection, type IdbConnection } from './connection.js'

export interface IdbOptions {
  /** The IndexedDB database that holds the files. Default 'stowage'. */
  database?: string
  /** The object store inside it, added to the database when missing. Default 'files'. */
  store?: string
}

/**
 * Tier 3 of Stowage: each file is one ArrayBuffer value in an IndexedDB object store, replaced in
 * one readwrite transaction with strict durability. Works on the main thread and in any worker.
 */
export function idb({ database = 'stowage', store = 'files' }: IdbOptions = {}): Driver {
  const calls = driverCalls('idb')
  const { use, close } = idbConnection(() => openDatabase(database, store), store, calls.open)

  async function load(file: string): Promise<Uint8Array> {
    const value: unknown = await get(file, use)
    if (value === undefined) throw new StorageError('NOT_FOUND', `${file}: no such file`)
    // Someone else's value in this store: never hand it out as the file's bytes.
    if (!(value instanceof ArrayBuffer)) {
      throw new StorageError('CORRUPT', `${file}: the stored value is a ${typeName(value)}, not an ArrayBuffer`)
    }
    return new Uint8Array(value)
  }
  const save = (file: string, data: Uint8Array) => set(file, exactBuffer(data), use)
  const remove = (file: string) => del(file, use)

  return calls.driver({
    probe: () => roundTrip({ save, load, remove }),
    load,
    save,
    remove,
    // idb-keyval's keys() adds a cursor walk for engines without getAllKeys, none of which runs ES2022.
    list: async () =>
      (await use('readonly', (files) => promisifyRequest(files.getAllKeys()))).filter(
        (key): key is string => typeof key === 'string' && !key.startsWith(RESERVED_PREFIX),
      ),
    close,
  })
}

/** The view's bytes in a buffer of their own: IndexedDB would store the whole underlying buffer. */
function exactBuffer(data: Uint8Array): ArrayBuffer {
  // createStore already hands the driver its own copy, so a view of a whole buffer needs no other.
  return data.byteLength === data.buffer.byteLength && data.buffer instanceof ArrayBuffer ? data.buffer : data.slice().buffer
}

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
