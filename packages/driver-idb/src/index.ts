import { driverCalls, RESERVED_PREFIX, roundTrip, StorageError, type Driver } from '@stowage/core'
import { del, get, promisifyRequest, set, type UseStore } from 'idb-keyval'

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
  const { use, close } = storeFunction(database, store, calls.open)

  async function load(file: string): Promise<Uint8Array> {
    const value: unknown = await get(file, use)
    if (value === undefined) throw new StorageError('NOT_FOUND', `${file}: no such file`)
    // Someone else's value in this store: never hand it out as the file's bytes.
    if (!(value instanceof ArrayBuffer)) {
      const kind = Object.prototype.toString.call(value).slice(8, -1)
      throw new StorageError('CORRUPT', `${file}: the stored value is a ${kind}, not an ArrayBuffer`)
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

/**
 * An idb-keyval store function with what idb-keyval's createStore lacks: strict durability, a
 * connection that steps aside on versionchange and is reopened after any close, an object store
 * added to an existing database, and transactions that settle only when they end. `open` throws
 * CLOSED once the driver is closed: a call that waited for the connection checks it again.
 */
function storeFunction(database: string, storeName: string, open: () => void): { use: UseStore; close(): Promise<void> } {
  let connection: Promise<IDBDatabase> | undefined

  async function begin(mode: IDBTransactionMode): Promise<IDBTransaction> {
    const opening = (connection ??= openDatabase(database, storeName))
    const forget = () => {
      if (connection === opening) connection = undefined
    }
    const db = await opening.catch((error: unknown) => {
      forget()
      throw error
    })
    open()
    // Fired when the browser closes it: storage cleared, disk trouble, Safari at will.
    db.onclose = forget
    // Another tab wants to upgrade or delete the database; holding on would block it.
    db.onversionchange = () => {
      db.close()
      forget()
    }
    try {
      // Without 'strict', Chromium reports `complete` before the data is on disk.
      return db.transaction(storeName, mode, { durability: 'strict' })
    } catch (error) {
      // A connection closed without a close event (Safari does that) would fail every call after.
      forget()
      throw error
    }
  }

  const use: UseStore = async (mode, callback) => {
    const tx = await begin(mode)
    const ended = new Promise<unknown>((resolve) => {
      tx.addEventListener('complete', () => resolve(undefined))
      tx.addEventListener('abort', () => resolve(tx.error ?? new DOMException('The transaction was aborted', 'AbortError')))
    })
    let value
    try {
      value = await callback(tx.objectStore(storeName))
    } catch (error) {
      // idb-keyval rejects with tx.error, which is still null while an error event is dispatched.
      throw error ?? (await ended)
    }
    const failure = await ended
    if (failure) throw failure
    return value
  }

  // Runs once every call has settled, so no transaction is left to wait for the connection.
  const close = async () => (await connection?.catch(() => undefined))?.close()

  return { use, close }
}

/** Opens the database; when it exists without our object store, upgrades it to add one. */
async function openDatabase(database: string, storeName: string, version?: number): Promise<IDBDatabase> {
  if (typeof indexedDB === 'undefined') throw new StorageError('UNSUPPORTED', 'IndexedDB is missing here')
  const request = indexedDB.open(database, version)
  request.onupgradeneeded = () => {
    if (!request.result.objectStoreNames.contains(storeName)) request.result.createObjectStore(storeName)
  }
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error)
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
