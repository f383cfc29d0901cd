import type { StorageAdapterInterface, StorageKey } from '@automerge/automerge-repo'

export interface ImportOptions {
  /** The database and object store the IndexedDB adapter was given. Defaults are its own: `'automerge'`, `'documents'`. */
  database?: string
  store?: string
}

/**
 * Copies everything `@automerge/automerge-repo-storage-indexeddb` stored into `adapter`, key for
 * key, and resolves with how many records it copied. The old database is read, never changed:
 * delete it yourself (`indexedDB.deleteDatabase('automerge')`) once the app runs on the new
 * storage. Running it again copies the same bytes again, so an interrupted import can simply be
 * repeated. Where the database does not exist, it copies nothing and does not create it.
 */
export async function importFromIndexedDB(
  adapter: StorageAdapterInterface,
  { database = 'automerge', store = 'documents' }: ImportOptions = {},
): Promise<number> {
  const records = await readAll(database, store)
  for (const { key, data } of records) await adapter.save(key, data)
  return records.length
}

const done = <T>(request: IDBRequest<T>) =>
  new Promise<T>((resolve, reject) => {
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error)
  })

async function readAll(database: string, store: string): Promise<{ key: StorageKey; data: Uint8Array }[]> {
  const opening = indexedDB.open(database)
  // An upgrade here means the database did not exist: abort it, so that none is created.
  let absent = false
  opening.onupgradeneeded = () => {
    absent = true
    opening.transaction?.abort()
  }
  const db = await done(opening).catch((error: unknown) => {
    if (absent) return undefined
    throw error
  })
  if (!db) return []
  try {
    if (!db.objectStoreNames.contains(store)) return []
    const records = db.transaction(store, 'readonly').objectStore(store)
    const [keys, values] = await Promise.all([done(records.getAllKeys()), done(records.getAll())])
    return keys.flatMap((key, i) => {
      const binary = (values[i] as { binary?: unknown } | undefined)?.binary
      return Array.isArray(key) && binary instanceof Uint8Array ? [{ key: key as StorageKey, data: binary }] : []
    })
  } finally {
    db.close()
  }
}
