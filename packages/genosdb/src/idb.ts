import { RESERVED_PREFIX, StorageError, type Driver } from '@stowage/core'
import { driverCalls, roundTrip, typeName } from '@stowage/core/driver'
import { idbConnection } from '@stowage/driver-idb'
import { del, get, keys, promisifyRequest, set } from 'idb-keyval'

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
  const calls = driverCalls(ID)
  const { use, close } = idbConnection(() => openDatabase(database), STORE, calls.open)

  async function load(file: string): Promise<Uint8Array> {
    const value: unknown = await get(file, use)
    if (value === undefined) throw new StorageError('NOT_FOUND', `${file}: no such file`)
    if (value instanceof Uint8Array) return exact(value)
    if (value instanceof ArrayBuffer) return new Uint8Array(value)
    // Someone else's value under this key: never hand it out as the file's bytes.
    throw new StorageError('CORRUPT', `${file}: the stored value is a ${typeName(value)}, not bytes`)
  }
  const save = (file: string, data: Uint8Array) => set(file, exact(data), use)
  const remove = (file: string) => del(file, use)

  return calls.driver({
    probe: () => roundTrip({ save, load, remove }),
    load,
    save,
    remove,
    list: async () =>
      (await keys(use)).filter((key): key is string => typeof key === 'string' && !key.startsWith(RESERVED_PREFIX)),
    close,
  })
}

/** The bytes in a buffer of their own: IndexedDB stores, and hands back, a view's whole buffer. */
function exact(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice()
}

/** Opens at version 1, as GenosDB does, creating the object store on first use. */
async function openDatabase(database: string): Promise<IDBDatabase> {
  if (typeof indexedDB === 'undefined')
    throw new StorageError('UNSUPPORTED', 'IndexedDB is not available in this context', { driver: ID })
  const request = indexedDB.open(database, VERSION)
  request.onupgradeneeded = () => {
    if (!request.result.objectStoreNames.contains(STORE)) request.result.createObjectStore(STORE)
  }
  const db = await promisifyRequest(request)
  if (db.objectStoreNames.contains(STORE)) return db
  db.close()
  throw new StorageError('IO', `${database} (version ${VERSION}) has no object store "${STORE}"`, { driver: ID })
}
