import { RESERVED_PREFIX, StorageError, toStorageError, type Driver } from '@stowage/core'
import { del, get, keys, promisifyRequest, set, type UseStore } from 'idb-keyval'

const ID = 'genosdb-idb'
/** GenosDB's IndexedDB tier: this database, at this version, with this object store, keyed by file name. */
const GENOSDB_DATABASE = 'opfs-fallback-db'
const VERSION = 1
const STORE = 'files'

export interface GenosDBIdbOptions {
  /** The database; only tests change it. Default 'opfs-fallback-db', GenosDB's own. */
  database?: string
}

/**
 * GenosDB's IndexedDB tier as a Stowage driver: each file is one Uint8Array value, keyed by its
 * name, in the object store `files` of `opfs-fallback-db` (version 1), written in one readwrite
 * transaction with strict durability. Stock GenosDB reads what it writes, and the other way round.
 */
export function genosdbIdb({ database = GENOSDB_DATABASE }: GenosDBIdbOptions = {}): Driver {
  const { use, close } = connection(database)

  async function attempt<T>(file: string | undefined, op: () => Promise<T>, probing = false): Promise<T> {
    try {
      return await op()
    } catch (error) {
      throw toStorageError(error, { file, driver: ID, probing })
    }
  }

  return {
    id: ID,

    probe: () => attempt(undefined, () => roundTrip(use), true),

    load: (file) =>
      attempt(file, async () => {
        const value: unknown = await get(file, use)
        if (value === undefined) throw new StorageError('NOT_FOUND', `${file}: no such file`, { file, driver: ID })
        if (value instanceof Uint8Array) return exact(value)
        if (value instanceof ArrayBuffer) return new Uint8Array(value)
        // Someone else's value under this key: never hand it out as the file's bytes.
        const kind = Object.prototype.toString.call(value).slice(8, -1)
        throw new StorageError('CORRUPT', `${file}: the stored value is a ${kind}, not bytes`, { file, driver: ID })
      }),

    save: (file, data) => attempt(file, () => set(file, exact(data), use)),

    remove: (file) => attempt(file, () => del(file, use)),

    list: () =>
      attempt(undefined, async () =>
        (await keys(use)).filter((key): key is string => typeof key === 'string' && !key.startsWith(RESERVED_PREFIX)),
      ),

    close,
  }
}

/** A real write, read and delete, on a reserved key of its own (two contexts may probe at once). */
async function roundTrip(use: UseStore): Promise<void> {
  // Not crypto.randomUUID: IndexedDB also works outside secure contexts, where it is missing.
  const key = `${RESERVED_PREFIX}-probe-${Math.random().toString(36).slice(2)}`
  const bytes = Uint8Array.of(1, 2, 3, 4)
  await set(key, bytes, use)
  const back: unknown = await get(key, use)
  await del(key, use)
  if (!(back instanceof Uint8Array) || back.join() !== bytes.join()) throw new Error('IndexedDB read back other bytes than it was given')
}

/** The bytes in a buffer of their own: IndexedDB stores, and hands back, a view's whole buffer. */
function exact(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice()
}

/**
 * An idb-keyval store function on GenosDB's database: strict durability (without it Chromium
 * reports `complete` before the data is on disk), transactions that settle only when they end,
 * and a connection that steps aside on versionchange and is reopened after any close.
 */
function connection(database: string): { use: UseStore; close(): Promise<void> } {
  let opened: Promise<IDBDatabase> | undefined
  let closed = false

  function open(): Promise<IDBDatabase> {
    if (closed) return Promise.reject(new StorageError('CLOSED', `The ${ID} driver is closed`, { driver: ID }))
    if (opened) return opened
    const attempt = openDatabase(database)
    const forget = () => {
      if (opened === attempt) opened = undefined
    }
    attempt.then((db) => {
      db.onclose = forget
      // Another tab wants to upgrade or delete the database; holding on would block it.
      db.onversionchange = () => {
        db.close()
        forget()
      }
    }, forget)
    return (opened = attempt)
  }

  const use: UseStore = async (mode, callback) => {
    const opening = open()
    let tx: IDBTransaction
    try {
      tx = (await opening).transaction(STORE, mode, { durability: 'strict' })
    } catch (error) {
      // A connection closed without a close event (Safari does that) would fail every call after.
      if (opened === opening) opened = undefined
      throw error
    }
    // Listeners, not promisifyRequest: idb-keyval's set() assigns the transaction's on* handlers.
    const ended = new Promise<unknown>((resolve) => {
      tx.addEventListener('complete', () => resolve(undefined))
      tx.addEventListener('abort', () => resolve(tx.error ?? new DOMException('The transaction was aborted', 'AbortError')))
    })
    let value
    try {
      value = await callback(tx.objectStore(STORE))
    } catch (error) {
      // idb-keyval rejects with tx.error, which is still null while an error event is dispatched.
      throw error ?? (await ended)
    }
    const failure = await ended
    if (failure) throw failure
    return value
  }

  async function close(): Promise<void> {
    closed = true
    const db = await opened?.catch(() => undefined)
    opened = undefined
    db?.close()
  }

  return { use, close }
}

/** Opens at version 1, as GenosDB does, creating the object store on first use. */
async function openDatabase(database: string): Promise<IDBDatabase> {
  if (typeof indexedDB === 'undefined') throw new StorageError('UNSUPPORTED', 'IndexedDB is not available in this context', { driver: ID })
  const request = indexedDB.open(database, VERSION)
  request.onupgradeneeded = () => {
    if (!request.result.objectStoreNames.contains(STORE)) request.result.createObjectStore(STORE)
  }
  const db = await promisifyRequest(request)
  if (db.objectStoreNames.contains(STORE)) return db
  db.close()
  throw new StorageError('IO', `${database} (version ${VERSION}) has no object store "${STORE}"`, { driver: ID })
}
